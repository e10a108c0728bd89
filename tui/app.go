package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
)

type screen int

const (
	screenList screen = iota
	screenWizard
	screenDetails
	screenEdit
	screenDelete
	screenVault
)

// Messages of the root.
type (
	toggleHelpMsg  struct{}
	testAllDoneMsg struct{}
	quitRequestMsg struct{}
)

// app is the root model: it keeps the global keys and the app's messages,
// and hands everything else to the active screen only.
type app struct {
	d      *deps
	o      Options
	screen screen
	// back is where the vault screen returns to.
	back    screen
	vault   vaultScreen
	list    listModel
	wizard  wizard
	editor  editor
	details details
	confirm confirmDelete
	help    help.Model
	keys    globalKeys
	width   int
	height  int
	flash   string
	bad     bool
	notices []string
	// testingAll is set while a test of every connection runs; tally
	// counts its answers.
	testingAll bool
	tally      struct{ ok, failed int }
	// start holds the commands of the first screen, for Init.
	start []tea.Cmd
}

func newApp(d *deps, conns []store.Connection, o Options) app {
	a := app{
		d:      d,
		o:      o,
		list:   newList(d, conns),
		help:   help.New(),
		keys:   newGlobalKeys(),
		width:  80,
		height: 24,
	}
	a.help.Styles = d.styles.Help
	for _, n := range o.Notices {
		a.notices = append(a.notices, safetext.Clean(n, 300))
	}
	for _, c := range d.mgr.Expiring(conns) {
		text, _ := expiry(c, d.now())
		a.notices = append(a.notices, fmt.Sprintf("The secret of %s: %s. Rotate it with r.", safetext.Clean(c.Name, 64), strings.TrimSpace(strings.TrimLeft(text, "⚠✗"))))
	}
	if o.Wizard || len(conns) == 0 {
		a.screen = screenWizard
		a.wizard = newWizard(d, conns, false)
	}
	switch {
	case o.UseVault == nil:
	case o.UnlockVault:
		a.back, a.screen = a.screen, screenVault
		a.vault = newVaultScreen(d, o, nil)
	case o.SecretsProblem != nil:
		a.back, a.screen = a.screen, screenVault
		a.vault = newVaultScreen(d, o, o.SecretsProblem)
	}
	if a.screen == screenWizard || a.back == screenWizard {
		var cmd tea.Cmd
		a.wizard, cmd = a.wizard.init()
		a.start = append(a.start, cmd)
	}
	if a.screen == screenVault {
		var cmd tea.Cmd
		a.vault, cmd = a.vault.init()
		a.start = append(a.start, cmd)
	}
	if check := o.CheckKeychain; check != nil && o.UseVault != nil {
		a.start = append(a.start, func() tea.Msg { return keychainCheckedMsg{err: check(d.ctx)} })
	}
	a.resize()
	return a
}

// Init returns the first screen's commands, prepared by newApp (Init
// cannot change the model).
func (a app) Init() tea.Cmd { return tea.Batch(a.start...) }

func (a *app) resize() {
	body := a.bodyHeight()
	a.list.setSize(a.width-2, body-3)
	a.wizard.setSize(a.width - 2)
	a.editor.setSize(a.width - 2)
	a.details.width = a.width - 2
	a.vault.width = a.width - 2
	a.help.SetWidth(a.width - 2)
}

// bodyHeight is what is left for the screen under the header and above
// the footer.
func (a app) bodyHeight() int {
	return max(3, a.height-a.headerLines()-1-len(a.footerLines()))
}

// headerLines counts the title, the ZCONN_ZIDENTITY_URL warning when it
// is set, and the blank line under them.
func (a app) headerLines() int {
	if a.d.baseURL != "" {
		return 3
	}
	return 2
}

