package tui

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// testKey is a private key as a test pastes it and as zconn keeps it.
type testKey struct {
	pem string
	key *zidentity.PrivateKey
}

// newTestKey returns the 2048-bit test key of that name (the same for
// every test of the binary).
func newTestKey(t *testing.T, name string) testKey {
	t.Helper()
	text := zidentitytest.PKCS8(zidentitytest.Key(t, name, 2048))
	key, err := zidentity.ParsePrivateKey(text)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{pem: string(text), key: key}
}

// leak returns the part of the key that s holds, if any: a line of its
// PEM, or 32 characters of the compact form zconn keeps it in.
func (k testKey) leak(s string) (string, bool) {
	s = ansi.Strip(s)
	for _, line := range strings.Split(k.pem, "\n") {
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(s, line) {
			return line, true
		}
	}
	enc := k.key.Encode()
	for i := 0; i+32 <= len(enc); i += 16 {
		if strings.Contains(s, enc[i:i+32]) {
			return enc[i : i+32], true
		}
	}
	return "", false
}

// assertNoKey fails if any view drawn so far, the footer's notice, or any
// message a command returned (errors included) holds a part of a key.
func (h *harness) assertNoKey(keys ...testKey) {
	h.t.Helper()
	for _, k := range keys {
		for i, v := range h.views {
			if part, ok := k.leak(v); ok {
				h.t.Fatalf("view %d shows the key (%q):\n%s", i, part, ansi.Strip(v))
			}
		}
		if part, ok := k.leak(h.m.flash); ok {
			h.t.Fatalf("the footer's notice shows the key (%q)", part)
		}
		for _, m := range h.msgs {
			if part, ok := k.leak(fmt.Sprintf("%+v", m)); ok {
				h.t.Fatalf("a %T holds the key (%q)", m, part)
			}
		}
	}
}

// keyGolden compares the view with the golden file once each key's
// fingerprint is masked (the test keys are new on every run); the view
// must hold no part of a key.
func (h *harness) keyGolden(keys ...testKey) {
	h.t.Helper()
	v := h.view()
	for _, k := range keys {
		if part, ok := k.leak(v); ok {
			h.t.Fatalf("the view shows the key (%q)", part)
		}
		v = strings.ReplaceAll(v, k.key.Fingerprint()[:23], "ab:cd:ef:01:23:45:67:89")
	}
	h.fits()
	golden.RequireEqual(h.t, v)
}

// keyHarness is a harness whose fake knows cid-key, a private-key client
// holding the public half of the "tui" test key.
func keyHarness(t *testing.T, seed ...store.Connection) (*harness, testKey) {
	t.Helper()
	k := newTestKey(t, "tui")
	h := newHarness(t, seed...)
	h.srv.AddClient(zidentitytest.Client{ID: "cid-key", PublicKey: k.key.Public()})
	return h, k
}

// toKey chooses a private key on the method's row, from the secret's
// field where fillForm leaves the focus, and moves to the key's field.
func toKey(h *harness) {
	h.t.Helper()
	h.press("shift+tab", "right", "tab")
	if h.focused() != fKey {
		h.t.Fatalf("focus on %v; want the private key", h.focused())
	}
}

