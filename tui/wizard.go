package tui

import (
	"context"
	"fmt"
	"github.com/zconn/zconn/internal/humantime"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

type wizardStep int

const (
	stepIntro wizardStep = iota
	stepForm
	stepVerifying
	stepVerified
	stepFailed
	stepSaving
)

// Messages the wizard sends the root.
type (
	// wizardDoneMsg says a connection was saved.
	wizardDoneMsg struct {
		conn   store.Connection
		notice string
	}
	// wizardCancelMsg says the admin left the wizard.
	wizardCancelMsg struct{}
)

// wizard is the New Connection wizard: before you begin, the form,
// verification, and creation.
type wizard struct {
	d      *deps
	step   wizardStep
	form   form
	spin   spinner.Model
	width  int
	cancel context.CancelFunc
	seq    int
	host   string
	// guideReturn is where the guide's enter goes: the form when it was
	// opened from there.
	guideReturn bool
	v           store.Verification
	tok         *zidentity.Token
	err         error
	introKeys   pageKeys
	busyKeys    pageKeys
	doneKeys    pageKeys
	failKeys    pageKeys
	out         outbox
}

func newWizard(d *deps, conns []store.Connection, skipIntro bool) wizard {
	w := wizard{
		d:         d,
		form:      newForm(modeCreate, d.styles, conns, nil, d.baseURL, store.SecretLimit(d.mgr.Store.Secrets())),
		spin:      spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(d.styles.Spinner)),
		introKeys: introKeys(),
		busyKeys:  busyKeys(),
		doneKeys:  verifiedKeys(),
		failKeys:  failedKeys(),
	}
	if skipIntro {
		w.step = stepForm
	}
	return w
}

func (w wizard) init() (wizard, tea.Cmd) {
	var cmd tea.Cmd
	w.form, cmd = w.form.init()
	return w, cmd
}

func (w *wizard) setSize(width int) {
	w.width = width
	w.form.setWidth(width)
}

func (w wizard) update(msg tea.Msg) (wizard, tea.Cmd) {
	switch msg := msg.(type) {
	case verifiedMsg:
		if msg.seq != w.seq || w.step != stepVerifying {
			return w, nil
		}
		w.cancel = nil
		if msg.err == nil {
			w.step, w.v, w.tok = stepVerified, msg.v, msg.tok
			return w, nil
		}
		return w.failed(msg.err)
	case savedMsg:
		if msg.seq != w.seq || w.step != stepSaving {
			return w, nil
		}
		if msg.err != nil {
			return w.failed(fmt.Errorf("saving: %w", msg.err))
		}
		notice := "Created " + safetext.Clean(msg.conn.Name, 64)
		if msg.conn.Verification == nil {
			notice += " (unverified: press t to test it)"
		} else {
			notice += "; its credentials work"
		}
		w.out.emit(wizardDoneMsg{conn: msg.conn, notice: notice})
		return w, nil
	case spinner.TickMsg:
		if w.step != stepVerifying && w.step != stepSaving {
			return w, nil
		}
		var cmd tea.Cmd
		w.spin, cmd = w.spin.Update(msg)
		return w, cmd
	case formGuideMsg:
		w.step, w.guideReturn = stepIntro, true
		return w, nil
	case formCancelMsg:
		w.out.emit(wizardCancelMsg{})
		return w, nil
	case formSubmitMsg:
		return w.verify()
	}
	k, isKey := msg.(tea.KeyPressMsg)
	switch w.step {
	case stepIntro:
		if isKey {
			switch {
			case key.Matches(k, w.introKeys.Continue):
				w.step = stepForm
				return w, nil
			case key.Matches(k, w.introKeys.Back):
				if w.guideReturn {
					w.step = stepForm
					return w, nil
				}
				w.out.emit(wizardCancelMsg{})
				return w, nil
			}
		}
		return w, nil
	case stepForm:
		var cmd tea.Cmd
		w.form, cmd = w.form.update(msg)
		cmds := []tea.Cmd{cmd}
		for _, m := range w.form.out.take() {
			w, cmd = w.update(m)
			cmds = append(cmds, cmd)
		}
		return w, tea.Batch(cmds...)
	case stepVerifying, stepSaving:
		if isKey && key.Matches(k, w.busyKeys.Back) && w.step == stepVerifying {
			if w.cancel != nil {
				w.cancel()
				w.cancel = nil
			}
			w.seq++
			w.step = stepForm
			w.form.setBanner("Verification canceled; nothing was saved.", true)
		}
		return w, nil
	case stepVerified:
		if isKey {
			switch {
			case key.Matches(k, w.doneKeys.Continue):
				return w.create(&w.v)
			case key.Matches(k, w.doneKeys.Back):
				w.step = stepForm
			}
		}
		return w, nil
	case stepFailed:
		if isKey {
			switch {
			case key.Matches(k, w.failKeys.Alt):
				return w.create(nil)
			case key.Matches(k, w.failKeys.Continue):
				w.step = stepForm
			}
		}
		return w, nil
	}
	return w, nil
}

// verify starts the token request for what the form holds.
func (w wizard) verify() (wizard, tea.Cmd) {
	c := w.form.connection()
	if err := store.CheckName(w.form.others, c.Name, ""); err != nil {
		return w.failed(err)
	}
	w.seq++
	ctx, cancel := context.WithCancel(w.d.ctx)
	w.cancel = cancel
	w.step = stepVerifying
	w.host = hostOf(w.form.tokenURL())
	w.err = nil
	return w, tea.Batch(verifyCmd(ctx, w.d.mgr, c, w.form.secret(), w.seq), w.spin.Tick)
}

