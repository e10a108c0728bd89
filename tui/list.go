package tui

import (
	"fmt"
	"github.com/zconn/zconn/internal/humantime"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// row is one connection on the Connections page, with what the page
// derives from it once rather than on every frame.
type row struct {
	conn     store.Connection
	name     string // cleaned for display
	desc     string
	tenant   string
	haystack string // lower-case text the filter searches
	testing  bool
}

func newRow(c store.Connection) row {
	r := row{
		conn: c,
		name: safetext.Clean(c.Name, store.MaxNameLen),
		desc: safetext.Clean(c.Description, store.MaxDescriptionLen),
	}
	r.tenant = safetext.Clean(c.Vanity, 63)
	if cl := zidentity.Cloud(c.Cloud); !cl.IsProduction() {
		r.tenant += " (" + safetext.Clean(cl.String(), 20) + ")"
	}
	r.haystack = strings.ToLower(c.Name + "\x00" + c.Description + "\x00" + zidentity.Tenant{Vanity: c.Vanity, Cloud: zidentity.Cloud(c.Cloud)}.Host() + "\x00" + c.ClientID)
	return r
}

// Messages the Connections page sends the root to change screens.
type (
	openWizardMsg  struct{}
	openDetailsMsg struct{ conn store.Connection }
	openEditMsg    struct{ conn store.Connection }
	openRotateMsg  struct{ conn store.Connection }
	openDeleteMsg  struct{ conn store.Connection }
	// testAllMsg asks the root to test every connection.
	testAllMsg struct{}
	// flashMsg shows a one-line notice in the footer.
	flashMsg struct {
		text string
		bad  bool
	}
)

// listModel is the Connections page.
type listModel struct {
	d         *deps
	rows      []row
	visible   []int // indices of rows that pass the filter
	cursor    int   // index into visible
	offset    int   // first visible row on screen
	filter    textinput.Model
	filtering bool
	keys      listKeys
	fkeys     filterKeys
	out       outbox
	width     int
	height    int // rows of table body
}

func newList(d *deps, conns []store.Connection) listModel {
	f := newInput("name, description, tenant or client ID", 100)
	f.Prompt = "/ "
	l := listModel{d: d, filter: f, keys: newListKeys(), fkeys: newFilterKeys(), width: 80, height: 10}
	l.setConnections(conns, "")
	return l
}

// setConnections replaces the rows, keeping the filter and selecting
// selectID (or the connection selected before).
func (l *listModel) setConnections(conns []store.Connection, selectID string) {
	if selectID == "" {
		if c, ok := l.selected(); ok {
			selectID = c.ID
		}
	}
	testing := map[string]bool{}
	for _, r := range l.rows {
		if r.testing {
			testing[r.conn.ID] = true
		}
	}
	l.rows = make([]row, len(conns))
	for i, c := range conns {
		l.rows[i] = newRow(c)
		l.rows[i].testing = testing[c.ID]
	}
	l.applyFilter()
	l.selectID(selectID)
}

// replace updates one connection's row in place.
func (l *listModel) replace(c store.Connection, testing bool) {
	for i := range l.rows {
		if l.rows[i].conn.ID == c.ID {
			l.rows[i] = newRow(c)
			l.rows[i].testing = testing
			return
		}
	}
}

func (l *listModel) setTesting(id string, on bool) {
	for i := range l.rows {
		if id == "" || l.rows[i].conn.ID == id {
			l.rows[i].testing = on
		}
	}
}

func (l *listModel) selectID(id string) {
	if id == "" {
		l.clamp()
		return
	}
	for vi, ri := range l.visible {
		if l.rows[ri].conn.ID == id {
			l.cursor = vi
			break
		}
	}
	l.clamp()
}

// applyFilter narrows the rows to those whose text holds the filter.
func (l *listModel) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(l.filter.Value()))
	l.visible = l.visible[:0]
	for i := range l.rows {
		if q == "" || strings.Contains(l.rows[i].haystack, q) {
			l.visible = append(l.visible, i)
		}
	}
	l.clamp()
}

func (l *listModel) clamp() {
	l.cursor = max(0, min(l.cursor, len(l.visible)-1))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.height > 0 && l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = max(0, min(l.offset, len(l.visible)-l.height))
}

func (l *listModel) setSize(width, height int) {
	l.width = width
	l.height = max(1, height)
	l.filter.SetWidth(max(10, width-20))
	l.clamp()
}

// selected returns the connection under the cursor.
func (l *listModel) selected() (store.Connection, bool) {
	if len(l.visible) == 0 {
		return store.Connection{}, false
	}
	return l.rows[l.visible[l.cursor]].conn, true
}

