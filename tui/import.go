package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/humanpath"
	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/internal/sdkconfig"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// offer is a setup kept in plain text that the wizard offers to import:
// what sdkconfig.Discover found, the connection manager.ImportDraft makes
// of it, and what proves it (the secret, or the private key in its
// compact form), which only ever goes into the form's masked field and
// never prints itself.
type offer struct {
	setup      *sdkconfig.Setup
	draft      store.Connection
	credential sdkconfig.Secret
	// key is the private key, for a private-key client.
	key *zidentity.PrivateKey
	// summary describes the setup on one line, never its secret.
	summary string
	// origins are, for the environment, the shell startup files that
	// mention its variables, shown with ~.
	origins []string
}

// discovered is what looking where the SDKs look found: the setups that
// can be imported, and why the others cannot, one line each.
type discovered struct {
	offers   []offer
	problems []string
}

// discoveredMsg carries what discoverCmd found.
type discoveredMsg struct{ discovered }

// discover looks where the SDKs look (p) for credentials kept in plain
// text, and keeps those that manager.ImportDraft accepts; the others,
// and the places it could not read, become problems. It reads files, so
// it runs in a command, never in Update or View.
func discover(m *manager.Manager, p places) discovered {
	var d discovered
	found, problems := sdkconfig.Discover(p.getenv, p.home, p.dir)
	for _, s := range found {
		draft, credential, err := m.ImportDraft(s, manager.ImportOptions{})
		if err != nil {
			problems = append(problems, err)
			continue
		}
		o := offer{setup: s, draft: draft, credential: sdkconfig.NewSecret(credential), summary: s.Summary(p.home)}
		if draft.AuthMethod == store.AuthPrivateKey {
			if o.key, err = zidentity.DecodePrivateKey(credential); err != nil {
				problems = append(problems, err)
				continue
			}
		}
		if s.FromEnvironment() {
			for _, f := range sdkconfig.EnvOrigins(p.home, p.dir, s.Variables) {
				o.origins = append(o.origins, p.tilde(f))
			}
		}
		d.offers = append(d.offers, o)
	}
	for _, e := range problems {
		d.problems = append(d.problems, p.tildeIn(e.Error()))
	}
	return d
}

func discoverCmd(m *manager.Manager, p places) tea.Cmd {
	return func() tea.Msg { return discoveredMsg{discover(m, p)} }
}

// tilde shows a path under the home folder as ~/...
func (p places) tilde(path string) string { return humanpath.Tilde(path, p.home) }

// tildeIn shows the paths under the home folder in a message with ~.
func (p places) tildeIn(msg string) string { return humanpath.TildeIn(msg, p.home) }

// where names the offer's place: its file with ~, or the environment.
func (o *offer) where(p places) string {
	if o.setup.FromEnvironment() {
		return "the environment"
	}
	return p.tilde(o.setup.Path)
}

// offerView draws the offers on the Before you begin page, numbered for
// the keys that choose them and naming where the secret goes, and the
// problems in one muted line.
func offerView(s *Styles, d discovered, backend string, width int) string {
	var b strings.Builder
	if len(d.offers) > 0 {
		b.WriteString(ansi.Wordwrap(clean("Credentials kept in plain text were found. Importing verifies them and keeps the secret or key in the "+backend+":"), width, " ") + "\n\n")
		for i, o := range d.offers {
			prefix := fmt.Sprintf("  %d  ", i+1)
			line := ansi.Wordwrap(clean("Import from "+o.summary), width-len(prefix), " ")
			b.WriteString("  " + s.Focused.Render(fmt.Sprint(i+1)) + "  " + strings.ReplaceAll(line, "\n", "\n"+strings.Repeat(" ", len(prefix))) + "\n")
		}
	}
	if len(d.problems) > 0 {
		b.WriteString(s.Muted.Render(ansi.Truncate(clean("Not offered: "+strings.Join(d.problems, "; ")), width, "…")) + "\n")
	}
	return b.String()
}

// offerIndex is the index of the offer a key of wizardKeys.Import
// chooses: 0 for 1.
func offerIndex(k tea.KeyPressMsg) int { return int(k.Code - '1') }

// importHelp is the help of the keys that choose an offer: "1", or "1-3".
func importHelp(n int) string {
	if n == 1 {
		return "1"
	}
	return fmt.Sprintf("1-%d", n)
}

// fill puts an offer in the form: its fields, the secret in the masked
// field or the key in the key field, which shows only what it is, and the
// optional IDs with More open.
func (f *form) fill(o *offer) {
	c := o.draft
	f.prefill(fName, c.Name)
	f.prefill(fTenant, c.Vanity)
	f.prefill(fCloud, manager.Tenant(c).Cloud.String())
	f.prefill(fClientID, c.ClientID)
	f.prefill(fZPACustomerID, c.ZPACustomerID)
	f.prefill(fZPAMicrotenantID, c.ZPAMicrotenantID)
	f.prefill(fPartnerID, c.PartnerID)
	f.more = f.idsSet() > 0
	f.choose(c.AuthMethod)
	f.key.reset()
	f.set(fSecret, "")
	if c.AuthMethod == store.AuthPrivateKey {
		f.key.key = o.key
	} else {
		f.set(fSecret, o.credential.Reveal())
	}
	for i := range f.fields {
		f.validate(f.fields[i].id)
	}
}

