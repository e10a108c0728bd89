package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/humantime"
	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

type wizardStep int

const (
	stepIntro wizardStep = iota
	stepForm
	stepConfirmCloud
	stepVerifying
	stepVerified
	stepFailed
	stepSaving
	// stepAfterImport asks to remove the secret an import left in plain
	// text, and says what zconn leaves as it is.
	stepAfterImport
	stepRemoving
)

// wizard is the New Connection wizard: before you begin, the form,
// verification, and creation.
type wizard struct {
	c      *common
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
	err         error
	keys        wizardKeys
	// question asks before the credentials go to a cloud zconn does not
	// know; allowedHost is the host the person said yes to.
	question    *cloudQuestion
	allowedHost string
	// found is what was found kept in plain text, offered for import on
	// Before you begin; importing is the offer chosen, and after what the
	// wizard says once it is saved.
	found     discovered
	importing *offer
	after     *afterImport
	height    int
	outbox
}

func newWizard(c *common, conns []store.Connection, skipIntro bool) *wizard {
	w := &wizard{
		c:    c,
		form: newForm(c, modeCreate, conns, nil),
		spin: newSpinner(c.styles),
		keys: newWizardKeys(),
	}
	if skipIntro {
		w.step = stepForm
	}
	return w
}

// init focuses the form's first field and, from Before you begin, looks
// for credentials kept in plain text to offer.
func (w *wizard) init() tea.Cmd {
	var cmd tea.Cmd
	w.form, cmd = w.form.init()
	if w.step == stepIntro && w.c.places.look {
		return tea.Batch(cmd, discoverCmd(w.c.mgr, w.c.places))
	}
	return cmd
}

func (w *wizard) setSize(width, height int) {
	w.width, w.height = width, height
	w.form.setSize(width, height)
}

func (w *wizard) title() string { return "New connection · " + w.stepLabel() }

func (w *wizard) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case verifiedMsg:
		if msg.seq != w.seq || w.step != stepVerifying {
			return nil
		}
		w.cancel = nil
		if msg.err == nil {
			w.step, w.v = stepVerified, msg.v
			return nil
		}
		return w.failed(msg.err)
	case savedMsg:
		if msg.seq != w.seq || w.step != stepSaving {
			return nil
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
		notice += "; its " + credentialName(msg.conn.AuthMethod) + " is in the " + w.c.mgr.Store.Secrets().Backend()
		if w.importing != nil {
			w.after = newAfterImport(w.importing, msg.conn, w.form.credential(), notice)
			w.step = stepAfterImport
			return nil
		}
		w.emit(doneMsg{notice: notice, selectID: msg.conn.ID})
		return nil
	case discoveredMsg:
		w.found = msg.discovered
		return nil
	case plaintextRemovedMsg:
		if msg.seq != w.seq || w.step != stepRemoving {
			return nil
		}
		return w.removed(msg.err)
	case spinner.TickMsg:
		return spin(&w.spin, w.step == stepVerifying || w.step == stepSaving || w.step == stepRemoving, msg)
	case formGuideMsg:
		w.step, w.guideReturn = stepIntro, true
		return nil
	case formCancelMsg:
		w.emit(closeMsg{})
		return nil
	case formSubmitMsg:
		return w.verify()
	}
	if w.step == stepForm {
		return updateForm(&w.form, msg, w.update)
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		return w.key(k)
	}
	return nil
}