func (l *listModel) conns() []store.Connection {
	out := make([]store.Connection, len(l.rows))
	for i, r := range l.rows {
		out[i] = r.conn
	}
	return out
}

func (l listModel) helpKeys() help.KeyMap {
	if l.filtering {
		return l.fkeys
	}
	k := l.keys
	has := len(l.visible) > 0
	for _, b := range []*key.Binding{&k.Details, &k.Edit, &k.Rotate, &k.Test, &k.Delete, &k.Default, &k.Copy} {
		b.SetEnabled(has)
	}
	k.TestAll.SetEnabled(len(l.rows) > 0)
	k.ClearFilter.SetEnabled(l.filter.Value() != "")
	return k
}

func (l listModel) update(msg tea.Msg) (listModel, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if l.filtering {
		if ok {
			switch {
			case key.Matches(k, l.fkeys.Clear):
				l.filter.SetValue("")
				l.filter.Blur()
				l.filtering = false
				l.applyFilter()
				return l, nil
			case key.Matches(k, l.fkeys.Apply):
				l.filter.Blur()
				l.filtering = false
				return l, nil
			}
		}
		before := l.filter.Value()
		var cmd tea.Cmd
		l.filter, cmd = l.filter.Update(msg)
		if l.filter.Value() != before {
			l.applyFilter()
		}
		return l, cmd
	}
	if !ok {
		return l, nil
	}
	c, has := l.selected()
	send := func(m tea.Msg) tea.Cmd {
		l.out.emit(m)
		return nil
	}
	switch {
	case key.Matches(k, l.keys.Up):
		l.cursor--
		l.clamp()
	case key.Matches(k, l.keys.Down):
		l.cursor++
		l.clamp()
	case key.Matches(k, l.keys.Top):
		l.cursor = 0
		l.clamp()
	case key.Matches(k, l.keys.Bottom):
		l.cursor = len(l.visible) - 1
		l.clamp()
	case key.Matches(k, l.keys.Filter):
		l.filtering = true
		return l, l.filter.Focus()
	case key.Matches(k, l.keys.ClearFilter) && l.filter.Value() != "":
		l.filter.SetValue("")
		l.applyFilter()
	case key.Matches(k, l.keys.New):
		return l, send(openWizardMsg{})
	case key.Matches(k, l.keys.TestAll) && len(l.rows) > 0:
		l.setTesting("", true)
		return l, send(testAllMsg{})
	case !has:
	case key.Matches(k, l.keys.Details):
		return l, send(openDetailsMsg{c})
	case key.Matches(k, l.keys.Edit):
		return l, send(openEditMsg{c})
	case key.Matches(k, l.keys.Rotate):
		return l, send(openRotateMsg{c})
	case key.Matches(k, l.keys.Delete):
		return l, send(openDeleteMsg{c})
	case key.Matches(k, l.keys.Test):
		l.setTesting(c.ID, true)
		return l, testCmd(l.d.ctx, l.d.mgr, c)
	case key.Matches(k, l.keys.Default):
		return l, setDefaultCmd(l.d.ctx, l.d.mgr, c)
	case key.Matches(k, l.keys.Copy):
		return l, tea.Batch(tea.SetClipboard(c.ClientID), send(flashMsg{text: "Copied the client ID of " + safetext.Clean(c.Name, 64) + " to the clipboard"}))
	}
	return l, nil
}

// column is one column of the table, sized to the terminal.
type column struct {
	title      string
	min, ideal int
	optional   bool
	width      int
}

// layout sizes the columns for width: every column gets its minimum, the
// description is dropped first when even that does not fit, and what is
// left grows the columns in turn towards their ideal width, then the
// description takes the rest.
func layout(width int) []column {
	cols := []column{
		{title: "NAME", min: 8, ideal: 24},
		{title: "DESCRIPTION", min: 10, ideal: 24, optional: true},
		{title: "TENANT", min: 10, ideal: 24},
		{title: "CLIENT ID", min: 9, ideal: 24},
		{title: "STATUS", min: 16, ideal: 18},
		{title: "EXPIRES", min: 11, ideal: 11},
	}
	avail := width - 2 // the cursor and default marks
	need := func(cs []column) int {
		n := len(cs) - 1
		for _, c := range cs {
			n += c.min
		}
		return n
	}
	if need(cols) > avail {
		cols = slices.DeleteFunc(cols, func(c column) bool { return c.optional })
	}
	left := avail - need(cols)
	for i := range cols {
		cols[i].width = cols[i].min
	}
	for grew := true; left > 0 && grew; {
		grew = false
		for i := range cols {
			if left > 0 && cols[i].width < cols[i].ideal {
				cols[i].width++
				left--
				grew = true
			}
		}
	}
	if left > 0 {
		cols[min(1, len(cols)-1)].width += left
	}
	return cols
}

