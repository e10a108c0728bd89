package tui

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/zconn/zconn/internal/screentest"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// flow runs the whole program, as Bubble Tea runs it, against the fake
// ZIdentity and the in-memory keychain.
type flow struct {
	t      *testing.T
	h      *harness
	tm     *teatest.TestModel
	screen *screentest.Screen
}

func newFlow(t *testing.T, seed ...store.Connection) *flow {
	t.Helper()
	return newFlowWith(t, Options{}, seed...)
}

// newFlowWith runs the program with o, its manager and clock the
// harness's.
func newFlowWith(t *testing.T, o Options, seed ...store.Connection) *flow {
	t.Helper()
	h := newHarness(t, seed...)
	conns, _ := h.mgr.Store.List()
	o.Manager, o.Now = h.mgr, func() time.Time { return clock }
	m := newApp(newCommon(context.Background(), o), conns, o)
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii), tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	screen := screentest.New(80, 24)
	screen.MapNewline = true
	screen.Pump(t, tm.Output())
	return &flow{t: t, h: h, tm: tm, screen: screen}
}

// waitFor waits until the screen shows text.
func (f *flow) waitFor(text string) {
	f.t.Helper()
	f.screen.WaitFor(f.t, text, 10*time.Second)
}

func (f *flow) press(keys ...string) {
	for _, k := range keys {
		f.tm.Send(keyMsg(k))
	}
}

// final quits and returns the model as it ended.
func (f *flow) final() app {
	f.t.Helper()
	f.press("ctrl+c")
	return f.tm.FinalModel(f.t, teatest.WithFinalTimeout(10*time.Second)).(app)
}

func (f *flow) fill(name, tenant, clientID, secret string) {
	f.tm.Type(name)
	f.press("tab", "tab")
	f.tm.Send(tea.PasteMsg{Content: tenant})
	f.press("tab", "tab")
	f.tm.Type(clientID)
	f.press("tab", "tab")
	f.tm.Send(tea.PasteMsg{Content: secret})
}

func TestFlowFirstRun(t *testing.T) {
	f := newFlow(t)
	f.waitFor("Before you begin")
	f.press("enter")
	f.waitFor("Step 2 of 3")
	f.fill("prod", "acme", "cid-123", canary)
	f.press("ctrl+s")
	f.waitFor("The credentials work")
	f.press("enter")
	f.waitFor("Created prod")
	m := f.final()
	if !onHome(m) || len(m.home.rows) != 1 || m.home.rows[0].conn.Name != "prod" {
		t.Fatalf("ended on the page %q with %d rows; want the list with prod", m.page.title(), len(m.home.rows))
	}
	if c, _ := m.home.selected(); c.Name != "prod" {
		t.Errorf("selected %q; want the new row", c.Name)
	}
}

func TestFlowRejectedThenFixed(t *testing.T) {
	f := newFlow(t)
	f.press("enter")
	f.fill("prod", "acme", "cid-123", "wrong")
	f.press("ctrl+s")
	f.waitFor("was rejected")
	f.press("ctrl+u")
	f.tm.Send(tea.PasteMsg{Content: canary})
	f.press("ctrl+s")
	f.waitFor("The credentials work")
	f.press("enter")
	f.waitFor("Created prod")
	f.final()
	if n := f.h.srv.Requests(); n != 2 {
		t.Errorf("requests = %d; want 2", n)
	}
}

func TestFlowEscDuringVerification(t *testing.T) {
	f := newFlow(t)
	f.h.srv.SetDelay(time.Minute)
	f.press("enter")
	f.fill("prod", "acme", "cid-123", canary)
	f.press("ctrl+s")
	f.waitFor("Asking acme.zslogin.net for a token")
	f.press("esc")
	f.waitFor("Verification canceled; nothing was saved.")
	m := f.final()
	if w := wizardOf(t, m); w.step != stepForm || w.form.value(fName) != "prod" {
		t.Errorf("after esc: step %v, name %q; want the form as typed", w.step, w.form.value(fName))
	}
	if conns, _ := f.h.mgr.Store.List(); len(conns) != 0 || f.h.mem.Len() != 0 {
		t.Errorf("%d connections and %d secrets saved; want none", len(conns), f.h.mem.Len())
	}
}

func TestFlowDuplicateName(t *testing.T) {
	f := newFlow(t, store.Connection{Name: "prod", Vanity: "acme", ClientID: "cid-123"})
	f.waitFor("Connections")
	f.press("n", "enter")
	f.fill("PROD", "acme", "cid-123", canary)
	f.waitFor(`a connection named "prod" already exists`)
	f.press("ctrl+s")
	m := f.final()
	w := wizardOf(t, m)
	if got := w.form.fields[w.form.focus].id; got != fName {
		t.Errorf("focus on %v; want the name", got)
	}
	if n := f.h.srv.Requests(); n != 0 {
		t.Errorf("requests = %d; want none", n)
	}
}

func TestFlowTenantPastedAsURL(t *testing.T) {
	f := newFlow(t)
	f.h.srv.AddClient(zidentitytest.Client{ID: "cid-123", Secret: canary})
	f.press("enter")
	f.fill("gov", "https://acme-admin.zidentitygov.us/#/home", "cid-123", canary)
	f.waitFor("https://acme.zidentitygov.us/oauth2/v1/token")
	f.press("ctrl+s")
	f.waitFor("Tenant host acme.zidentitygov.us")
	f.press("enter")
	f.waitFor("Created gov")
	f.final()
	c, err := f.h.mgr.Store.Find("gov")
	if err != nil || c.Vanity != "acme" || c.Cloud != "govus" {
		t.Errorf("saved %+v, %v; want acme on govus", c, err)
	}
}

func TestFlowEscDuringRotationKeepsTheOldSecret(t *testing.T) {
	f := newFlow(t, store.Connection{Name: "prod", Vanity: "acme", ClientID: "cid-123"})
	c, _ := f.h.mgr.Store.Find("prod")
	f.waitFor("Connections")
	f.h.srv.SetDelay(time.Minute)
	f.press("r")
	f.waitFor("New secret")
	f.tm.Send(tea.PasteMsg{Content: "the-new-secret"})
	f.press("ctrl+s")
	f.waitFor("Asking acme.zslogin.net for a token with the new credentials")
	f.press("esc")
	f.waitFor("Canceled; the connection is as it was.")
	f.final()
	if s, _ := f.h.mem.Peek(c.ID); s != canary {
		t.Errorf("secret = %q after canceling the rotation; want the old one", s)
	}
}