// key acts on a key typed on a page around the form.
func (w *wizard) key(k tea.KeyPressMsg) tea.Cmd {
	switch w.step {
	case stepIntro:
		switch {
		case key.Matches(k, w.keys.Import):
			if n := offerIndex(k); n >= 0 && n < len(w.found.offers) {
				return w.importOffer(&w.found.offers[n])
			}
		case key.Matches(k, w.keys.Continue):
			w.step = stepForm
		case key.Matches(k, w.keys.Leave) && w.guideReturn:
			w.step = stepForm
		case key.Matches(k, w.keys.Leave):
			w.emit(closeMsg{})
		}
	case stepVerifying:
		if key.Matches(k, w.keys.Cancel) {
			if w.cancel != nil {
				w.cancel()
				w.cancel = nil
			}
			w.seq++
			w.step = stepForm
			w.form.setBanner("Verification canceled; nothing was saved.", true)
		}
	case stepConfirmCloud:
		switch yes, no := w.question.answer(k); {
		case yes:
			w.allowedHost = w.question.host
			return w.verify()
		case no:
			w.step = stepForm
			return w.form.hostDeclined()
		}
	case stepVerified:
		switch {
		case key.Matches(k, w.keys.Create):
			return w.create(&w.v)
		case key.Matches(k, w.keys.Back):
			w.step = stepForm
		}
	case stepFailed:
		switch {
		case key.Matches(k, w.keys.SaveUnverified):
			return w.create(nil)
		case key.Matches(k, w.keys.Fix):
			w.step = stepForm
		}
	case stepAfterImport:
		return w.afterImportKey(k)
	}
	return nil
}

// importOffer fills a new form with the offer and verifies it at once,
// as ctrl+s would: the person sees what was imported on the verify page,
// and esc there goes back to the form, filled in.
func (w *wizard) importOffer(o *offer) tea.Cmd {
	w.importing = o
	w.form = newForm(w.c, modeCreate, w.form.others, nil)
	w.form.setSize(w.width, w.height)
	w.form.fill(o)
	w.form.setBanner("Filled in from "+o.where(w.c.places)+".", false)
	w.step, w.guideReturn = stepForm, false
	var focus tea.Cmd
	w.form, focus = w.form.init()
	return tea.Batch(focus, w.verify())
}

// afterImportKey answers the question about the plaintext secret, or
// leaves the page of notes.
func (w *wizard) afterImportKey(k tea.KeyPressMsg) tea.Cmd {
	a := w.after
	switch {
	case a.removable && key.Matches(k, w.keys.Remove):
		w.seq++
		w.step = stepRemoving
		return tea.Batch(removePlaintextCmd(w.c.ctx, w.c.mgr, a.offer, a.conn, w.seq), w.spin.Tick)
	case a.removable && key.Matches(k, w.keys.Keep):
		w.emit(doneMsg{notice: a.notice + "; " + a.keptNotice(w.c.places), selectID: a.conn.ID})
	case !a.removable && key.Matches(k, w.keys.Done):
		w.emit(doneMsg{notice: a.notice, selectID: a.conn.ID})
	}
	return nil
}

// removed ends the wizard once the plaintext secret was removed, or
// could not be: the connection is saved either way.
func (w *wizard) removed(err error) tea.Cmd {
	a := w.after
	if err != nil {
		w.emit(doneMsg{err: a.removalFailed(w.c.places, err), selectID: a.conn.ID})
		return nil
	}
	w.emit(doneMsg{notice: a.notice + "; " + a.removedNotice(w.c.places), selectID: a.conn.ID})
	return nil
}

// draft is the connection the form describes, with the answer about its
// cloud when the person confirmed its host.
func (w *wizard) draft() store.Connection {
	c := w.form.connection()
	t := manager.Tenant(c)
	c.AllowUnknownCloud = !t.Cloud.Known() && w.allowedHost != "" && t.Host() == w.allowedHost
	return c
}

// verify starts the token request for what the form holds, once the
// person confirmed a host in a cloud zconn does not know.
func (w *wizard) verify() tea.Cmd {
	c := w.draft()
	if err := store.CheckName(w.form.others, c.Name, ""); err != nil {
		return w.failed(err)
	}
	if host, ask := w.c.unconfirmedHost(c); ask {
		w.ask(host)
		return nil
	}
	w.seq++
	ctx, cancel := context.WithCancel(w.c.ctx)
	w.cancel = cancel
	w.step = stepVerifying
	w.host = w.c.tokenHost(manager.Tenant(c))
	w.err = nil
	return tea.Batch(verifyCmd(ctx, w.c.mgr, c, w.form.credential(), w.seq), w.spin.Tick)
}