// typeKey types text as a terminal without bracketed paste delivers a
// paste: a key press per character, each line end as the key given.
func (h *harness) typeKey(text string, lineEnd tea.KeyPressMsg) {
	h.t.Helper()
	for _, r := range text {
		if r == '\n' {
			h.send(lineEnd)
			continue
		}
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func TestMethodChoiceShowsTheKeyField(t *testing.T) {
	h, k := keyHarness(t)
	fillForm(h, "keyed", "acme", "cid-key")
	h.press("shift+tab")
	h.contains("Authentication  (•) Secret   ( ) Private key", "Client Authentication > Secret in the portal, shown once with an expiration date",
		"the portal holds a public key or certificate", "←/→ choose")
	t.Run("secret", func(t *testing.T) { h.t = t; h.keyGolden(k) })
	h.t = t
	h.press("right")
	h.contains("( ) Secret   (•) Private key", "Private key", "or Key file", "Key expires")
	if strings.Contains(h.text(), "Client secret") {
		t.Error("the secret's field shows with a private key chosen")
	}
	h.press("tab")
	h.contains("paste the PEM here; it is never shown", "enter adds a line, tab moves on, backspace clears", "backspace clear")
	t.Run("key", func(t *testing.T) { h.t = t; h.keyGolden(k) })
	h.t = t
	h.press("shift+tab", "space")
	h.contains("(•) Secret   ( ) Private key", "Client secret")
}

func TestPrivateKeyPastedThenSaved(t *testing.T) {
	tests := []struct {
		name  string
		paste func(k testKey) string
	}{
		{"PKCS#8", func(k testKey) string { return k.pem }},
		{"PKCS#1", func(k testKey) string { return string(zidentitytest.PKCS1(zidentitytest.Key(t, "tui", 2048))) }},
		// tmux, xterm and Windows Terminal paste line ends as a lone CR.
		{"lines ending in CR", func(k testKey) string { return strings.ReplaceAll(k.pem, "\n", "\r") }},
		{"lines ending in CR LF", func(k testKey) string { return strings.ReplaceAll(k.pem, "\n", "\r\n") }},
		{"indented, with its certificate after it", func(k testKey) string {
			return "  " + strings.ReplaceAll(k.pem, "\n", "\n  ") + "\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, k := keyHarness(t)
			fillForm(h, "keyed", "acme", "cid-key")
			toKey(h)
			h.paste(tt.paste(k))
			h.contains("✓ " + k.key.Description())
			if tt.name == "PKCS#8" {
				t.Run("pasted", func(t *testing.T) { h.t = t; h.keyGolden(k) })
				h.t = t
			}
			if h.focused() != fKey {
				t.Errorf("focus on %v after the paste; want it to stay on the key", h.focused())
			}
			h.press("ctrl+s")
			h.contains("The credentials work")
			h.press("enter")
			h.contains("Created keyed", "its private key is in the memory keychain")
			c, err := h.mgr.Store.Find("keyed")
			if err != nil || c.AuthMethod != store.AuthPrivateKey {
				t.Fatalf("saved %+v, %v; want a private-key connection", c, err)
			}
			if got, _ := h.mem.Peek(c.ID); got != k.key.Encode() {
				t.Errorf("the keychain holds %d bytes; want the key's compact form", len(got))
			}
			if n := h.srv.RequestsFor("cid-key"); n != 1 {
				t.Errorf("requests = %d; want 1, signed with the key", n)
			}
			h.assertNoKey(k)
		})
	}
}

// TestKeyTypedWithoutBracketedPaste types the PEM as a terminal without
// bracketed paste sends it: enter at each line end adds a line, never
// leaves the field nor verifies.
func TestKeyTypedWithoutBracketedPaste(t *testing.T) {
	for name, lineEnd := range map[string]tea.KeyPressMsg{
		"carriage returns": keyMsg("enter"),
		"line feeds":       {Code: 'j', Mod: tea.ModCtrl},
	} {
		t.Run(name, func(t *testing.T) {
			h, k := keyHarness(t)
			fillForm(h, "keyed", "acme", "cid-key")
			toKey(h)
			lines := strings.SplitAfter(k.pem, "\n")
			h.typeKey(strings.Join(lines[:3], ""), lineEnd)
			h.contains("3 lines received; nothing of them is shown")

			if strings.Contains(h.text(), "✗") {
				t.Errorf("a refusal shows while the key is still arriving:\n%s", h.text())
			}
			h.typeKey(strings.Join(lines[3:], ""), lineEnd)
			h.contains("✓ " + k.key.Description())
			if h.focused() != fKey || h.wizard().step != stepForm || h.srv.Requests() != 0 {
				t.Fatalf("focus %v, step %v, %d requests after the typed key; want the key's field, the form, none", h.focused(), h.wizard().step, h.srv.Requests())
			}
			h.press("ctrl+s")
			h.contains("The credentials work")
			h.assertNoKey(k)
		})
	}
}

// TestKeyPastedCutShortCountsItsLines pastes the first lines of a key as
// many terminals paste them, each ending in a lone CR: the field counts
// the lines it received and says the key is cut short.
func TestKeyPastedCutShortCountsItsLines(t *testing.T) {
	h, k := keyHarness(t)
	fillForm(h, "keyed", "acme", "cid-key")
	toKey(h)
	h.paste(strings.ReplaceAll(strings.Join(strings.SplitAfter(k.pem, "\n")[:3], ""), "\n", "\r"))
	h.contains("3 lines received; nothing of them is shown", "✗ the PEM text is cut short")
	h.assertNoKey(k)
}

// pemOf returns a PEM block of a type around some bytes.
func pemOf(typ string, b []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}))
}

