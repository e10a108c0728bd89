package tui

import (
	"fmt"
	"github.com/zconn/zconn/internal/humantime"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// closeMsg asks the root to go back to the Connections page.
type closeMsg struct{}

// details shows every field of one connection; never its secret.
type details struct {
	d     *deps
	conn  store.Connection
	keys  detailsKeys
	width int
	out   outbox
}

func newDetails(d *deps, c store.Connection) details {
	return details{d: d, conn: c, keys: newDetailsKeys(), width: 80}
}

func (v details) update(msg tea.Msg) (details, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return v, nil
	}
	send := func(m tea.Msg) tea.Cmd {
		v.out.emit(m)
		return nil
	}
	c := v.conn
	switch {
	case key.Matches(k, v.keys.Back):
		return v, send(closeMsg{})
	case key.Matches(k, v.keys.Edit):
		return v, send(openEditMsg{c})
	case key.Matches(k, v.keys.Rotate):
		return v, send(openRotateMsg{c})
	case key.Matches(k, v.keys.Delete):
		return v, send(openDeleteMsg{c})
	case key.Matches(k, v.keys.Test):
		return v, tea.Batch(testCmd(v.d.ctx, v.d.mgr, c), send(flashMsg{text: "Testing " + safetext.Clean(c.Name, 64) + "…"}))
	case key.Matches(k, v.keys.Default):
		return v, setDefaultCmd(v.d.ctx, v.d.mgr, c)
	case key.Matches(k, v.keys.Copy):
		return v, tea.Batch(tea.SetClipboard(c.ClientID), send(flashMsg{text: "Copied the client ID to the clipboard"}))
	}
	return v, nil
}

func (v details) view() string {
	s := v.d.styles
	c := v.conn
	now := v.d.now()
	width := max(20, v.width-labelWidth-6)
	var b strings.Builder
	title := safetext.Clean(c.Name, store.MaxNameLen)
	if c.Default {
		title += s.Muted.Render("  (default)")
	}
	b.WriteString(s.Subtitle.Render(title) + "\n\n")
	row := func(label, value string) {
		value = ansi.Wordwrap(value, width, " ")
		value = strings.ReplaceAll(value, "\n", "\n"+strings.Repeat(" ", labelWidth+2))
		b.WriteString("  " + s.Label.Render(pad(label, labelWidth)) + value + "\n")
	}
	row("Description", orDash(safetext.Clean(c.Description, store.MaxDescriptionLen)))
	t := manager.Tenant(c)
	row("Tenant", safetext.Clean(t.Vanity, 63)+" ("+t.Cloud.String()+" cloud)")
	client := zidentity.Client{BaseURL: v.d.baseURL}
	if u, err := client.TokenURL(t); err == nil {
		row("Token URL", u)
	}
	row("Client ID", safetext.Clean(c.ClientID, store.MaxClientIDLen))
	row("Secret", "in the "+v.d.mgr.Store.Secrets().Backend()+", under the connection's ID "+c.ID+"; never shown")
	exp, tone := expiry(c, now)
	if !c.SecretExpires.IsZero() && tone != 0 {
		exp = c.SecretExpires.String() + "  " + exp
	}
	if c.SecretExpires.IsZero() {
		exp = "not recorded (press e to add it)"
	}
	row("Secret expires", exp)
	row("Created", c.CreatedAt.Local().Format("2006-01-02 15:04"))
	row("Updated", c.UpdatedAt.Local().Format("2006-01-02 15:04"))
	b.WriteString("\n")
	vr := c.Verification
	switch {
	case vr == nil:
		row("Last verified", "never: press t to test the credentials")
	case vr.OK:
		row("Last verified", s.Success.Render("✓ ok")+", "+vr.At.Local().Format("2006-01-02 15:04")+" ("+humantime.Ago(vr.At, now)+")")
		row("Token lifetime", humantime.Lifetime(time.Duration(vr.Lifetime)*time.Second))
		products := orNone(vr.Products)
		if lacksZIAM(vr) {
			products += s.Warning.Render("  (no ZIAM: managing users will fail; add the ZIAM scope)")
		}
		row("Products", products)
		row("Roles", orNone(vr.Roles))
	default:
		row("Last verified", s.Error.Render("✗ failed")+", "+vr.At.Local().Format("2006-01-02 15:04")+" ("+humantime.Ago(vr.At, now)+")")
		row("Reason", safetext.Clean(vr.Message, 400))
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// confirmDelete asks before a connection is deleted.
type confirmDelete struct {
	d    *deps
	conn store.Connection
	keys pageKeys
	busy bool
	out  outbox
}

func newConfirmDelete(d *deps, c store.Connection) confirmDelete {
	return confirmDelete{d: d, conn: c, keys: confirmKeys()}
}

func (m confirmDelete) update(msg tea.Msg) (confirmDelete, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || m.busy {
		return m, nil
	}
	switch {
	case key.Matches(k, m.keys.Continue):
		m.busy = true
		return m, deleteCmd(m.d.ctx, m.d.mgr, m.conn)
	case key.Matches(k, m.keys.Back):
		m.out.emit(closeMsg{})
		return m, nil
	}
	return m, nil
}

func (m confirmDelete) view(width int) string {
	s := m.d.styles
	name := safetext.Clean(m.conn.Name, store.MaxNameLen)
	text := fmt.Sprintf("Delete the connection %q? This removes its details from zconn and its secret from the %s. The API client itself stays in the ZIdentity portal.", name, m.d.mgr.Store.Secrets().Backend())
	if m.busy {
		return "Deleting " + name + "…\n"
	}
	return s.Warning.Render("Delete "+name) + "\n\n" + ansi.Wordwrap(text, max(20, width-4), " ") + "\n"
}