// create saves the connection, verified (v) or not (nil).
func (w *wizard) create(v *store.Verification) tea.Cmd {
	w.seq++
	w.step = stepSaving
	return tea.Batch(createCmd(w.c.ctx, w.c.mgr, w.draft(), w.form.credential(), v, w.seq), w.spin.Tick)
}

// ask shows the question about a host in a cloud zconn does not know.
func (w *wizard) ask(host string) {
	w.step, w.question = stepConfirmCloud, newCloudQuestion(host)
}

// failed shows a failure: a network failure gets its own page with the
// offer to save unverified; anything else goes back to the form with the
// focus on the field that most likely needs fixing.
func (w *wizard) failed(err error) tea.Cmd {
	if host, ok := refusedHost(err); ok {
		w.ask(host)
		return nil
	}
	w.err = err
	if zidentity.CategoryOf(err).Network() {
		w.step = stepFailed
		return nil
	}
	w.step = stepForm
	w.emit(failedMsg{err})
	return w.form.showFailure(err)
}

func (w *wizard) stepLabel() string {
	switch w.step {
	case stepIntro:
		return "Step 1 of 3 · Before you begin"
	case stepForm:
		return "Step 2 of 3 · Details"
	case stepAfterImport, stepRemoving:
		return "Imported"
	}
	return "Step 3 of 3 · Verify"
}

func (w *wizard) helpKeys() help.KeyMap {
	k := w.keys
	switch w.step {
	case stepIntro:
		if w.guideReturn {
			k.Continue.SetHelp("enter", "back to the form")
			k.Leave.SetHelp("esc", "back to the form")
		}
		if n := len(w.found.offers); n > 0 {
			k.Import.SetHelp(importHelp(n), "import")
			return keyHelp{k.Import, k.Continue, k.Leave}
		}
		return keyHelp{k.Continue, k.Leave}
	case stepAfterImport:
		if w.after.removable {
			return keyHelp{k.Remove, k.Keep}
		}
		return keyHelp{k.Done}
	case stepForm:
		return w.form.helpKeys()
	case stepConfirmCloud:
		return w.question.helpKeys()
	case stepVerifying:
		return keyHelp{k.Cancel}
	case stepVerified:
		return keyHelp{k.Create, k.Back}
	case stepFailed:
		return keyHelp{k.Fix, k.SaveUnverified}
	}
	return keyHelp{}
}

func (w *wizard) view() string {
	s := w.c.styles
	var b strings.Builder
	width := max(20, w.width-4)
	switch w.step {
	case stepIntro:
		backend := w.c.mgr.Store.Secrets().Backend()
		offered := len(w.found.offers) > 0
		if offered {
			b.WriteString(offerView(s, w.found, backend, width) + "\n")
		}
		b.WriteString(introText(s, width, backend, !offered))
		if !offered && len(w.found.problems) > 0 {
			b.WriteString("\n" + offerView(s, w.found, backend, width))
		}
	case stepForm:
		b.WriteString(w.form.view())
	case stepConfirmCloud:
		b.WriteString(w.question.view(s, width))
	case stepVerifying:
		b.WriteString(w.spin.View() + " Asking " + s.Label.Render(clean(w.host)) + " for a token…\n")
	case stepSaving:
		b.WriteString(w.spin.View() + clean(" Saving the connection and storing the "+credentialName(w.form.method)+" in the "+w.c.mgr.Store.Secrets().Backend()) + "…\n")
	case stepAfterImport:
		b.WriteString(w.after.view(s, w.c.places, w.c.mgr.Store.Secrets().Backend(), width))
	case stepRemoving:
		b.WriteString(w.spin.View() + clean(" Removing the "+w.after.offer.setup.Kind.String()+" from "+w.c.places.tilde(w.after.offer.setup.Path)) + "…\n")
	case stepVerified:
		b.WriteString(verifiedView(s, w.v, w.host, width))
		b.WriteString("\n" + s.Muted.Render(ansi.Wordwrap(clean("Creating the connection keeps its "+credentialName(w.form.method)+" in the "+w.c.mgr.Store.Secrets().Backend()+"."), width, " ")) + "\n")
	case stepFailed:
		b.WriteString(s.Error.Render(ansi.Wordwrap(errorText(w.err, 400), width, " ")) + "\n\n")
		b.WriteString(ansi.Wordwrap("The credentials could not be checked, so they may still be right. You can save the connection without verifying: it is marked unverified until you test it (t on the Connections page, or zconn test).", width, " ") + "\n")
	}
	return b.String()
}

