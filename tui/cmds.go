package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
)

// Messages from side effects. Each carries the sequence number of the
// request it answers, so an answer that arrives after a cancel is dropped.
type (
	verifiedMsg struct {
		seq int
		v   store.Verification
		err error
	}
	savedMsg struct {
		seq  int
		conn store.Connection
		err  error
	}
	changesVerifiedMsg struct {
		seq int
		v   *store.Verification
		err error
	}
	testedMsg struct {
		result manager.Result
		// more is the channel the next result of a test-all comes on.
		more <-chan manager.Result
	}
	deletedMsg struct {
		conn store.Connection
		err  error
	}
	defaultSetMsg struct {
		conn store.Connection
		err  error
	}
	reloadedMsg struct {
		conns    []store.Connection
		err      error
		selectID string
	}
	// testAllDoneMsg says every answer of a test-all came.
	testAllDoneMsg struct{}
)

func verifyCmd(ctx context.Context, m *manager.Manager, c store.Connection, secret string, seq int) tea.Cmd {
	return func() tea.Msg {
		v, _, err := m.Verify(ctx, c, secret)
		return verifiedMsg{seq: seq, v: v, err: err}
	}
}

func createCmd(ctx context.Context, m *manager.Manager, c store.Connection, secret string, v *store.Verification, seq int) tea.Cmd {
	return func() tea.Msg {
		saved, err := m.Create(ctx, c, secret, v)
		return savedMsg{seq: seq, conn: saved, err: err}
	}
}

func verifyChangesCmd(ctx context.Context, m *manager.Manager, c store.Connection, ch manager.Changes, seq int) tea.Cmd {
	return func() tea.Msg {
		v, _, err := m.VerifyChanges(ctx, c, ch)
		return changesVerifiedMsg{seq: seq, v: v, err: err}
	}
}

// applyChangesCmd saves changes to c, the answer about its cloud included.
func applyChangesCmd(ctx context.Context, m *manager.Manager, c store.Connection, ch manager.Changes, v *store.Verification, seq int) tea.Cmd {
	return func() tea.Msg {
		saved, err := m.ApplyChanges(ctx, c, ch, v)
		return savedMsg{seq: seq, conn: saved, err: err}
	}
}

func testCmd(ctx context.Context, m *manager.Manager, c store.Connection) tea.Cmd {
	return func() tea.Msg { return testedMsg{result: m.Test(ctx, c)} }
}

// testAllCmd starts testing every connection and returns the first answer;
// each testedMsg carries the channel the next one comes on.
func testAllCmd(ctx context.Context, m *manager.Manager, conns []store.Connection) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan manager.Result, len(conns))
		go func() {
			m.TestAll(ctx, conns, func(r manager.Result) { ch <- r })
			close(ch)
		}()
		return nextResultOrDone(ch)()
	}
}

// nextResultOrDone waits for the next answer of a test-all.
func nextResultOrDone(ch <-chan manager.Result) tea.Cmd {
	return func() tea.Msg {
		r, ok := <-ch
		if !ok {
			return testAllDoneMsg{}
		}
		return testedMsg{result: r, more: ch}
	}
}

func deleteCmd(ctx context.Context, m *manager.Manager, c store.Connection) tea.Cmd {
	return func() tea.Msg { return deletedMsg{conn: c, err: m.Delete(ctx, c)} }
}

func setDefaultCmd(ctx context.Context, m *manager.Manager, c store.Connection) tea.Cmd {
	return func() tea.Msg {
		saved, err := m.Store.SetDefault(ctx, c.ID)
		return defaultSetMsg{conn: saved, err: err}
	}
}

func reloadCmd(m *manager.Manager, selectID string) tea.Cmd {
	return func() tea.Msg {
		conns, err := m.Store.List()
		return reloadedMsg{conns: conns, err: err, selectID: selectID}
	}
}
