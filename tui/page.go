package tui

import (
	"context"
	"net/url"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/zidentity"
)

// common is what every page shares.
type common struct {
	ctx    context.Context
	mgr    *manager.Manager
	styles *Styles
	now    func() time.Time
	// baseURL is ZCONN_ZIDENTITY_URL, when set.
	baseURL string
	// places are where credentials kept in plain text are looked for.
	places places
}

// places are where the wizard looks for credentials kept in plain text:
// the environment, read through getenv, and the SDKs' YAML files under
// home and dir (the working folder). look is false when none was given.
type places struct {
	getenv    func(string) string
	home, dir string
	look      bool
}

// tokenHost is where a token request for t goes: the host of
// ZCONN_ZIDENTITY_URL when it is set, else the tenant's.
func (c *common) tokenHost(t zidentity.Tenant) string {
	if u, err := url.Parse(c.baseURL); c.baseURL != "" && err == nil {
		return u.Host
	}
	return t.Host()
}

// page is one screen of the app. The app keeps the active page and the
// one to go back to, hands the active page every message it does not
// handle itself, and draws it between the title and the footer. Adding a
// screen means writing a page and sending an openMsg with it.
type page interface {
	// init returns the page's first commands, such as focusing a field.
	init() tea.Cmd
	// update handles a message.
	update(msg tea.Msg) tea.Cmd
	// view draws the page's body.
	view() string
	// setSize tells the page the size of its body.
	setSize(width, height int)
	// title names the page in the header.
	title() string
	// helpKeys are the keys the footer shows.
	helpKeys() help.KeyMap
	// take returns what the page asked of the app since it was last
	// asked, in order.
	take() []tea.Msg
}

// outbox holds what a page tells the app. The app takes it in the same
// Update, so a key typed right after cannot overtake it, as it could a
// message sent through a command. Pages embed it.
type outbox []tea.Msg

func (o *outbox) emit(m tea.Msg) { *o = append(*o, m) }

func (o *outbox) take() []tea.Msg {
	m := *o
	*o = nil
	return m
}

// Messages a page sends the app.
type (
	// openMsg shows a page; closing it goes back to the Connections page.
	openMsg struct{ page page }
	// closeMsg goes back to the page the active one was opened over.
	closeMsg struct{}
	// doneMsg says a page finished its work: the app goes back to the
	// Connections page, shows the notice (or the error) and reloads the
	// connections, selecting selectID.
	doneMsg struct {
		notice   string
		err      error
		selectID string
	}
	// flashMsg shows a one-line notice in the footer; err, when set, is
	// the failure it tells of, for the app to offer its fix.
	flashMsg struct {
		text string
		bad  bool
		err  error
	}
	// failedMsg tells the app of a failure a page showed itself, for the
	// app to offer its fix.
	failedMsg     struct{ err error }
	quitMsg       struct{}
	toggleHelpMsg struct{}
)

// newSpinner is the spinner a page shows while it waits.
func newSpinner(s *Styles) spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(s.Spinner))
}

// spin advances sp on its tick while the page waits; once it no longer
// waits, the tick is dropped, which stops the spinner.
func spin(sp *spinner.Model, waiting bool, tick spinner.TickMsg) tea.Cmd {
	if !waiting {
		return nil
	}
	var cmd tea.Cmd
	*sp, cmd = sp.Update(tick)
	return cmd
}

// errorFlash shows an error in the footer, with the fix this interface
// offers for it.
func errorFlash(err error) flashMsg { return flashMsg{text: errorText(err, 300), bad: true, err: err} }

// keyHelp is the help of a page whose keys fit on one line.
type keyHelp []key.Binding

// ShortHelp lists the keys.
func (k keyHelp) ShortHelp() []key.Binding { return k }

// FullHelp is ShortHelp.
func (k keyHelp) FullHelp() [][]key.Binding { return [][]key.Binding{k} }