func cell(s string, width int) string {
	return pad(ansi.Truncate(s, width, "…"), width)
}

// status describes a connection's last verification.
func status(r row, now time.Time) (string, int) {
	v := r.conn.Verification
	switch {
	case r.testing:
		return "… testing", 0
	case v == nil:
		return "· never verified", 0
	case v.OK && lacksZIAM(v):
		return "⚠ no ZIAM · " + humantime.Ago(v.At, now), -2
	case v.OK:
		return "✓ ok · " + humantime.Ago(v.At, now), 1
	case v.Category == store.CategorySecretMissing:
		return "✗ secret missing", -1
	}
	return "✗ " + strings.ReplaceAll(v.Category, "_", " "), -1
}

// lacksZIAM reports whether a verified token lacked ZIAM, which managing
// ZIdentity users needs.
func lacksZIAM(v *store.Verification) bool { return !v.HasProduct(zidentity.ZIAM) }

// expiry describes a connection's secret expiry.
func expiry(c store.Connection, now time.Time) (string, int) {
	switch c.SecretState(now) {
	case store.SecretNoExpiry:
		return "—", 0
	case store.SecretExpired:
		return "✗ expired", -1
	case store.SecretExpiring:
		days := c.SecretExpires.DaysFrom(now)
		if days == 0 {
			return "⚠ today", -2
		}
		return "⚠ in " + humantime.Plural(days, "day"), -2
	}
	return c.SecretExpires.String(), 0
}

func (l listModel) tone(text string, t int) string {
	s := l.d.styles
	switch t {
	case 1:
		return s.Success.Render(text)
	case -1:
		return s.Error.Render(text)
	case -2:
		return s.Warning.Render(text)
	}
	return text
}

func (l listModel) view() string {
	s := l.d.styles
	var b strings.Builder
	if l.filtering || l.filter.Value() != "" {
		b.WriteString(l.filter.View() + s.Muted.Render(fmt.Sprintf("  %d of %d", len(l.visible), len(l.rows))) + "\n")
	}
	if len(l.rows) == 0 {
		b.WriteString("\n" + ansi.Wordwrap("No connections yet. Press n to create your first one: you need the client ID and secret of an API client from your ZIdentity Administration Portal (the wizard shows how to make one).", max(20, l.width-2), " ") + "\n")
		return b.String()
	}
	if len(l.visible) == 0 {
		b.WriteString("\nNo connection matches " + fmt.Sprintf("%q", safetext.Clean(l.filter.Value(), 40)) + ". Press esc to clear the filter.\n")
		return b.String()
	}
	cols := layout(l.width)
	header := "  "
	for i, c := range cols {
		if i > 0 {
			header += " "
		}
		header += cell(c.title, c.width)
	}
	b.WriteString(s.Header.Render(header) + "\n")
	now := l.d.now()
	end := min(len(l.visible), l.offset+l.height)
	for vi := l.offset; vi < end; vi++ {
		r := l.rows[l.visible[vi]]
		mark := " "
		if r.conn.Default {
			mark = "*"
		}
		cursor := " "
		if vi == l.cursor {
			cursor = ">"
		}
		var line strings.Builder
		for i, c := range cols {
			if i > 0 {
				line.WriteByte(' ')
			}
			var text string
			tone := 0
			switch c.title {
			case "NAME":
				text = r.name
			case "DESCRIPTION":
				text = r.desc
			case "TENANT":
				text = r.tenant
			case "CLIENT ID":
				text = safetext.Clean(r.conn.ClientID, store.MaxClientIDLen)
			case "STATUS":
				text, tone = status(r, now)
			case "EXPIRES":
				text, tone = expiry(r.conn, now)
			}
			text = cell(text, c.width)
			if vi != l.cursor {
				text = l.tone(text, tone)
			}
			line.WriteString(text)
		}
		if vi == l.cursor {
			b.WriteString(s.Focused.Render(cursor+mark) + s.Selected.Render(line.String()) + "\n")
		} else {
			b.WriteString(cursor + mark + line.String() + "\n")
		}
	}
	if len(l.visible) > l.height {
		b.WriteString(s.Muted.Render(fmt.Sprintf("  %d–%d of %d", l.offset+1, end, len(l.visible))) + "\n")
	}
	return b.String()
}
