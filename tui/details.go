package tui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/zconn/zconn/internal/humantime"
	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// detailsPage shows every field of one connection; never its secret.
type detailsPage struct {
	c    *common
	conn store.Connection
	// conns are all the connections, for the default and the name check
	// of an edit.
	conns []store.Connection
	keys  detailsKeys
	width int
	// height is the lines the page may take; offset, the first line
	// shown of a page taller than that.
	height, offset int
	// key describes a private-key client's key once it is read from the
	// secrets backend; keyErr is why it could not be.
	keyDesc string
	keyErr  error
	outbox
}

// keyDescribedMsg carries the description of a connection's private key,
// read from the secrets backend, or why it could not be read.
type keyDescribedMsg struct {
	id   string
	desc string
	err  error
}

// describeKeyCmd reads a private-key client's key to describe it; the
// key itself goes no further.
func describeKeyCmd(ctx context.Context, m *manager.Manager, c store.Connection) tea.Cmd {
	return func() tea.Msg {
		key, err := m.PrivateKey(ctx, c)
		if err != nil {
			return keyDescribedMsg{id: c.ID, err: err}
		}
		return keyDescribedMsg{id: c.ID, desc: key.Description()}
	}
}

func newDetails(c *common, conn store.Connection, conns []store.Connection) *detailsPage {
	return &detailsPage{c: c, conn: conn, conns: conns, keys: newDetailsKeys(), width: 80}
}

// init reads a private-key client's key, to describe it.
func (v *detailsPage) init() tea.Cmd {
	if v.conn.AuthMethod != store.AuthPrivateKey {
		return nil
	}
	return describeKeyCmd(v.c.ctx, v.c.mgr, v.conn)
}

func (v *detailsPage) title() string { return "Connection details" }

func (v *detailsPage) setSize(width, height int) { v.width, v.height = width, height }

func (v *detailsPage) helpKeys() help.KeyMap {
	k := v.keys
	return keyHelp{k.Edit, k.Rotate, k.Test, k.Delete, k.Default, k.Copy, k.Back}
}

func (v *detailsPage) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reloadedMsg:
		if msg.err == nil {
			v.conns = msg.conns
			for _, c := range msg.conns {
				if c.ID == v.conn.ID {
					v.conn = c
				}
			}
		}
		return nil
	case testedMsg:
		if msg.result.Connection.ID == v.conn.ID {
			v.conn = msg.result.Connection
		}
		return nil
	case keyDescribedMsg:
		if msg.id == v.conn.ID {
			v.keyDesc, v.keyErr = msg.desc, msg.err
		}
		return nil
	case tea.KeyPressMsg:
		return v.key(msg)
	}
	return nil
}

func (v *detailsPage) key(k tea.KeyPressMsg) tea.Cmd {
	c := v.conn
	switch {
	case key.Matches(k, v.keys.Up):
		v.offset = max(0, v.offset-1)
	case key.Matches(k, v.keys.Down):
		v.offset = min(v.offset+1, v.maxOffset())
	case key.Matches(k, v.keys.Back):
		v.emit(closeMsg{})
	case key.Matches(k, v.keys.Edit):
		v.emit(openMsg{newEditor(v.c, modeEdit, c, v.conns)})
	case key.Matches(k, v.keys.Rotate):
		v.emit(openMsg{newEditor(v.c, modeRotate, c, v.conns)})
	case key.Matches(k, v.keys.Delete):
		v.emit(openMsg{newDeletePage(v.c, c)})
	case key.Matches(k, v.keys.Test):
		v.emit(flashMsg{text: "Testing " + safetext.Clean(c.Name, 64) + "…"})
		return testCmd(v.c.ctx, v.c.mgr, c)
	case key.Matches(k, v.keys.Default):
		return setDefaultCmd(v.c.ctx, v.c.mgr, c)
	case key.Matches(k, v.keys.Copy):
		v.emit(flashMsg{text: "Copied the client ID to the clipboard"})
		return tea.SetClipboard(c.ClientID)
	}
	return nil
}

// isDefault reports whether the connection is the default one.
func (v *detailsPage) isDefault() bool {
	i := store.DefaultIndex(v.conns)
	return i >= 0 && v.conns[i].ID == v.conn.ID
}

