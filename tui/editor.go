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

// editDoneMsg says an edit or rotation was saved.
type editDoneMsg struct {
	conn   store.Connection
	notice string
}

// editor changes a saved connection: every field (e) or only the secret
// and its expiry (r). What touches the credentials is verified before it
// is saved; a failure leaves the connection as it was.
type editor struct {
	d    *deps
	conn store.Connection
	form form
	spin spinner.Model
	// busy is set while a submit is being handled; cancel, only while the
	// new credentials are being verified, which changes nothing yet. Once
	// saving has begun it runs to its end.
	busy    bool
	cancel  context.CancelFunc
	pending manager.Changes
	seq     int
	keys    pageKeys
	out     outbox
}

func newEditor(d *deps, mode formMode, c store.Connection, conns []store.Connection) editor {
	return editor{
		d:    d,
		conn: c,
		form: newForm(mode, d.styles, conns, &c, d.baseURL, store.SecretLimit(d.mgr.Store.Secrets())),
		spin: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(d.styles.Spinner)),
		keys: busyKeys(),
	}
}

func (e editor) init() (editor, tea.Cmd) {
	var cmd tea.Cmd
	e.form, cmd = e.form.init()
	return e, cmd
}

func (e *editor) setSize(width int) { e.form.setWidth(width) }

func (e editor) title() string {
	name := safetext.Clean(e.conn.Name, store.MaxNameLen)
	if e.form.mode == modeRotate {
		return "Rotate the secret of " + name
	}
	return "Edit " + name
}

func (e editor) helpKeys() help.KeyMap {
	switch {
	case e.busy && e.cancel != nil:
		return e.keys
	case e.busy:
		return pageKeys{}
	}
	return e.form.keys
}

func (e editor) update(msg tea.Msg) (editor, tea.Cmd) {
	switch msg := msg.(type) {
	case changesVerifiedMsg:
		if msg.seq != e.seq || !e.busy {
			return e, nil
		}
		e.cancel = nil
		if msg.err != nil {
			return e.failed(msg.err)
		}
		return e, applyChangesCmd(e.d.ctx, e.d.mgr, e.conn, e.pending, msg.v, msg.tok, e.seq)
	case savedMsg:
		if msg.seq != e.seq || !e.busy {
			return e, nil
		}
		if msg.err != nil {
			return e.failed(msg.err)
		}
		e.busy = false
		notice := "Saved " + safetext.Clean(msg.conn.Name, 64)
		switch {
		case e.form.mode == modeRotate:
			notice = "Rotated the secret of " + safetext.Clean(msg.conn.Name, 64) + "; the new one works"
		case msg.tok != nil:
			notice += "; the new credentials work"
		}
		e.out.emit(editDoneMsg{conn: msg.conn, notice: notice})
		return e, nil
	case spinner.TickMsg:
		if !e.busy {
			return e, nil
		}
		var cmd tea.Cmd
		e.spin, cmd = e.spin.Update(msg)
		return e, cmd
	case formCancelMsg:
		e.out.emit(closeMsg{})
		return e, nil
	case formGuideMsg:
		return e, nil
	case formSubmitMsg:
		e.seq++
		ctx, cancel := context.WithCancel(e.d.ctx)
		e.busy, e.cancel, e.pending = true, cancel, e.form.changes(e.conn)
		return e, tea.Batch(verifyChangesCmd(ctx, e.d.mgr, e.conn, e.pending, e.seq), e.spin.Tick)
	}
	if e.busy {
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, e.keys.Back) && e.cancel != nil {
			e.cancel()
			e.busy, e.cancel = false, nil
			e.seq++
			e.form.setBanner("Canceled; the connection is as it was.", true)
		}
		return e, nil
	}
	var cmd tea.Cmd
	e.form, cmd = e.form.update(msg)
	cmds := []tea.Cmd{cmd}
	for _, m := range e.form.out.take() {
		e, cmd = e.update(m)
		cmds = append(cmds, cmd)
	}
	return e, tea.Batch(cmds...)
}

// failed shows why a submit failed and moves the focus to the field that
// most likely needs fixing; the connection is as it was.
func (e editor) failed(err error) (editor, tea.Cmd) {
	e.busy, e.cancel = false, nil
	e.form.setBanner("✗ "+safetext.Clean(err.Error(), 400), true)
	if id, ok := fieldFor(err); ok {
		return e, e.form.focusField(id)
	}
	return e, nil
}

// host is where the credentials are sent.
func (e editor) host() string {
	if e.form.mode == modeRotate {
		c := zidentity.Client{BaseURL: e.d.baseURL}
		u, _ := c.TokenURL(manager.Tenant(e.conn))
		return hostOf(u)
	}
	return hostOf(e.form.tokenURL())
}

func (e editor) view() string {
	out := ""
	if e.busy {
		what := "Saving…"
		if e.cancel != nil && e.pending.NeedsVerify(e.conn) {
			what = fmt.Sprintf("Asking %s for a token with the new credentials…", e.host())
		}
		return out + e.spin.View() + " " + what + "\n"
	}
	return out + e.form.view()
}