// TestKeyRefusedAsPasted pastes what zconn cannot use: the field says
// what was given in one line, shows none of it, and nothing is sent.
func TestKeyRefusedAsPasted(t *testing.T) {
	k := newTestKey(t, "tui")
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, pasted, message string
	}{
		{"encrypted", pemOf("ENCRYPTED PRIVATE KEY", []byte{0x30, 0x03, 0x02, 0x01, 0x00}), "the private key is encrypted with a passphrase"},
		{"EC", pemOf("EC PRIVATE KEY", ecDER), "an EC private key was given: ZIdentity API clients sign with RS256"},
		{"certificate", pemOf("CERTIFICATE", []byte{0x30, 0x00}), "a certificate was given, which holds only the public half"},
		{"public key", string(k.key.PublicKeyPEM()), "a public key was given: the ZIdentity portal holds that half"},
		{"too small", string(zidentitytest.PKCS8(zidentitytest.Key(t, "small", 1024))), "an RSA 1024-bit key was given: zconn needs 2048 bits or more"},
		{"cut short", k.pem[:len(k.pem)/2], "the PEM text is cut short or changed"},
		{"a file's path", "/home/admin/keys/zscaler.pem", "that looks like a file's path, not a key: give it under Key file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := keyHarness(t)
			fillForm(h, "keyed", "acme", "cid-key")
			toKey(h)
			h.paste(tt.pasted)
			if tt.name == "a file's path" {
				h.contains("1 line received; nothing of it is shown")
			} else {
				h.contains("lines received; nothing of them is shown")
			}
			h.contains("✗ " + tt.message)
			if tt.name == "EC" {
				t.Run("refused", func(t *testing.T) { h.t = t; h.keyGolden(k) })
				h.t = t
			}
			h.press("ctrl+s")
			if h.focused() != fKey || h.srv.Requests() != 0 {
				t.Errorf("focus %v, %d requests; want the key's field, none", h.focused(), h.srv.Requests())
			}
			h.press("backspace")
			h.contains("paste the PEM here; it is never shown")
			h.paste(k.pem)
			if strings.Contains(h.text(), tt.message) {
				t.Error("the refusal stays after a good key was pasted")
			}
			h.assertNoKey(k)
		})
	}
}

