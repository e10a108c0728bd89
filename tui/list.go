package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// row is one connection on the Connections page, with what the page
// derives from it once rather than on every frame.
type row struct {
	conn     store.Connection
	status   manager.Status
	name     string // cleaned for display
	desc     string
	tenant   string
	clientID string
	haystack string // lower-case text the filter searches
	testing  bool
}

func newRow(c store.Connection) row {
	r := row{
		conn:     c,
		status:   manager.StatusOf(c),
		name:     safetext.Clean(c.Name, store.MaxNameLen),
		desc:     safetext.Clean(c.Description, store.MaxDescriptionLen),
		clientID: safetext.Clean(c.ClientID, store.MaxClientIDLen),
	}
	r.tenant = safetext.Clean(c.Vanity, 63)
	if cl := zidentity.Cloud(c.Cloud); !cl.IsProduction() {
		r.tenant += " (" + safetext.Clean(cl.String(), 20) + ")"
	}
	r.haystack = strings.ToLower(c.Name + "\x00" + c.Description + "\x00" + manager.Tenant(c).Host() + "\x00" + c.ClientID)
	return r
}

// listPage is the Connections page: the app's home, which stays alive
// under every other page and hears about every change to a connection.
type listPage struct {
	c         *common
	rows      []row
	visible   []int // indices of rows that pass the filter
	cursor    int   // index into visible
	offset    int   // first visible row on screen
	filter    textinput.Model
	filtering bool
	keys      listKeys
	fkeys     filterKeys
	width     int
	height    int // rows of table body
	// defaultID is the ID of the default connection, as store.DefaultIndex
	// chooses it, or "".
	defaultID string
	// testingAll is set while a test of every connection runs; tally
	// counts its answers.
	testingAll bool
	tally      struct{ ok, failed int }
	outbox
}

func newList(c *common, conns []store.Connection) *listPage {
	f := newInput("name, description, tenant or client ID", 100)
	f.Prompt = "/ "
	l := &listPage{c: c, filter: f, keys: newListKeys(), fkeys: newFilterKeys(), width: 80, height: 10}
	l.setConnections(conns, "")
	return l
}

func (l *listPage) init() tea.Cmd { return nil }

func (l *listPage) title() string { return "Connections" }

// setConnections replaces the rows, keeping the filter and selecting
// selectID (or the connection selected before).
func (l *listPage) setConnections(conns []store.Connection, selectID string) {
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
	l.defaultID = ""
	if i := store.DefaultIndex(conns); i >= 0 {
		l.defaultID = conns[i].ID
	}
	l.applyFilter()
	l.selectID(selectID)
}

// replace updates one connection's row in place.
func (l *listPage) replace(c store.Connection, testing bool) {
	for i := range l.rows {
		if l.rows[i].conn.ID == c.ID {
			l.rows[i] = newRow(c)
			l.rows[i].testing = testing
			return
		}
	}
}

func (l *listPage) setTesting(id string, on bool) {
	for i := range l.rows {
		if id == "" || l.rows[i].conn.ID == id {
			l.rows[i].testing = on
		}
	}
}

func (l *listPage) selectID(id string) {
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
func (l *listPage) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(l.filter.Value()))
	l.visible = l.visible[:0]
	for i := range l.rows {
		if q == "" || strings.Contains(l.rows[i].haystack, q) {
			l.visible = append(l.visible, i)
		}
	}
	l.clamp()
}

func (l *listPage) clamp() {
	l.cursor = max(0, min(l.cursor, len(l.visible)-1))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.height > 0 && l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = max(0, min(l.offset, len(l.visible)-l.height))
}

// setSize leaves room for the filter, the header and the pager.
func (l *listPage) setSize(width, height int) {
	l.width = width
	l.height = max(1, height-3)
	l.filter.SetWidth(max(10, width-20))
	l.clamp()
}

// selected returns the connection under the cursor.
func (l *listPage) selected() (store.Connection, bool) {
	if len(l.visible) == 0 {
		return store.Connection{}, false
	}
	return l.rows[l.visible[l.cursor]].conn, true
}

func (l *listPage) conns() []store.Connection {
	out := make([]store.Connection, len(l.rows))
	for i, r := range l.rows {
		out[i] = r.conn
	}
	return out
}