// view draws the sheet; one taller than the page scrolls, with a line
// that says so.
func (v *detailsPage) view() string {
	lines := v.lines()
	if v.height <= 1 || len(lines) <= v.height {
		return strings.Join(lines, "\n") + "\n"
	}
	room := v.height - 1
	offset := min(v.offset, len(lines)-room)
	more := "↓/j for more"
	if offset == len(lines)-room {
		more = "↑/k for the top"
	}
	return strings.Join(lines[offset:offset+room], "\n") + "\n" + v.c.styles.Muted.Render("  "+more) + "\n"
}

// lines are the sheet's lines.
func (v *detailsPage) lines() []string {
	return strings.Split(strings.TrimSuffix(v.sheet(), "\n"), "\n")
}

// maxOffset is the last line the page can scroll to: none when it fits.
func (v *detailsPage) maxOffset() int {
	if n := len(v.lines()); v.height > 1 && n > v.height {
		return n - (v.height - 1)
	}
	return 0
}

// sheet draws every field of the connection.
func (v *detailsPage) sheet() string {
	s := v.c.styles
	c := v.conn
	now := v.c.now()
	title := s.Subtitle.Render(clean(c.Name))
	if v.isDefault() {
		title += s.Muted.Render("  (default)")
	}
	sh := &sheet{styles: s, indent: 2, width: v.width - labelWidth - 6}
	sh.b.WriteString(title + "\n\n")
	sh.row("Description", orDash(clean(c.Description)))
	t := manager.Tenant(c)
	sh.row("Tenant", t.Vanity+" ("+t.Cloud.String()+" cloud)")
	client := zidentity.Client{BaseURL: v.c.baseURL}
	if u, err := client.TokenURL(t); err == nil {
		sh.row("Token URL", u)
	}
	sh.row("Client ID", c.ClientID)
	kept := "in the " + v.c.mgr.Store.Secrets().Backend() + ", under the connection's ID " + c.ID + "; never shown"
	if c.AuthMethod == store.AuthPrivateKey {
		switch {
		case v.keyErr != nil:
			sh.row("Authentication", "private key")
			sh.marked("", s.Error.Render(errorText(v.keyErr, 300)), "", "")
		case v.keyDesc != "":
			sh.row("Authentication", "private key: "+v.keyDesc)
		default:
			sh.row("Authentication", "private key (reading it to describe it…)")
		}
		sh.row("Private key", kept)
		sh.row("Key expires", expiryDetail(c.Expiry(now)))
	} else {
		sh.row("Authentication", "client secret")
		sh.row("Secret", kept)
		sh.row("Secret expires", expiryDetail(c.Expiry(now)))
	}
	if c.OmitAudience {
		sh.row("Audience", "not sent (the tenant refuses it)")
	}
	for _, id := range []struct{ label, value string }{
		{"ZPA customer ID", c.ZPACustomerID}, {"ZPA microtenant", c.ZPAMicrotenantID}, {"Partner ID", c.PartnerID},
	} {
		if id.value != "" {
			sh.row(id.label, id.value)
		}
	}
	sh.row("Created", c.CreatedAt.Local().Format("2006-01-02 15:04")+" · updated "+c.UpdatedAt.Local().Format("2006-01-02 15:04"))
	sh.blank()
	vr := c.Verification
	when := func() string {
		return ", " + vr.At.Local().Format("2006-01-02 15:04") + " (" + humantime.Ago(vr.At, now) + ")"
	}
	switch {
	case vr == nil:
		sh.row("Last verified", "never: press t to test the credentials")
	case vr.OK:
		sh.marked("Last verified", s.Success.Render("✓ ok"), when(), "")
		sh.row("Token lifetime", humantime.Lifetime(vr.TokenLifetime()))
		tail := ""
		if manager.LacksZIAM(vr) {
			tail = s.Warning.Render("  (no ZIAM: managing users will fail; add the ZIAM scope)")
		}
		sh.marked("Products", "", orNone(vr.Products), tail)
		sh.row("Roles", orNone(vr.Roles))
		u := usersCheck(manager.StatusOf(c).UserManagement, "press t to test it")
		sh.marked("User management", s.render(u.tone, u.String()), "", "")
	default:
		sh.marked("Last verified", s.Error.Render("✗ failed"), when(), "")
		sh.row("Reason", vr.Message)
	}
	return sh.String()
}

// expiryDetail is the secret's expiry as the details page shows it: the
// date, with what is due when it is.
func expiryDetail(e store.Expiry) string {
	switch e.State {
	case store.SecretNoExpiry:
		return "not recorded (press e to add it)"
	case store.SecretValid:
		return e.Date.String()
	}
	return e.Date.String() + "  " + expiryLabel(e).String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