// TestPrivateKeyPastedInAnotherField pastes a key into fields that would
// show it: it goes to the key field instead, and the method follows.
func TestPrivateKeyPastedInAnotherField(t *testing.T) {
	h, k := keyHarness(t)
	fillForm(h, "keyed", "acme", "cid-key")
	h.paste(k.pem)
	h.contains("That looks like a private key: it goes in the Private key field, which shows none of it.", "(•) Private key", "✓ "+k.key.Description())
	f := h.wizard().form
	if f.value(fSecret) != "" || h.focused() != fKey {
		t.Errorf("the secret's field holds %d characters, focus on %v; want none, the key", len(f.value(fSecret)), h.focused())
	}
	h.press("tab")
	h.paste(k.pem)
	if v := h.wizard().form.value(fKeyFile); v != "" || h.focused() != fKey {
		t.Errorf("the key file's field holds %d characters, focus on %v; want none, the key", len(v), h.focused())
	}
	h.press("ctrl+s")
	h.contains("The credentials work")
	h.assertNoKey(k)

	t.Run("rotating a secret", func(t *testing.T) {
		h, k := keyHarness(t, store.Connection{Name: "prod", Vanity: "acme", ClientID: "cid-123"})
		h.press("r")
		h.paste(k.pem)
		h.contains("that looks like a private key, which never goes in this field: paste only the client secret")
		if v := h.m.page.(*editor).form.value(fSecret); v != "" {
			t.Errorf("the secret's field holds %d characters; want none", len(v))
		}
		h.typeText(canary)
		if v := h.m.page.(*editor).form.value(fSecret); v != canary {
			t.Error("typing after the refused paste does not reach the field")
		}
		h.assertNoKey(k)
	})
}

// writeKeyFile writes a key file into a folder of the test's.
func writeKeyFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKeyFromAFile(t *testing.T) {
	k := newTestKey(t, "tui")
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	path := writeKeyFile(t, home, "zscaler.pem", k.pem)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, typed string
		// submit presses ctrl+s in the file's field, before it was left.
		submit bool
	}{
		{"the path, then tab", path, false},
		{"~ for the home folder", "~/zscaler.pem", false},
		{"quoted, as a dropped file is pasted", "'" + path + "'", false},
		{"verified before the field was left", path, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := keyHarness(t)
			fillForm(h, "keyed", "acme", "cid-key")
			toKey(h)
			h.press("tab")
			h.typeText(tt.typed)
			if tt.submit {
				h.press("ctrl+s")
				h.contains("The credentials work")
				return
			}
			h.press("tab")
			h.contains("✓ "+k.key.Description(), tt.typed)
			if tt.typed == "~/zscaler.pem" {
				h.press("shift+tab")
				t.Run("read", func(t *testing.T) { h.t = t; h.keyGolden(k) })
				h.t = t
			}
			h.press("ctrl+s")
			h.contains("The credentials work")
			h.press("enter")
			c, _ := h.mgr.Store.Find("keyed")
			if got, _ := h.mem.Peek(c.ID); got != k.key.Encode() {
				t.Errorf("the keychain holds %d bytes; want the key from the file", len(got))
			}
			h.assertNoKey(k)
		})
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != k.pem || !after.ModTime().Equal(before.ModTime()) || after.Mode() != before.Mode() {
		t.Errorf("the key file changed: mode %v, modified %v; want it only read", after.Mode(), after.ModTime())
	}
	entries, _ := os.ReadDir(home)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files; want the key file alone, never copied", len(entries))
	}
}

func TestKeyFileProblemsAreShownUnderIt(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, path, message string
	}{
		{"missing", filepath.Join(dir, "nope.pem"), "the file does not exist: check the path"},
		{"a folder", dir, "the file is a folder, not a regular file: give the private key's PEM file itself"},
		{"not a key", writeKeyFile(t, dir, "notes.txt", "hello\n"), "in the file, the text is not a PEM private key"},
		{"a certificate", writeKeyFile(t, dir, "cert.pem", pemOf("CERTIFICATE", []byte{0x30, 0x00})), "in the file, a certificate was given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := keyHarness(t)
			fillForm(h, "keyed", "acme", "cid-key")
			toKey(h)
			h.press("tab")
			h.typeText(tt.path)
			h.press("ctrl+s")
			h.contains("✗ " + tt.message)
			if h.focused() != fKeyFile || h.srv.Requests() != 0 {
				t.Errorf("focus %v, %d requests; want the key file, none", h.focused(), h.srv.Requests())
			}
		})
	}
}

