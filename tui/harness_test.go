package tui

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// canary is the secret every test types; it must appear in no view.
const canary = "zconn-canary-S3cr3t-7f1d"

// clock is the fixed time of every test.
var clock = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// harness drives the root model synchronously: each message goes through
// Update, and the commands it returns run at once, their messages fed back
// in, as Bubble Tea would. Spinner ticks are dropped so nothing waits.
type harness struct {
	t     *testing.T
	m     app
	srv   *zidentitytest.Server
	mem   *storetest.Memory
	mgr   *manager.Manager
	quit  bool
	views []string
	msgs  []tea.Msg
}

func newHarness(t *testing.T, seed ...store.Connection) *harness {
	t.Helper()
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: "cid-123", Secret: canary})
	mem := storetest.NewMemory()
	s := store.New(filepath.Join(t.TempDir(), "zconn"), mem)
	s.Now = func() time.Time { return clock }
	ids := 0
	s.NewID = func() string { ids++; return fmt.Sprintf("conn%04d", ids) }
	mgr := manager.New(s, &zidentity.Client{HTTPClient: srv.HTTPClientAnyHost()})
	mgr.Now = func() time.Time { return clock }
	for _, c := range seed {
		v := c.Verification
		saved, err := mgr.Create(context.Background(), c, canary, v)
		if err != nil {
			t.Fatal(err)
		}
		if c.Default {
			s.SetDefault(context.Background(), saved.ID)
		}
	}
	h := &harness{t: t, srv: srv, mem: mem, mgr: mgr}
	h.start(Options{})
	return h
}

// start builds the model as Run would, with the fake's address shown as a
// plain tenant (no ZCONN_ZIDENTITY_URL banner) unless o.BaseURL is set.
func (h *harness) start(o Options) {
	h.t.Helper()
	conns, err := h.mgr.Store.List()
	if err != nil {
		h.t.Fatal(err)
	}
	o.Manager = h.mgr
	o.Now = func() time.Time { return clock }
	h.m = newApp(newCommon(context.Background(), o), conns, o)
	h.quit = false
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	m, cmd := h.m.Update(msg)
	h.m = m.(app)
	h.run(cmd)
	h.views = append(h.views, h.view())
}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	msg := cmd()
	h.msgs = append(h.msgs, msg)
	switch msg := msg.(type) {
	case nil, spinner.TickMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tea.QuitMsg:
		h.quit = true
	default:
		if reflect.TypeOf(msg).PkgPath() == "charm.land/bubbletea/v2" && !strings.HasSuffix(reflect.TypeOf(msg).Name(), "Msg") {
			return
		}
		h.send(msg)
	}
}

// press sends keys by name: "enter", "esc", "tab", "shift+tab", "ctrl+s",
// or a single character.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+s", "ctrl+c", "ctrl+g", "ctrl+u", "ctrl+k":
		return tea.KeyPressMsg{Code: rune(k[len(k)-1]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// focused returns the field that has the focus in the open form.
func (h *harness) focused() fieldID {
	h.t.Helper()
	var f form
	switch p := h.m.page.(type) {
	case *wizard:
		f = p.form
	case *editor:
		f = p.form
	default:
		h.t.Fatalf("no form on the page %q", p.title())
	}
	return f.fields[f.focus].id
}

// wizard returns the wizard on show.
func (h *harness) wizard() *wizard {
	h.t.Helper()
	return wizardOf(h.t, h.m)
}

// wizardOf returns the wizard m shows.
func wizardOf(t testing.TB, m app) *wizard {
	t.Helper()
	w, ok := m.page.(*wizard)
	if !ok {
		t.Fatalf("the page is %q; want the wizard", m.page.title())
	}
	return w
}

// onHome reports whether m shows the Connections page.
func onHome(m app) bool { return m.page == page(m.home) }

// typeText types s one key at a time.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// paste sends s as one bracketed paste.
func (h *harness) paste(s string) {
	h.t.Helper()
	h.send(tea.PasteMsg{Content: s})
}

// view renders the model at its size with the ASCII colour profile: no
// colours, but bold and reverse stay, as under NO_COLOR.
func (h *harness) view() string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	w.WriteString(h.m.View().Content)
	return b.String()
}

// text is the view without any styling, for assertions.
func (h *harness) text() string { return ansi.Strip(h.m.View().Content) }

// golden compares the view with testdata/<test>.golden.
func (h *harness) golden() {
	h.t.Helper()
	v := h.view()
	if strings.Contains(v, canary) {
		h.t.Fatal("the view shows the secret")
	}
	h.fits()
	golden.RequireEqual(h.t, v)
}

// fits fails unless the view fills the terminal exactly: as many lines as
// it is high, none wider than it is wide.
func (h *harness) fits() {
	h.t.Helper()
	lines := strings.Split(h.text(), "\n")
	if len(lines) != h.m.height {
		h.t.Errorf("view has %d lines; want %d", len(lines), h.m.height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > h.m.width {
			h.t.Errorf("line %d is %d wide; want at most %d: %q", i+1, w, h.m.width, l)
		}
	}
}

// contains fails unless the plain view holds every part; white space,
// line breaks included, counts as one space, so wrapped text matches.
func (h *harness) contains(parts ...string) {
	h.t.Helper()
	text := h.text()
	folded := strings.Join(strings.Fields(text), " ")
	for _, p := range parts {
		if !strings.Contains(folded, strings.Join(strings.Fields(p), " ")) {
			h.t.Fatalf("view does not show %q:\n%s", p, text)
		}
	}
}

// assertNoCanary checks every view rendered during the test.
func (h *harness) assertNoCanary() {
	h.t.Helper()
	for _, v := range h.views {
		if strings.Contains(v, canary) {
			h.t.Fatalf("a view showed the secret:\n%s", v)
		}
	}
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
