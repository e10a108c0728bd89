package tui

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// editor changes a saved connection: every field (e) or only the secret
// and its expiry (r). What touches the credentials is verified before it
// is saved; a failure leaves the connection as it was.
type editor struct {
	c    *common
	conn store.Connection
	form form
	spin spinner.Model
	// busy is set while a submit is being handled; cancel, only while the
	// new credentials are being verified, which changes nothing yet. Once
	// saving has begun it runs to its end.
	busy    bool
	cancel  context.CancelFunc
	pending manager.Changes
	// base is the connection the changes apply to, with the answer about
	// its cloud that they need.
	base      store.Connection
	seq       int
	cancelKey key.Binding
	// question asks before the credentials go to a cloud zconn does not
	// know; allowedHost is the host the person said yes to.
	question    *cloudQuestion
	allowedHost string
	outbox
}

func newEditor(c *common, mode formMode, conn store.Connection, conns []store.Connection) *editor {
	return &editor{
		c:         c,
		conn:      conn,
		form:      newForm(c, mode, conns, &conn),
		spin:      newSpinner(c.styles),
		cancelKey: cancelKey(),
	}
}

func (e *editor) init() tea.Cmd {
	var cmd tea.Cmd
	e.form, cmd = e.form.init()
	return cmd
}

func (e *editor) setSize(width, height int) { e.form.setSize(width, height) }

func (e *editor) title() string {
	name := safetext.Clean(e.conn.Name, store.MaxNameLen)
	if e.form.mode == modeRotate {
		return "Rotate the " + credentialName(e.form.saved) + " of " + name
	}
	return "Edit " + name
}

func (e *editor) helpKeys() help.KeyMap {
	switch {
	case e.question != nil:
		return e.question.helpKeys()
	case e.busy && e.cancel != nil:
		return keyHelp{e.cancelKey}
	case e.busy:
		return keyHelp{}
	}
	return e.form.helpKeys()
}

func (e *editor) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case changesVerifiedMsg:
		if msg.seq != e.seq || !e.busy {
			return nil
		}
		e.cancel = nil
		if msg.err != nil {
			return e.failed(msg.err)
		}
		return applyChangesCmd(e.c.ctx, e.c.mgr, e.base, e.pending, msg.v, e.seq)
	case savedMsg:
		if msg.seq != e.seq || !e.busy {
			return nil
		}
		if msg.err != nil {
			return e.failed(msg.err)
		}
		e.busy = false
		e.emit(doneMsg{notice: e.savedNotice(msg), selectID: msg.conn.ID})
		return nil
	case spinner.TickMsg:
		return spin(&e.spin, e.busy, msg)
	case formCancelMsg:
		e.emit(closeMsg{})
		return nil
	case formGuideMsg:
		return nil
	case formSubmitMsg:
		return e.submit()
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && e.question != nil {
		switch yes, no := e.question.answer(k); {
		case yes:
			e.allowedHost, e.question = e.question.host, nil
			return e.submit()
		case no:
			e.question = nil
			return e.form.hostDeclined()
		}
		return nil
	}
	if e.busy {
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, e.cancelKey) && e.cancel != nil {
			e.cancel()
			e.busy, e.cancel = false, nil
			e.seq++
			e.form.setBanner("Canceled; the connection is as it was.", true)
		}
		return nil
	}
	return updateForm(&e.form, msg, e.update)
}

// target is the tenant the edited connection is in.
func (e *editor) target() zidentity.Tenant {
	if e.form.mode == modeRotate {
		return manager.Tenant(e.conn)
	}
	t, _ := e.form.tenant()
	return t
}

// allowed reports whether the person confirmed sending the credentials
// to t's host: in this editor, or when the connection was saved in the
// same cloud with a confirmation. A confirmation never carries over to
// another cloud.
func (e *editor) allowed(t zidentity.Tenant) bool {
	if e.allowedHost != "" && e.allowedHost == t.Host() {
		return true
	}
	return e.conn.AllowUnknownCloud && zidentity.Cloud(e.conn.Cloud).Same(t.Cloud)
}

// submit verifies the changes, once the person confirmed a host in a
// cloud zconn does not know.
func (e *editor) submit() tea.Cmd {
	t := e.target()
	e.base = e.conn
	e.base.AllowUnknownCloud = !t.Cloud.Known() && e.allowed(t)
	next := e.base
	next.Vanity, next.Cloud = t.Vanity, t.Cloud.String()
	if host, ask := e.c.unconfirmedHost(next); ask {
		e.question = newCloudQuestion(host)
		return nil
	}
	e.seq++
	ctx, cancel := context.WithCancel(e.c.ctx)
	e.busy, e.cancel, e.pending = true, cancel, e.form.changes()
	allow := e.base.AllowUnknownCloud
	e.pending.AllowUnknownCloud = &allow
	return tea.Batch(verifyChangesCmd(ctx, e.c.mgr, e.base, e.pending, e.seq), e.spin.Tick)
}

// failed shows why a submit failed and moves the focus to the field that
// most likely needs fixing; the connection is as it was.
func (e *editor) failed(err error) tea.Cmd {
	if host, ok := refusedHost(err); ok {
		e.busy, e.cancel = false, nil
		e.question = newCloudQuestion(host)
		return nil
	}
	e.busy, e.cancel = false, nil
	e.emit(failedMsg{err})
	return e.form.showFailure(err)
}

// host is where the credentials are sent.
func (e *editor) host() string { return e.c.tokenHost(e.target()) }

func (e *editor) view() string {
	if e.question != nil {
		return e.question.view(e.c.styles, max(20, e.form.width-4))
	}
	if e.busy {
		what := "Saving…"
		if e.cancel != nil && e.pending.NeedsVerify(e.conn) {
			what = clean(fmt.Sprintf("Asking %s for a token with the new credentials…", e.host()))
		}
		return e.spin.View() + " " + what + "\n"
	}
	return e.form.view()
}

// savedNotice says what a save changed: a rotation or a switch of method
// names the new key by its size and fingerprint.
func (e *editor) savedNotice(msg savedMsg) string {
	name := safetext.Clean(msg.conn.Name, 64)
	f := &e.form
	key := ""
	if f.keyed() && f.key.key != nil {
		key = " (" + f.key.key.Description() + ")"
	}
	switch {
	case f.mode == modeRotate:
		return "Rotated the " + credentialName(f.saved) + " of " + name + key + "; the new one works"
	case f.method != f.saved && f.keyed():
		return "Switched " + name + " to a private key" + key + "; the new credentials work"
	case f.method != f.saved:
		return "Switched " + name + " to a client secret; the new credentials work"
	case e.pending.NeedsVerify(e.base):
		return "Saved " + name + "; the new credentials work"
	}
	return "Saved " + name
}