// introText is the "Before you begin" page: how to create an API client in
// the ZIdentity Administration Portal, and, with where, where the secret
// goes (the offer to import says so when it is made).
func introText(s *Styles, width int, backend string, where bool) string {
	steps := []string{
		"In the ZIdentity Administration Portal, go to Integration > API Clients and choose Add API Client.",
		"On the Client tab, name it, set its status to Active, and pick the access token lifetime (1 minute to 24 hours).",
		"Under Client Authentication choose Secret, copy the secret now (it is shown only once) and note its expiration date; or add a public key or certificate whose private key you hold.",
		"Under Resources > Scopes, add ZIAM with an admin role that has user management.",
		"Save, then copy the Client ID from the API Clients table.",
	}
	var b strings.Builder
	b.WriteString(ansi.Wordwrap("zconn needs the client ID of a ZIdentity API client, and its secret or private key. If you have them, press enter. If not, create one:", width, " ") + "\n\n")
	for i, st := range steps {
		prefix := fmt.Sprintf(" %d. ", i+1)
		wrapped := ansi.Wordwrap(st, width-len(prefix), " ")
		b.WriteString(prefix + strings.ReplaceAll(wrapped, "\n", "\n"+strings.Repeat(" ", len(prefix))) + "\n")
	}
	if !where {
		return b.String()
	}
	b.WriteString("\n" + s.Muted.Render(ansi.Wordwrap(clean("Keep the secret or the private key at hand: you paste it (or give the key's file) in the next step, and zconn keeps it in the "+backend+", never in a plain file."), width, " ")) + "\n")
	return b.String()
}

// verifiedView shows what a successful verification proved.
func verifiedView(s *Styles, v store.Verification, host string, width int) string {
	sh := &sheet{styles: s, indent: 2, width: width - labelWidth - 2}
	sh.b.WriteString(s.Success.Render("✓ The credentials work.") + "\n\n")
	sh.row("Tenant host", host)
	sh.row("Token lifetime", humantime.Lifetime(v.TokenLifetime()))
	sh.row("Products", orNone(v.Products))
	sh.row("Roles", orNone(v.Roles))
	if v.AudienceOmitted {
		sh.row("Audience", "not sent: the tenant refuses it, so zconn leaves it out for this connection")
	}
	st := manager.VerificationStatus(&v)
	u := verifiedUsersCheck(st, "test it later with t on the Connections page")
	sh.marked("User management", s.render(u.tone, u.String()), "", "")
	if st.Concern() == manager.ConcernNoZIAM {
		sh.b.WriteString("\n" + s.Warning.Render(ansi.Wordwrap("⚠ The token does not carry ZIAM, so managing ZIdentity users with it will fail. In Integration > API Clients, add the ZIAM scope with an admin role that has user management. You can still create the connection.", width, " ")) + "\n")
	}
	return sh.String()
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

// credentialName names what proves a client of method m.
func credentialName(m store.AuthMethod) string {
	if m == store.AuthPrivateKey {
		return "private key"
	}
	return "secret"
}