func (a app) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.resize()
		return a, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, a.keys.Interrupt) {
			return a, tea.Quit
		}
		a.notices = nil
		if a.screen == screenList && !a.list.filtering {
			switch {
			case key.Matches(msg, a.list.keys.Quit):
				return a, tea.Quit
			case key.Matches(msg, a.list.keys.Help):
				a.help.ShowAll = !a.help.ShowAll
				a.resize()
				return a, nil
			}
		}
	case flashMsg:
		a.flash, a.bad = msg.text, msg.bad
		return a, nil
	case keychainCheckedMsg:
		if msg.err == nil || a.screen == screenVault {
			return a, nil
		}
		a.back, a.screen = a.screen, screenVault
		a.vault = newVaultScreen(a.d, a.o, msg.err)
		a.resize()
		var cmd tea.Cmd
		a.vault, cmd = a.vault.init()
		return a, cmd
	case vaultClosedMsg:
		if msg.quit {
			return a, tea.Quit
		}
		a.screen = a.back
		if msg.opened {
			a.flash, a.bad = "Secrets now go to the encrypted vault "+a.o.VaultPath, false
		}
		return a, nil
	case openWizardMsg:
		a.screen = screenWizard
		a.wizard = newWizard(a.d, a.list.conns(), false)
		a.wizard.setSize(a.width - 2)
		var cmd tea.Cmd
		a.wizard, cmd = a.wizard.init()
		return a, cmd
	case wizardDoneMsg:
		a.screen = screenList
		a.flash, a.bad = msg.notice, false
		return a, reloadCmd(a.d.mgr, msg.conn.ID)
	case wizardCancelMsg, closeMsg:
		a.screen = screenList
		return a, nil
	case openDetailsMsg:
		a.screen = screenDetails
		a.details = newDetails(a.d, msg.conn)
		a.details.width = a.width - 2
		return a, nil
	case openEditMsg:
		return a.openEditor(modeEdit, msg.conn)
	case openRotateMsg:
		return a.openEditor(modeRotate, msg.conn)
	case openDeleteMsg:
		a.screen = screenDelete
		a.confirm = newConfirmDelete(a.d, msg.conn)
		return a, nil
	case editDoneMsg:
		a.screen = screenList
		a.flash, a.bad = msg.notice, false
		return a, reloadCmd(a.d.mgr, msg.conn.ID)
	case deletedMsg:
		a.screen = screenList
		name := safetext.Clean(msg.conn.Name, 64)
		if msg.err != nil {
			a.flash, a.bad = "✗ "+safetext.Clean(msg.err.Error(), 300), true
			return a, reloadCmd(a.d.mgr, msg.conn.ID)
		}
		a.flash, a.bad = "Deleted "+name+" and its secret", false
		return a, reloadCmd(a.d.mgr, "")
	case defaultSetMsg:
		if msg.err != nil {
			a.flash, a.bad = "✗ "+safetext.Clean(msg.err.Error(), 300), true
			return a, nil
		}
		a.flash, a.bad = safetext.Clean(msg.conn.Name, 64)+" is now the default connection", false
		if a.screen == screenDetails {
			a.details.conn = msg.conn
		}
		return a, reloadCmd(a.d.mgr, msg.conn.ID)
	case reloadedMsg:
		if msg.err != nil {
			a.flash, a.bad = "✗ "+safetext.Clean(msg.err.Error(), 300), true
			return a, nil
		}
		a.list.setConnections(msg.conns, msg.selectID)
		return a, nil
	case testAllMsg:
		if a.testingAll {
			a.flash, a.bad = "Every connection is being tested already; the rows update as answers come", false
			return a, nil
		}
		a.testingAll = true
		conns := a.list.conns()
		a.flash, a.bad = fmt.Sprintf("Testing %d connections, %d at a time…", len(conns), manager.MaxParallelTests), false
		return a, testAllCmd(a.d.ctx, a.d.mgr, conns)
	case testedMsg:
		return a.tested(msg)
	case testAllDoneMsg:
		a.testingAll = false
		a.flash = fmt.Sprintf("Tested %d: %d ok, %d failed", a.tally.ok+a.tally.failed, a.tally.ok, a.tally.failed)
		a.bad = a.tally.failed > 0
		a.tally.ok, a.tally.failed = 0, 0
		return a, nil
	case spinner.TickMsg, verifiedMsg, savedMsg:
		// Answers go to the screen that asked, if it is still there.
	}
	return a.updateScreen(msg)
}

func (a app) openEditor(mode formMode, c store.Connection) (tea.Model, tea.Cmd) {
	a.screen = screenEdit
	a.editor = newEditor(a.d, mode, c, a.list.conns())
	a.editor.setSize(a.width - 2)
	var cmd tea.Cmd
	a.editor, cmd = a.editor.init()
	return a, cmd
}

// tested shows one test's answer on its row and, for a test-all, waits
// for the next.
func (a app) tested(msg testedMsg) (tea.Model, tea.Cmd) {
	r := msg.result
	a.list.replace(r.Connection, false)
	if a.screen == screenDetails && a.details.conn.ID == r.Connection.ID {
		a.details.conn = r.Connection
	}
	name := safetext.Clean(r.Connection.Name, 64)
	if msg.more != nil {
		if r.Err == nil {
			a.tally.ok++
		} else {
			a.tally.failed++
		}
		return a, nextResultOrDone(msg.more)
	}
	if r.Err != nil {
		a.flash, a.bad = "✗ "+name+": "+safetext.Clean(r.Err.Error(), 300), true
	} else {
		a.flash, a.bad = "✓ "+name+": the credentials work", false
	}
	return a, nil
}

