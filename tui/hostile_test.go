package tui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"charm.land/bubbles/v2/help"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// hostile wraps tag in every kind of text a terminal acts on: an OSC that
// sets the window title, a CSI that clears the screen, an SGR colour, a
// DCS, a C1 CSI and NEL, a carriage return, a line feed and a bell.
func hostile(tag string) string {
	return tag + "\x1b]0;pwned\x07\x1b[2J\x1b[31;5m\x1bPqpwned\x1b\\\r\n\a\u009b1m\u0085\u202e" + tag
}

// plainStyles makes every style of the app draw nothing, so the only
// escape sequences left in a view are those of its text.
func (h *harness) plainStyles() {
	*h.m.c.styles = Styles{}
	h.m.help.Styles = help.Styles{}
}

// assertClean fails when a view holds a control character (line feeds
// apart), and so an escape sequence, or a bidirectional override.
func assertClean(t *testing.T, where, view string) {
	t.Helper()
	for i, r := range view {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			t.Fatalf("%s: got %U at byte %d; want no control characters:\n%q", where, r, i, view)
		}
	}
}

// assertOnlySGR fails when a view holds an escape sequence other than a
// style (SGR), or a control character outside one; for pages whose text
// fields draw their own styles.
func assertOnlySGR(t *testing.T, where, view string) {
	t.Helper()
	p := ansi.GetParser()
	defer ansi.PutParser(p)
	var state byte
	for b := []byte(view); len(b) > 0; {
		p.Reset()
		seq, width, n, next := ansi.DecodeSequence(b, state, p)
		switch {
		case width > 0, string(seq) == "\n":
		case ansi.HasCsiPrefix(seq) && p.Command() == 'm':
		default:
			t.Fatalf("%s: got the sequence %q; want styles only:\n%q", where, seq, view)
		}
		b, state = b[n:], next
	}
	assertClean(t, where, ansi.Strip(view))
}

// writeHostileMetadata replaces every string field of every connection in
// the metadata file, its verification's too, with hostile text.
func writeHostileMetadata(t *testing.T, h *harness) {
	t.Helper()
	path := h.mgr.Store.Path()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for i, c := range doc["connections"].([]any) {
		conn := c.(map[string]any)
		for _, f := range []string{"id", "name", "description", "vanity_domain", "cloud", "client_id", "auth_method", "zpa_customer_id", "zpa_microtenant_id", "partner_id"} {
			conn[f] = hostile(fmt.Sprintf("%s%d", f, i))
		}
		v := conn["last_verification"].(map[string]any)
		for _, f := range []string{"category", "message", "user_management"} {
			v[f] = hostile(fmt.Sprintf("%s%d", f, i))
		}
		v["products"] = []any{hostile(fmt.Sprintf("product%d", i)), "ZIA"}
		v["roles"] = []any{hostile(fmt.Sprintf("role%d", i))}
	}
	if raw, err = json.MarshalIndent(doc, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestHostileMetadataIsCleanedOnEveryScreen renders a hand-crafted
// metadata file through every screen that shows a connection: no escape
// sequence or control character from it reaches the terminal.
func TestHostileMetadataIsCleanedOnEveryScreen(t *testing.T) {
	ok := &store.Verification{At: clock.Add(-time.Hour), OK: true, Lifetime: 3600}
	bad := &store.Verification{At: clock.Add(-time.Hour), Category: "rejected", Message: "rejected"}
	h := newHarness(t,
		store.Connection{Name: "prod", Vanity: "acme", ClientID: "cid-123", Verification: ok, SecretExpires: store.NewDate(2026, 12, 3)},
		store.Connection{Name: "stage", Vanity: "acme", ClientID: "cid-123", Verification: bad, SecretExpires: store.NewDate(2026, 12, 1)},
	)
	writeHostileMetadata(t, h)
	h.start(Options{Notices: []string{hostile("notice")}})
	h.plainStyles()

	strict := func(name string, keys ...string) {
		t.Helper()
		h.press(keys...)
		assertClean(t, name, h.m.View().Content)
	}
	strict("the Connections page with its notices")
	if !strings.Contains(h.text(), "name0") || !strings.Contains(h.text(), "category1") {
		t.Fatalf("the page does not show the connections:\n%s", h.text())
	}
	strict("the full help", "?")
	strict("the details of a verified connection", "?", "enter")
	h.contains("product0", "id0")
	// The roles are under the fold.
	strict("the details scrolled", "j", "j", "j")
	h.contains("role0")
	strict("the Connections page again", "esc")
	strict("the details of a failed connection", "down", "enter")
	h.contains("message1", "cloud1")
	strict("the Connections page again", "esc")
	strict("the delete confirmation", "d")
	strict("the Connections page again", "n")
	strict("the flash of a copy", "c")
	strict("the flash of a failed test", "t")
	strict("the flash of a new default", "s")
	h.press("e")
	assertOnlySGR(t, "the editor", h.m.View().Content)
	h.press("esc")

	conns, err := h.mgr.Store.List()
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	listPlain(&plain, h.m.c, conns)
	assertClean(t, "the accessible listing", plain.String())
}

// TestHostileTokenIsCleanedInTheVerifyResult shows a token whose products
// and roles carry escape sequences on the wizard's verify page.
func TestHostileTokenIsCleanedInTheVerifyResult(t *testing.T) {
	h := newHarness(t)
	h.srv.AddClient(zidentitytest.Client{ID: "cid-123", Secret: canary, Services: []zidentitytest.Service{{Product: hostile("product"), Role: hostile("role")}}})
	h.plainStyles()
	fillForm(h, "prod", "acme", "cid-123")
	h.paste(canary)
	h.press("ctrl+s")
	h.contains("The credentials work", "product", "role")
	assertClean(t, "the verify page", h.m.View().Content)
	h.press("enter")
	h.press("enter")
	h.contains("Products")
	assertClean(t, "the details", h.m.View().Content)
}