func (l *listPage) helpKeys() help.KeyMap {
	if l.filtering {
		return keyHelp{l.fkeys.Apply, l.fkeys.Clear}
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

func (l *listPage) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reloadedMsg:
		if msg.err != nil {
			l.emit(errorFlash(msg.err))
			return nil
		}
		l.setConnections(msg.conns, msg.selectID)
		return nil
	case testedMsg:
		return l.tested(msg)
	case testAllDoneMsg:
		l.testingAll = false
		l.emit(flashMsg{
			text: fmt.Sprintf("Tested %d: %d ok, %d failed", l.tally.ok+l.tally.failed, l.tally.ok, l.tally.failed),
			bad:  l.tally.failed > 0,
		})
		l.tally.ok, l.tally.failed = 0, 0
		return nil
	case defaultSetMsg:
		if msg.err != nil {
			l.emit(errorFlash(msg.err))
			return nil
		}
		l.emit(flashMsg{text: safetext.Clean(msg.conn.Name, 64) + " is now the default connection"})
		return reloadCmd(l.c.mgr, msg.conn.ID)
	case tea.KeyPressMsg:
		if l.filtering {
			return l.updateFilter(msg)
		}
		return l.key(msg)
	}
	if l.filtering {
		return l.updateFilter(msg)
	}
	return nil
}

// updateFilter hands what is typed to the filter.
func (l *listPage) updateFilter(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, l.fkeys.Clear):
			l.filter.SetValue("")
			l.filter.Blur()
			l.filtering = false
			l.applyFilter()
			return nil
		case key.Matches(k, l.fkeys.Apply):
			l.filter.Blur()
			l.filtering = false
			return nil
		}
	}
	before := l.filter.Value()
	var cmd tea.Cmd
	l.filter, cmd = l.filter.Update(msg)
	if l.filter.Value() != before {
		l.applyFilter()
	}
	return cmd
}

// key acts on a key typed while the table has the focus.
func (l *listPage) key(k tea.KeyPressMsg) tea.Cmd {
	c, has := l.selected()
	switch {
	case key.Matches(k, l.keys.Quit):
		l.emit(quitMsg{})
	case key.Matches(k, l.keys.Help):
		l.emit(toggleHelpMsg{})
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
		return l.filter.Focus()
	case key.Matches(k, l.keys.ClearFilter) && l.filter.Value() != "":
		l.filter.SetValue("")
		l.applyFilter()
	case key.Matches(k, l.keys.New):
		l.emit(openMsg{newWizard(l.c, l.conns(), false)})
	case key.Matches(k, l.keys.TestAll) && len(l.rows) > 0:
		return l.testAll()
	case !has:
	case key.Matches(k, l.keys.Details):
		l.emit(openMsg{newDetails(l.c, c, l.conns())})
	case key.Matches(k, l.keys.Edit):
		l.emit(openMsg{newEditor(l.c, modeEdit, c, l.conns())})
	case key.Matches(k, l.keys.Rotate):
		l.emit(openMsg{newEditor(l.c, modeRotate, c, l.conns())})
	case key.Matches(k, l.keys.Delete):
		l.emit(openMsg{newDeletePage(l.c, c)})
	case key.Matches(k, l.keys.Test):
		l.setTesting(c.ID, true)
		return testCmd(l.c.ctx, l.c.mgr, c)
	case key.Matches(k, l.keys.Default):
		return setDefaultCmd(l.c.ctx, l.c.mgr, c)
	case key.Matches(k, l.keys.Copy):
		l.emit(flashMsg{text: "Copied the client ID of " + safetext.Clean(c.Name, 64) + " to the clipboard"})
		return tea.SetClipboard(c.ClientID)
	}
	return nil
}

// testAll starts testing every connection, unless that is running.
func (l *listPage) testAll() tea.Cmd {
	if l.testingAll {
		l.emit(flashMsg{text: "Every connection is being tested already; the rows update as answers come"})
		return nil
	}
	l.testingAll = true
	l.setTesting("", true)
	conns := l.conns()
	l.emit(flashMsg{text: fmt.Sprintf("Testing %d connections, %d at a time…", len(conns), manager.MaxParallelTests)})
	return testAllCmd(l.c.ctx, l.c.mgr, conns)
}

