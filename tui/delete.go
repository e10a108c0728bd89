package tui

import (
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/store"
)

// deletePage asks before a connection is deleted, then deletes it.
type deletePage struct {
	c     *common
	conn  store.Connection
	keys  deleteKeys
	busy  bool
	width int
	outbox
}

func newDeletePage(c *common, conn store.Connection) *deletePage {
	return &deletePage{c: c, conn: conn, keys: newDeleteKeys(), width: 80}
}

func (m *deletePage) init() tea.Cmd { return nil }

func (m *deletePage) title() string { return "Delete connection" }

func (m *deletePage) setSize(width, _ int) { m.width = width }

func (m *deletePage) helpKeys() help.KeyMap { return keyHelp{m.keys.Delete, m.keys.Keep} }

func (m *deletePage) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case deletedMsg:
		if msg.err != nil {
			m.emit(doneMsg{err: msg.err, selectID: m.conn.ID})
			return nil
		}
		m.emit(doneMsg{notice: "Deleted " + safetext.Clean(m.conn.Name, 64) + " and its secret"})
	case tea.KeyPressMsg:
		switch {
		case m.busy:
		case key.Matches(msg, m.keys.Delete):
			m.busy = true
			return deleteCmd(m.c.ctx, m.c.mgr, m.conn)
		case key.Matches(msg, m.keys.Keep):
			m.emit(closeMsg{})
		}
	}
	return nil
}

func (m *deletePage) view() string {
	s := m.c.styles
	name := safetext.Clean(m.conn.Name, store.MaxNameLen)
	if m.busy {
		return clean("Deleting "+name) + "…\n"
	}
	text := fmt.Sprintf("Delete the connection %s? This removes its details from zconn and its secret from the %s. The API client itself stays in the ZIdentity portal.", store.Quote(m.conn.Name), m.c.mgr.Store.Secrets().Backend())
	return s.Warning.Render(clean("Delete "+name)) + "\n\n" + ansi.Wordwrap(clean(text), max(20, m.width-4), " ") + "\n"
}
