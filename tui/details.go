package tui

import (
	"time"

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
	outbox
}

func newDetails(c *common, conn store.Connection, conns []store.Connection) *detailsPage {
	return &detailsPage{c: c, conn: conn, conns: conns, keys: newDetailsKeys(), width: 80}
}

func (v *detailsPage) init() tea.Cmd { return nil }

func (v *detailsPage) title() string { return "Connection details" }

func (v *detailsPage) setSize(width, _ int) { v.width = width }

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
	case tea.KeyPressMsg:
		return v.key(msg)
	}
	return nil
}

func (v *detailsPage) key(k tea.KeyPressMsg) tea.Cmd {
	c := v.conn
	switch {
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

func (v *detailsPage) view() string {
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
	sh.row("Secret", "in the "+v.c.mgr.Store.Secrets().Backend()+", under the connection's ID "+c.ID+"; never shown")
	sh.row("Secret expires", expiryDetail(c.Expiry(now)))
	sh.row("Created", c.CreatedAt.Local().Format("2006-01-02 15:04"))
	sh.row("Updated", c.UpdatedAt.Local().Format("2006-01-02 15:04"))
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
		sh.row("Token lifetime", humantime.Lifetime(time.Duration(vr.Lifetime)*time.Second))
		tail := ""
		if manager.LacksZIAM(vr) {
			tail = s.Warning.Render("  (no ZIAM: managing users will fail; add the ZIAM scope)")
		}
		sh.marked("Products", "", orNone(vr.Products), tail)
		sh.row("Roles", orNone(vr.Roles))
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