// afterImport is what the wizard says once an imported connection is
// saved: it asks to take the plaintext secret out of its YAML file, and
// says what zconn leaves as it is (a key file, the environment).
type afterImport struct {
	offer *offer
	conn  store.Connection
	// removable is set when the file's secret can be removed: it is in
	// the file itself, and the connection saved, verified, holds it.
	removable bool
	// notice is what the Connections page says once the wizard is done.
	notice string
}

// newAfterImport decides what to ask and say after offer o was saved as
// conn with credential.
func newAfterImport(o *offer, conn store.Connection, credential, notice string) *afterImport {
	verified := conn.Verification != nil && conn.Verification.OK
	return &afterImport{
		offer:     o,
		conn:      conn,
		removable: o.setup.Plaintext() && verified && credential == o.credential.Reveal(),
		notice:    notice,
	}
}

// question is the question about the plaintext secret.
func (a *afterImport) question(p places, backend string) string {
	return fmt.Sprintf("Remove the %s from %s? It is now in the %s.", a.offer.setup.Kind, p.tilde(a.offer.setup.Path), backend)
}

// notes are what zconn leaves as it is, one paragraph each.
func (a *afterImport) notes(p places, backend string) []string {
	s := a.offer.setup
	kind := s.Kind.String()
	var notes []string
	switch {
	case s.FromEnvironment():
		vars := strings.Join(s.Variables, ", ")
		if len(a.offer.origins) == 0 {
			notes = append(notes, fmt.Sprintf("%s came from the environment, and no shell startup file mentions them: they may come from CI settings or the shell zconn was started from. Remove them there now that the %s holds the %s.", vars, backend, kind))
		} else {
			verb := "mention"
			if len(a.offer.origins) == 1 {
				verb = "mentions"
			}
			notes = append(notes, fmt.Sprintf("%s came from the environment; %s %s them. Remove them there now that the %s holds the %s: zconn does not edit shell files.", vars, strings.Join(a.offer.origins, ", "), verb, backend, kind))
		}
	case s.Plaintext() && !a.removable:
		why := "once the connection is verified (t on the Connections page)"
		if a.conn.Verification != nil && a.conn.Verification.OK {
			why = "once no other tool needs it: the " + backend + " holds the one you gave instead"
		}
		notes = append(notes, fmt.Sprintf("%s still holds the %s in plain text: delete its %s entry %s.", p.tilde(s.Path), kind, a.offer.setup.Kind.YAMLKey(), why))
	}
	if s.KeyPath != "" {
		notes = append(notes, fmt.Sprintf("The key file %s stays as it is: zconn never changes it. Delete it once no other tool needs it.", p.tilde(s.KeyPath)))
	}
	return notes
}

// view draws the page: what was created, the question, and the notes.
func (a *afterImport) view(s *Styles, p places, backend string, width int) string {
	var b strings.Builder
	b.WriteString(s.Success.Render(ansi.Wordwrap(clean("✓ "+a.notice+"."), width, " ")) + "\n\n")
	if a.removable {
		b.WriteString(s.Warning.Render(ansi.Wordwrap(clean("⚠ "+a.question(p, backend)), width, " ")) + "\n\n")
		b.WriteString(ansi.Wordwrap(clean(fmt.Sprintf("zconn rewrites the file without its %s entry in one step, keeping every other setting, the comments and the file's mode. It makes no backup, which would hold the secret in plain text again. y removes it; n leaves the file as it is.", a.offer.setup.Kind.YAMLKey())), width, " ") + "\n")
	}
	for _, n := range a.notes(p, backend) {
		b.WriteString(ansi.Wordwrap(clean(n), width, " ") + "\n\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// keptNotice says that the file keeps its secret, as asked.
func (a *afterImport) keptNotice(p places) string {
	return fmt.Sprintf("%s still holds the %s in plain text", p.tilde(a.offer.setup.Path), a.offer.setup.Kind)
}

// removedNotice says that the secret is out of the file.
func (a *afterImport) removedNotice(p places) string {
	return fmt.Sprintf("removed the %s from %s, whose other settings and comments stay", a.offer.setup.Kind, p.tilde(a.offer.setup.Path))
}

// removalFailed says that the connection is saved, but the secret stays
// in the file, and why. A file changed since it was read is this page's
// to explain: importing it again, as the command line is told, would
// make a second connection.
func (a *afterImport) removalFailed(p places, err error) error {
	what := fmt.Sprintf("%s is saved and verified, but the %s stays in %s", safetext.Clean(a.conn.Name, 64), a.offer.setup.Kind, p.tilde(a.offer.setup.Path))
	if errors.Is(err, sdkconfig.ErrChanged) {
		return fmt.Errorf("%s: the file changed since zconn read it, so zconn left it as it is: delete its %s entry by hand (%w)", what, a.offer.setup.Kind.YAMLKey(), sdkconfig.ErrChanged)
	}
	return fmt.Errorf("%s: %w", what, tilded{err, p})
}

// tilded is an error whose message shows paths under the home folder
// with ~.
type tilded struct {
	err error
	p   places
}

func (t tilded) Error() string { return t.p.tildeIn(t.err.Error()) }
func (t tilded) Unwrap() error { return t.err }

// plaintextRemovedMsg says whether the plaintext secret was removed.
type plaintextRemovedMsg struct {
	seq int
	err error
}

// removePlaintextCmd takes the secret of o's YAML file out, now that c,
// the connection importing it, holds it.
func removePlaintextCmd(ctx context.Context, m *manager.Manager, o *offer, c store.Connection, seq int) tea.Cmd {
	return func() tea.Msg {
		return plaintextRemovedMsg{seq: seq, err: m.RemovePlaintext(ctx, o.setup, c)}
	}
}