// seedKeyed is a saved private-key connection holding the test key.
func seedKeyed(t *testing.T, h *harness, k testKey, c store.Connection) store.Connection {
	t.Helper()
	c.AuthMethod = store.AuthPrivateKey
	saved, err := h.mgr.Create(context.Background(), c, k.key.Encode(), c.Verification)
	if err != nil {
		t.Fatal(err)
	}
	h.start(Options{})
	return saved
}

func TestRotateTheKey(t *testing.T) {
	h, k := keyHarness(t)
	c := seedKeyed(t, h, k, store.Connection{Name: "keyed", Vanity: "acme", ClientID: "cid-key"})
	next := newTestKey(t, "tui-next")
	h.press("r")
	h.contains("Rotate the private key of keyed", "New key", "or Key file", "Key expires", "the old key stays until this one works")
	h.paste(next.pem)
	h.press("ctrl+s")
	h.contains("rejected", "nothing was changed")
	if h.focused() != fKey {
		t.Errorf("focus on %v after a rejected key; want the key", h.focused())
	}
	if got, _ := h.mem.Peek(c.ID); got != k.key.Encode() {
		t.Error("the old key was replaced by one ZIdentity rejected")
	}
	h.srv.SetPublicKey("cid-key", next.key.Public())
	h.press("ctrl+s")
	h.contains("Rotated the private key of keyed (" + next.key.Description() + "); the new one works")
	if got, _ := h.mem.Peek(c.ID); got != next.key.Encode() {
		t.Error("the keychain does not hold the new key")
	}
	h.assertNoKey(k, next)
}

func TestEditorSwitchesTheMethod(t *testing.T) {
	t.Run("secret to private key", func(t *testing.T) {
		h, k := keyHarness(t, store.Connection{Name: "prod", Vanity: "acme", ClientID: "cid-123", SecretExpires: store.NewDate(2027, 3, 31)})
		h.press("e")
		h.contains("Authentication  (•) Secret   ( ) Private key", "Client secret   unchanged")
		h.press("tab", "tab", "tab", "tab", "tab", "right")
		h.contains("A switch is verified with the new secret or key before anything changes")
		if v := h.m.page.(*editor).form.value(fExpires); v != "" {
			t.Errorf("expiry %q after the switch; want it cleared, as it was the secret's", v)
		}
		h.press("ctrl+s")
		h.contains("paste the private key here, or give its file below")
		if h.focused() != fKey || h.srv.Requests() != 0 {
			t.Errorf("focus %v, %d requests; want the key, none", h.focused(), h.srv.Requests())
		}
		h.srv.AddClient(zidentitytest.Client{ID: "cid-123", PublicKey: k.key.Public()})
		h.paste(k.pem)
		h.press("ctrl+s")
		h.contains("Switched prod to a private key (" + k.key.Description() + "); the new credentials work")
		c, _ := h.mgr.Store.Find("prod")
		if got, _ := h.mem.Peek(c.ID); c.AuthMethod != store.AuthPrivateKey || got != k.key.Encode() || !c.SecretExpires.IsZero() {
			t.Errorf("saved %+v; want a private-key connection with the key and no expiry", c)
		}
		h.assertNoKey(k)
	})
	t.Run("private key to secret", func(t *testing.T) {
		h, k := keyHarness(t)
		seedKeyed(t, h, k, store.Connection{Name: "keyed", Vanity: "acme", ClientID: "cid-key"})
		h.press("e", "tab", "tab", "tab", "tab", "tab")
		h.contains("( ) Secret   (•) Private key", "Private key     unchanged")
		h.press("left", "tab")
		h.press("ctrl+s")
		h.contains("paste the client secret")
		h.srv.AddClient(zidentitytest.Client{ID: "cid-key", Secret: canary})
		h.paste(canary)
		h.press("ctrl+s")
		h.contains("Switched keyed to a client secret; the new credentials work")
		c, _ := h.mgr.Store.Find("keyed")
		if got, _ := h.mem.Peek(c.ID); c.AuthMethod != store.AuthSecret || got != canary {
			t.Errorf("saved %+v; want a secret connection with the secret", c)
		}
		h.assertNoCanary()
	})
	t.Run("a new key in the editor is verified first", func(t *testing.T) {
		h, k := keyHarness(t)
		c := seedKeyed(t, h, k, store.Connection{Name: "keyed", Vanity: "acme", ClientID: "cid-key"})
		wrong := newTestKey(t, "tui-wrong")
		h.press("e", "tab", "tab", "tab", "tab", "tab", "tab")
		h.paste(wrong.pem)
		h.press("ctrl+s")
		h.contains("rejected", "nothing was changed")
		if got, _ := h.mem.Peek(c.ID); got != k.key.Encode() {
			t.Error("the key was replaced by one ZIdentity rejected")
		}
		h.assertNoKey(k, wrong)
	})
}