// tested shows one test's answer on its row and, for a test-all, waits
// for the next.
func (l *listPage) tested(msg testedMsg) tea.Cmd {
	r := msg.result
	l.replace(r.Connection, false)
	if msg.more != nil {
		if r.Err == nil {
			l.tally.ok++
		} else {
			l.tally.failed++
		}
		return nextResultOrDone(msg.more)
	}
	name := safetext.Clean(r.Connection.Name, 64)
	if r.Err != nil {
		l.emit(errorFlash(fmt.Errorf("%s: %w", name, r.Err)))
	} else {
		l.emit(flashMsg{text: "✓ " + name + ": the credentials work"})
	}
	return nil
}

// columnID names a column of the table.
type columnID int

// The columns.
const (
	colName columnID = iota
	colDescription
	colTenant
	colClientID
	colStatus
	colExpires
)

// column is one column of the table, sized to the terminal.
type column struct {
	id         columnID
	title      string
	min, ideal int
	optional   bool
	width      int
}

// Bounds of the STATUS column's ideal width: it grows past statusIdeal
// for a status shown that needs it ("⚠ no user mgmt · just now"), up to
// statusMax.
const (
	statusIdeal = 18
	statusMax   = 26
)

// layout sizes the columns for width: every column gets its minimum, the
// description is dropped first when even that does not fit, and what is
// left grows the columns in turn towards their ideal width, then the
// description takes the rest. status is the width of the widest status
// on screen.
func layout(width, status int) []column {
	cols := []column{
		{id: colName, title: "NAME", min: 8, ideal: 24},
		{id: colDescription, title: "DESCRIPTION", min: 10, ideal: 24, optional: true},
		{id: colTenant, title: "TENANT", min: 10, ideal: 24},
		{id: colClientID, title: "CLIENT ID", min: 9, ideal: 24},
		{id: colStatus, title: "STATUS", min: 16, ideal: min(statusMax, max(statusIdeal, status))},
		{id: colExpires, title: "EXPIRES", min: 11, ideal: 11},
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

// cell draws text from any source in a column of width cells: cleaned,
// then cut or padded to fit.
func cell(s string, width int) string {
	return pad(ansi.Truncate(clean(s), width, "…"), width)
}

// fitWhen drops the " · when" that ends a status too wide for width, so
// that the state shows whole ("⚠ no ZIAM" rather than "⚠ no ZIAM · just …").
func fitWhen(s string, width int) string {
	if i := strings.LastIndex(s, " · "); i > 0 && ansi.StringWidth(s) > width {
		return s[:i]
	}
	return s
}

// cellText returns what a row shows in a column, and its tone.
func (r row) cellText(id columnID, now time.Time) (string, tone) {
	switch id {
	case colName:
		return r.name, tonePlain
	case colDescription:
		return r.desc, tonePlain
	case colTenant:
		return r.tenant, tonePlain
	case colClientID:
		return r.clientID, tonePlain
	case colStatus:
		l := statusLabel(r.status, r.testing, now)
		return l.String(), l.tone
	case colExpires:
		l := expiryLabel(r.conn.Expiry(now))
		return l.String(), l.tone
	}
	return "", tonePlain
}

func (l *listPage) view() string {
	s := l.c.styles
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
	now := l.c.now()
	end := min(len(l.visible), l.offset+l.height)
	status := 0
	for vi := l.offset; vi < end; vi++ {
		text, _ := l.rows[l.visible[vi]].cellText(colStatus, now)
		status = max(status, ansi.StringWidth(text))
	}
	cols := layout(l.width, status)
	header := "  "
	for i, c := range cols {
		if i > 0 {
			header += " "
		}
		header += cell(c.title, c.width)
	}
	b.WriteString(s.Header.Render(header) + "\n")
	for vi := l.offset; vi < end; vi++ {
		r := l.rows[l.visible[vi]]
		mark := " "
		if r.conn.ID == l.defaultID {
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
			text, t := r.cellText(c.id, now)
			if c.id == colStatus {
				text = fitWhen(text, c.width)
			}
			text = cell(text, c.width)
			if vi != l.cursor {
				text = s.render(t, text)
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