// create saves the connection, verified (v) or not (nil).
func (w wizard) create(v *store.Verification) (wizard, tea.Cmd) {
	w.seq++
	w.step = stepSaving
	return w, tea.Batch(createCmd(w.d.ctx, w.d.mgr, w.form.connection(), w.form.secret(), v, w.seq), w.spin.Tick)
}

// failed shows a failure: a network failure gets its own page with the
// offer to save unverified; anything else goes back to the form with the
// focus on the field that most likely needs fixing.
func (w wizard) failed(err error) (wizard, tea.Cmd) {
	w.err = err
	if zidentity.CategoryOf(err).Network() {
		w.step = stepFailed
		return w, nil
	}
	w.step = stepForm
	w.form.setBanner("✗ "+safetext.Clean(err.Error(), 400), true)
	if id, ok := fieldFor(err); ok {
		return w, w.form.focusField(id)
	}
	return w, nil
}

// hostOf returns the host of a URL, or the URL.
func hostOf(u string) string {
	s := strings.TrimPrefix(u, "https://")
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	return s
}

func (w wizard) stepLabel() string {
	switch w.step {
	case stepIntro:
		return "Step 1 of 3 · Before you begin"
	case stepForm:
		return "Step 2 of 3 · Details"
	}
	return "Step 3 of 3 · Verify"
}

func (w wizard) helpKeys() help.KeyMap {
	switch w.step {
	case stepIntro:
		k := w.introKeys
		if w.guideReturn {
			k.Continue.SetHelp("enter", "back to the form")
			k.Back.SetHelp("esc", "back to the form")
		}
		return k
	case stepForm:
		return w.form.keys
	case stepVerifying:
		return w.busyKeys
	case stepVerified:
		return w.doneKeys
	case stepFailed:
		return w.failKeys
	}
	return pageKeys{}
}

func (w wizard) view() string {
	s := w.d.styles
	var b strings.Builder
	width := max(20, w.width-4)
	switch w.step {
	case stepIntro:
		b.WriteString(introText(s, width))
	case stepForm:
		b.WriteString(w.form.view())
	case stepVerifying:
		b.WriteString(w.spin.View() + " Asking " + s.Label.Render(w.host) + " for a token…\n")
	case stepSaving:
		b.WriteString(w.spin.View() + " Saving the connection and storing the secret in the " + w.d.mgr.Store.Secrets().Backend() + "…\n")
	case stepVerified:
		b.WriteString(verifiedView(s, w.v, w.tok, w.host, width))
	case stepFailed:
		b.WriteString(s.Error.Render(ansi.Wordwrap("✗ "+safetext.Clean(w.err.Error(), 400), width, " ")) + "\n\n")
		b.WriteString(ansi.Wordwrap("The credentials could not be checked, so they may still be right. You can save the connection without verifying: it is marked unverified until you test it (t on the Connections page, or zconn test).", width, " ") + "\n")
	}
	return b.String()
}

// introText is the "Before you begin" page: how to create an API client in
// the ZIdentity Administration Portal.
func introText(s *Styles, width int) string {
	steps := []string{
		"In the ZIdentity Administration Portal, go to Integration > API Clients and choose Add API Client.",
		"On the Client tab, name it, set its status to Active, and pick the access token lifetime (1 minute to 24 hours).",
		"Under Client Authentication choose Secret. Copy the secret now, as it is shown only once, and note its expiration date.",
		"Under Resources > Scopes, add ZIAM with an admin role that has user management.",
		"Save, then copy the Client ID from the API Clients table.",
	}
	var b strings.Builder
	b.WriteString(ansi.Wordwrap("zconn needs the client ID and secret of a ZIdentity API client. If you have them, press enter. If not, create one:", width, " ") + "\n\n")
	for i, st := range steps {
		prefix := fmt.Sprintf(" %d. ", i+1)
		wrapped := ansi.Wordwrap(st, width-len(prefix), " ")
		b.WriteString(prefix + strings.ReplaceAll(wrapped, "\n", "\n"+strings.Repeat(" ", len(prefix))) + "\n")
	}
	b.WriteString("\n" + s.Muted.Render(ansi.Wordwrap("Keep the secret at hand: you paste it in the next step, and zconn stores it in your keychain, never in a file.", width, " ")) + "\n")
	return b.String()
}

// verifiedView shows what a successful verification proved.
func verifiedView(s *Styles, v store.Verification, tok *zidentity.Token, host string, width int) string {
	var b strings.Builder
	b.WriteString(s.Success.Render("✓ The credentials work.") + "\n\n")
	row := func(label, value string) {
		b.WriteString("  " + s.Label.Render(pad(label, labelWidth)) + value + "\n")
	}
	row("Tenant host", host)
	row("Token lifetime", humantime.Lifetime(time.Duration(v.Lifetime)*time.Second))
	row("Products", orNone(v.Products))
	row("Roles", orNone(v.Roles))
	if tok != nil && tok.Claims.JWT && !tok.Claims.HasProduct(zidentity.ZIAM) {
		b.WriteString("\n" + s.Warning.Render(ansi.Wordwrap("⚠ The token does not carry ZIAM, so managing ZIdentity users with it will fail. In Integration > API Clients, add the ZIAM scope with an admin role that has user management. You can still create the connection.", width, " ")) + "\n")
	}
	return b.String()
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none listed in the token"
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = safetext.Clean(s, 60)
	}
	return strings.Join(out, ", ")
}