func TestMoreSection(t *testing.T) {
	h := newHarness(t)
	fillForm(h, "zpa", "acme", "cid-123")
	h.paste(canary)
	h.press("tab", "tab")
	h.contains("More            ▸ ZPA and partner IDs (optional)", "space opens them; enter verifies without them")
	if strings.Contains(h.text(), "ZPA customer ID") {
		t.Fatal("the More section is open before it was opened")
	}
	h.press("space")
	h.contains("▾ ZPA and partner IDs", "ZPA customer ID", "ZPA microtenant", "Partner ID")
	h.press("tab")
	h.typeText("2161962573312819x")
	h.contains("the ZPA customer ID holds characters other than digits")
	t.Run("typed", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	h.press("backspace")
	if strings.Contains(h.text(), "other than digits") {
		t.Error("the error stays once the ID is digits")
	}
	h.press("tab")
	h.typeText("216196257331281921")
	h.press("tab")
	h.typeText("acme partner")
	h.contains("the partner ID holds spaces")
	h.press("ctrl+s")
	if h.focused() != fPartnerID || h.srv.Requests() != 0 {
		t.Fatalf("focus %v, %d requests; want the partner ID, none", h.focused(), h.srv.Requests())
	}
	h.press("ctrl+u")
	h.typeText("acme-partner")
	h.press("enter")
	h.contains("The credentials work")
	h.press("enter")
	c, _ := h.mgr.Store.Find("zpa")
	if c.ZPACustomerID != "2161962573312819" || c.ZPAMicrotenantID != "216196257331281921" || c.PartnerID != "acme-partner" {
		t.Fatalf("saved %q %q %q; want the IDs typed", c.ZPACustomerID, c.ZPAMicrotenantID, c.PartnerID)
	}

	h.press("e")
	h.contains("▾ ZPA and partner IDs", "2161962573312819", "acme-partner")
	for range 9 {
		h.press("tab")
	}
	if h.focused() != fZPACustomerID {
		t.Fatalf("focus on %v; want the customer ID", h.focused())
	}
	h.press("ctrl+u", "ctrl+s")
	h.contains("Saved zpa")
	c, _ = h.mgr.Store.Find("zpa")
	if c.ZPACustomerID != "" || c.ZPAMicrotenantID != "216196257331281921" {
		t.Errorf("saved %q %q; want the customer ID cleared, the rest kept", c.ZPACustomerID, c.ZPAMicrotenantID)
	}
	if n := h.srv.Requests(); n != 1 {
		t.Errorf("requests = %d; want 1, as the IDs need no verification", n)
	}
}

func TestDetailsOfAPrivateKeyConnection(t *testing.T) {
	h, k := keyHarness(t)
	ok := &store.Verification{At: clock.Add(-2 * time.Hour), OK: true, Lifetime: 3600, Products: []string{"ZIAM"}, Roles: []string{"Super Admin"}, AudienceOmitted: true}
	seedKeyed(t, h, k, store.Connection{Name: "keyed", Vanity: "acme", ClientID: "cid-key", Verification: ok,
		ZPACustomerID: "216196257331281920", ZPAMicrotenantID: "216196257331281921", PartnerID: "acme-partner"})
	calls := h.mem.Calls()
	h.press("enter")
	h.contains("Authentication  private key: "+k.key.Description(), "Private key     in the memory keychain", "never shown",
		"Audience        not sent (the tenant refuses it)", "ZPA customer ID 216196257331281920", "ZPA microtenant 216196257331281921", "Partner ID      acme-partner")
	if h.mem.Calls() == calls {
		t.Error("the key was not read to describe it")
	}
	h.keyGolden(k)
	h.press("j", "j", "j", "j")
	h.contains("Roles           Super Admin", "↑/k for the top")
	h.press("k", "k", "k", "k")
	h.contains("keyed  (default)", "↓/j for more")
	h.assertNoKey(k)

	t.Run("a key that cannot be read", func(t *testing.T) {
		h, k := keyHarness(t)
		c := seedKeyed(t, h, k, store.Connection{Name: "keyed", Vanity: "acme", ClientID: "cid-key"})
		h.mem.Remove(c.ID)
		h.press("enter")
		h.contains("Authentication  private key", `✗ the private key of "keyed" is missing from the memory keychain: enter it again with r`)
	})
}

// TestKeyCanary drives a pasted key through the real program, as Bubble
// Tea runs it, to a saved connection and its details: no line of the PEM
// and nothing of the form zconn keeps it in reaches the terminal.
func TestKeyCanary(t *testing.T) {
	f := newFlow(t)
	k := newTestKey(t, "tui")
	f.h.srv.AddClient(zidentitytest.Client{ID: "cid-key", PublicKey: k.key.Public()})
	f.waitFor("Before you begin")
	f.press("enter")
	f.fill("keyed", "acme", "cid-key", "")
	f.press("shift+tab", "right", "tab")
	f.tm.Send(tea.PasteMsg{Content: k.pem})
	f.waitFor(k.key.Description())
	f.press("ctrl+s")
	f.waitFor("The credentials work")
	f.press("enter")
	f.waitFor("Created keyed")
	f.press("enter")
	f.waitFor("private key: " + k.key.Description())
	m := f.final()
	if part, ok := k.leak(f.screen.Raw()); ok {
		t.Fatalf("the terminal got part of the key: %q", part)
	}
	if part, ok := k.leak(m.flash); ok {
		t.Fatalf("the footer holds part of the key: %q", part)
	}
	meta, err := os.ReadFile(filepath.Join(f.h.mgr.Store.Dir(), "connections.json"))
	if err != nil {
		t.Fatal(err)
	}
	if part, ok := k.leak(string(meta)); ok || bytes.Contains(meta, []byte("PRIVATE KEY")) {
		t.Fatalf("the metadata file holds the key: %q", part)
	}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "*", "*.golden"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.golden"))
	for _, g := range append(goldens, more...) {
		b, _ := os.ReadFile(g)
		if part, ok := k.leak(string(b)); ok {
			t.Errorf("%s holds part of the key: %q", g, part)
		}
	}
}

// TestTenantThatRefusesTheAudience verifies against a tenant that refuses
// the audience: the verify page and the details say it is not sent.
func TestTenantThatRefusesTheAudience(t *testing.T) {
	h := newHarness(t)
	h.srv.AddClient(zidentitytest.Client{ID: "cid-123", Secret: canary, RefuseAudience: true})
	fillForm(h, "prod", "acme", "cid-123")
	h.paste(canary)
	h.press("ctrl+s")
	h.contains("The credentials work", "Audience        not sent: the tenant refuses it")
	h.press("enter", "enter")
	h.contains("Audience        not sent (the tenant refuses it)")
	if c, _ := h.mgr.Store.Find("prod"); !c.OmitAudience {
		t.Errorf("saved %+v; want the audience left out from now on", c)
	}
}

// TestKeyTypedIntoAnotherField types a key, as a terminal without
// bracketed paste does, into a field that would show it: from its BEGIN
// line on it goes to the key field, and no line of it is ever drawn.
func TestKeyTypedIntoAnotherField(t *testing.T) {
	for name, field := range map[string]fieldID{"the client ID": fClientID, "the secret": fSecret, "the cloud, which holds 20 characters": fCloud} {
		t.Run(name, func(t *testing.T) {
			h, k := keyHarness(t)
			fillForm(h, "keyed", "acme", "cid-key")
			for range map[fieldID]int{fClientID: 2, fCloud: 3}[field] {
				h.press("shift+tab")
			}
			if field == fCloud {
				h.press("ctrl+u")
			}
			first, rest, _ := strings.Cut(k.pem, "\n")
			h.typeKey(first, keyMsg("enter"))
			h.contains("That looks like a private key: it goes in the Private key field, which shows none of it.")
			h.typeKey("\n"+rest, keyMsg("enter"))
			h.contains("✓ " + k.key.Description())
			f := h.wizard().form
			if want := map[fieldID]string{fClientID: "cid-key"}[field]; f.value(field) != want || !f.keyed() || h.focused() != fKey {
				t.Errorf("field holds %q, method %v, focus %v; want %q, a private key, the key's field", f.value(field), f.method, h.focused(), want)
			}
			h.press("ctrl+s")
			h.contains("The credentials work")
			h.assertNoKey(k)
		})
	}
	t.Run("rotating a secret", func(t *testing.T) {
		h, k := keyHarness(t, store.Connection{Name: "prod", Vanity: "acme", ClientID: "cid-123"})
		h.press("r")
		h.typeKey(k.pem, keyMsg("enter"))
		h.contains("that looks like a private key, which never goes in this field: paste only the client secret")
		if h.focused() != fSecret || h.srv.Requests() != 0 {
			t.Errorf("focus %v, %d requests after the key; want the secret, none", h.focused(), h.srv.Requests())
		}
		e := h.m.page.(*editor)
		if e.form.value(fSecret) != "" || e.form.value(fExpires) != "" {
			t.Errorf("the fields hold %d and %d characters after the key; want none", len(e.form.value(fSecret)), len(e.form.value(fExpires)))
		}
		h.typeText(canary)
		if e := h.m.page.(*editor); e.form.value(fSecret) != canary {
			t.Error("typing after the key does not reach the field")
		}
		h.assertNoKey(k)
	})
}

func TestExpiringKeyIsNamedAsAKey(t *testing.T) {
	h, k := keyHarness(t)
	seedKeyed(t, h, k, store.Connection{Name: "keyed", Vanity: "acme", ClientID: "cid-key", SecretExpires: store.NewDate(2026, 12, 3)})
	h.contains("The private key of keyed: in 5 days. Rotate it with r.")
}

// TestTooMuchPastedIsRefused pastes more than any private key, into the
// form's key field and at the accessible prompt: both refuse it alike.
func TestTooMuchPastedIsRefused(t *testing.T) {
	const want = "more than 64 KiB was pasted: paste only the private key's PEM"
	big := "-----BEGIN PRIVATE KEY-----\n" + strings.Repeat(strings.Repeat("A", 64)+"\n", 1100)
	t.Run("the form's key field", func(t *testing.T) {
		var k keyField
		k.add(big)
		if k.err == nil || k.err.Error() != want {
			t.Errorf("got %v; want %q", k.err, want)
		}
	})
	t.Run("the accessible prompt", func(t *testing.T) {
		_, err := readPasted(strings.NewReader(big))
		if err == nil || err.Error() != want {
			t.Errorf("got %v; want %q", err, want)
		}
	})
}