func nextResultOrDone(ch <-chan manager.Result) tea.Cmd {
	return func() tea.Msg {
		r, ok := <-ch
		if !ok {
			return testAllDoneMsg{}
		}
		return testedMsg{result: r, more: ch}
	}
}

// updateScreen hands msg to the active screen, then acts at once on what
// the screen asked for.
func (a app) updateScreen(msg tea.Msg) (tea.Model, tea.Cmd) {
	var (
		cmd tea.Cmd
		out []tea.Msg
	)
	switch a.screen {
	case screenList:
		a.list, cmd = a.list.update(msg)
		out = a.list.out.take()
	case screenWizard:
		a.wizard, cmd = a.wizard.update(msg)
		out = a.wizard.out.take()
	case screenDetails:
		a.details, cmd = a.details.update(msg)
		out = a.details.out.take()
	case screenEdit:
		a.editor, cmd = a.editor.update(msg)
		out = a.editor.out.take()
	case screenDelete:
		a.confirm, cmd = a.confirm.update(msg)
		out = a.confirm.out.take()
	case screenVault:
		a.vault, cmd = a.vault.update(msg)
		out = a.vault.out.take()
	}
	cmds := []tea.Cmd{cmd}
	for _, m := range out {
		next, c := a.Update(m)
		a = next.(app)
		cmds = append(cmds, c)
	}
	return a, tea.Batch(cmds...)
}

func (a app) title() string {
	switch a.screen {
	case screenWizard:
		return "New connection · " + a.wizard.stepLabel()
	case screenDetails:
		return "Connection details"
	case screenEdit:
		return a.editor.title()
	case screenDelete:
		return "Delete connection"
	case screenVault:
		if a.vault.unlock {
			return "Unlock the vault"
		}
		return "Where to keep secrets"
	}
	return "Connections"
}

func (a app) helpKeys() help.KeyMap {
	switch a.screen {
	case screenWizard:
		return a.wizard.helpKeys()
	case screenDetails:
		return a.details.keys
	case screenEdit:
		return a.editor.helpKeys()
	case screenDelete:
		return a.confirm.keys
	case screenVault:
		return a.vault.helpKeys()
	}
	return a.list.helpKeys()
}

// footerLines are the notices, the flash and the help.
func (a app) footerLines() []string {
	s := a.d.styles
	w := max(20, a.width-2)
	var lines []string
	for _, n := range a.notices {
		lines = append(lines, s.Warning.Render(ansi.Truncate("⚠ "+n, w, "…")))
	}
	if a.flash != "" {
		st := s.Success
		if a.bad {
			st = s.Error
		}
		lines = append(lines, strings.Split(st.Render(ansi.Wordwrap(a.flash, w, " ")), "\n")...)
	}
	lines = append(lines, strings.Split(a.help.View(a.helpKeys()), "\n")...)
	return lines
}

func (a app) View() tea.View {
	s := a.d.styles
	head := s.Title.Render("zconn") + s.Muted.Render(" · ") + s.Subtitle.Render(a.title())
	if a.screen == screenList {
		if len(a.list.rows) > 0 {
			head += s.Muted.Render(fmt.Sprintf("  %d saved · * default", len(a.list.rows)))
		}
	}
	head = ansi.Truncate(head, a.width-2, "…") + "\n"
	if a.d.baseURL != "" {
		head += s.Banner.Render(ansi.Truncate("⚠ ZCONN_ZIDENTITY_URL="+a.d.baseURL+": every request goes there", a.width-2, "…")) + "\n"
	}
	var body string
	switch a.screen {
	case screenList:
		body = a.list.view()
	case screenWizard:
		body = a.wizard.view()
	case screenDetails:
		body = a.details.view()
	case screenEdit:
		body = a.editor.view()
	case screenDelete:
		body = a.confirm.view(a.width - 2)
	case screenVault:
		body = a.vault.view()
	}
	bodyLines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	if h := a.bodyHeight(); len(bodyLines) > h {
		bodyLines = bodyLines[:h]
	}
	footer := a.footerLines()
	gap := max(0, a.height-a.headerLines()-len(bodyLines)-len(footer))
	var b strings.Builder
	b.WriteString(head + "\n")
	for _, l := range bodyLines {
		b.WriteString(l + "\n")
	}
	b.WriteString(strings.Repeat("\n", gap))
	b.WriteString(strings.Join(footer, "\n"))
	v := tea.NewView(s.App.Render(b.String()))
	v.AltScreen = true
	v.WindowTitle = "zconn"
	return v
}
