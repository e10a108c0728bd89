package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/store"
)

// app is the root model: it routes. It keeps the Connections page (home),
// the active page and the page to go back to, the global keys and the
// footer, and hands every other message to the active page only.
type app struct {
	c    *common
	o    Options
	home *listPage
	page page
	back page
	help help.Model
	keys globalKeys
	// width and height are the terminal's size.
	width, height int
	flash         string
	bad           bool
	// notices are shown from the start until the first key, one line
	// each, and due the secrets that expire soon, in one line.
	notices []string
	due     []dueSecret
	// start holds the first pages' commands, for Init.
	start []tea.Cmd
}

func newApp(c *common, conns []store.Connection, o Options) app {
	a := app{
		c:      c,
		o:      o,
		home:   newList(c, conns),
		help:   help.New(),
		keys:   newGlobalKeys(),
		width:  80,
		height: 24,
	}
	a.page, a.back = a.home, a.home
	a.help.Styles = c.styles.Help
	a.notices = o.Notices
	a.due = dueSecrets(conns, c.now())
	if o.Wizard || len(conns) == 0 {
		a.page = newWizard(c, conns, false)
	}
	switch {
	case o.UseVault == nil:
	case o.UnlockVault:
		a.back, a.page = a.page, newVaultPage(c, o, nil)
	case o.SecretsProblem != nil:
		a.back, a.page = a.page, newVaultPage(c, o, o.SecretsProblem)
	}
	a.start = append(a.start, a.back.init(), a.page.init())
	if check := o.CheckKeychain; check != nil && o.UseVault != nil {
		a.start = append(a.start, func() tea.Msg { return keychainCheckedMsg{err: check(c.ctx)} })
	}
	a.resize()
	return a
}

// Init returns the first pages' commands, prepared by newApp (Init
// cannot change the model).
func (a app) Init() tea.Cmd { return tea.Batch(a.start...) }

// open shows p; closing it goes back to the Connections page.
func (a *app) open(p page) tea.Cmd {
	a.page, a.back = p, a.home
	a.resize()
	return p.init()
}

// showOver shows p over the active page, which closing p goes back to.
func (a *app) showOver(p page) tea.Cmd {
	a.back, a.page = a.page, p
	a.resize()
	return p.init()
}

// close goes back to the page the active one was shown over.
func (a *app) close() { a.page, a.back = a.back, a.home }

func (a *app) resize() {
	width, height := a.width-2, a.bodyHeight()
	for _, p := range []page{a.home, a.back, a.page} {
		p.setSize(width, height)
	}
	a.help.SetWidth(width)
}

// bodyHeight is what is left for the page under the header and above
// the footer.
func (a app) bodyHeight() int {
	return max(3, a.height-a.headerLines()-1-len(a.footerLines()))
}

// headerLines counts the title, the ZCONN_ZIDENTITY_URL warning when it
// is set, and the blank line under them.
func (a app) headerLines() int {
	if a.c.baseURL != "" {
		return 3
	}
	return 2
}

// setFlash shows a notice in the footer until the next one; the page
// gets the footer's lines that it frees or takes.
func (a *app) setFlash(f flashMsg) {
	a.flash, a.bad = f.text, f.bad
	a.resize()
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
		if len(a.notices) > 0 || len(a.due) > 0 {
			// Any key dismisses the notices, and the page gets their
			// lines in the frame that follows.
			a.notices, a.due = nil, nil
			a.resize()
		}
	case quitMsg:
		return a, tea.Quit
	case toggleHelpMsg:
		a.help.ShowAll = !a.help.ShowAll
		a.resize()
		return a, nil
	case flashMsg:
		a.setFlash(msg)
		return a, a.offerVault(msg.err)
	case failedMsg:
		return a, a.offerVault(msg.err)
	case openMsg:
		return a, a.open(msg.page)
	case closeMsg:
		a.close()
		return a, nil
	case doneMsg:
		a.page, a.back = a.home, a.home
		if msg.err != nil {
			a.setFlash(errorFlash(msg.err))
		} else {
			a.setFlash(flashMsg{text: msg.notice})
		}
		return a, tea.Batch(reloadCmd(a.c.mgr, msg.selectID), a.offerVault(msg.err))
	case keychainCheckedMsg:
		if _, shown := a.page.(*vaultPage); msg.err == nil || shown {
			return a, nil
		}
		return a, a.showOver(newVaultPage(a.c, a.o, msg.err))
	case reloadedMsg, testedMsg, testAllDoneMsg, defaultSetMsg:
		// What changed a connection reaches the Connections page even
		// under another page, and the page on show.
		next, cmd := a.updatePage(a.home, msg)
		if a.page == page(a.home) {
			return next, cmd
		}
		next, more := next.updatePage(next.page, msg)
		return next, tea.Batch(cmd, more)
	}
	return a.updatePage(a.page, msg)
}

// offerVault shows the vault page over the page on show when err is a
// failure of the keychain that the encrypted vault avoids, a vault can be
// offered, and the secrets do not go to one already.
func (a *app) offerVault(err error) tea.Cmd {
	reason, ok := vaultWouldHelp(err)
	if !ok || a.o.UseVault == nil {
		return nil
	}
	if _, inVault := a.c.mgr.Store.Secrets().(*store.Vault); inVault {
		return nil
	}
	if _, shown := a.page.(*vaultPage); shown {
		return nil
	}
	return a.showOver(newVaultPage(a.c, a.o, reason))
}

// updatePage hands msg to p, then acts at once on what p asked for.
func (a app) updatePage(p page, msg tea.Msg) (app, tea.Cmd) {
	cmds := []tea.Cmd{p.update(msg)}
	for _, m := range p.take() {
		next, cmd := a.Update(m)
		a = next.(app)
		cmds = append(cmds, cmd)
	}
	return a, tea.Batch(cmds...)
}

// footerLines are the notices, the flash and the help.
func (a app) footerLines() []string {
	s := a.c.styles
	w := max(20, a.width-2)
	var lines []string
	for _, n := range a.notices {
		lines = append(lines, s.Warning.Render(ansi.Truncate("⚠ "+clean(n), w, "…")))
	}
	if len(a.due) > 0 {
		lines = append(lines, s.Warning.Render("⚠ "+expiryNotice(a.due, w-2)))
	}
	if a.flash != "" {
		st := s.Success
		if a.bad {
			st = s.Error
		}
		lines = append(lines, strings.Split(st.Render(ansi.Wordwrap(clean(a.flash), w, " ")), "\n")...)
	}
	lines = append(lines, strings.Split(a.help.View(a.page.helpKeys()), "\n")...)
	return lines
}

func (a app) View() tea.View {
	s := a.c.styles
	head := s.Title.Render("zconn") + s.Muted.Render(" · ") + s.Subtitle.Render(clean(a.page.title()))
	if a.page == page(a.home) && len(a.home.rows) > 0 {
		head += s.Muted.Render(fmt.Sprintf("  %d saved · * default", len(a.home.rows)))
	}
	head = ansi.Truncate(head, a.width-2, "…") + "\n"
	if a.c.baseURL != "" {
		head += s.Banner.Render(ansi.Truncate(clean("⚠ ZCONN_ZIDENTITY_URL="+a.c.baseURL+": every request goes there"), a.width-2, "…")) + "\n"
	}
	bodyLines := strings.Split(strings.TrimRight(a.page.view(), "\n"), "\n")
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
