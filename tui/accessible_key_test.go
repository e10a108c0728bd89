package tui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zconn/zconn/internal/termecho"
	"github.com/zconn/zconn/store"
)

// keyAnswers are a person's answers up to the method, which is a private
// key, then how the key comes, then the rest.
func keyAnswers(source string, key []answer, rest ...answer) []answer {
	a := []answer{
		{"Name", "keyed"}, {"Description", ""}, {"Tenant", "acme"}, {"Cloud", ""}, {"Client ID", "cid-key"},
		{"How does the API client authenticate", "2"}, {"How will you give the private key", source},
	}
	return append(append(a, key...), rest...)
}

// TestAccessibleKeyPasted pastes the key at a prompt that shows nothing,
// the moment it shows, ending with an empty line: the echo is off first,
// the key is never written, and only its description is said.
func TestAccessibleKeyPasted(t *testing.T) {
	h, k := keyHarness(t)
	p := newPerson(keyAnswers("2",
		[]answer{{"Paste the private key (PEM), then an empty line or Ctrl-D", k.pem}},
		answer{"Key expires", "2027-06-30"}, answer{"Add a ZPA", "y"},
		answer{"ZPA customer ID", "216196257331281920"}, answer{"ZPA microtenant ID", "12x"}, answer{"ZPA microtenant ID", ""}, answer{"Partner ID", "acme-partner"},
	)...)
	if err := runPerson(t, h, p); err != nil {
		t.Fatalf("got %v; want the connection saved", err)
	}
	text := p.text()
	if part, ok := k.leak(text); ok {
		t.Fatalf("the terminal shows the key (%q):\n%s", part, text)
	}
	for _, want := range []string{
		"Private key: " + k.key.Description() + ", pasted.",
		"the ZPA microtenant ID holds characters other than digits",
		"Saved keyed (verified). Its private key is in the memory keychain.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the terminal does not say %q:\n%s", want, text)
		}
	}
	off, prompt := -1, -1
	for i, e := range p.Events() {
		if e == "echo off" && off < 0 {
			off = i
		}
		if strings.HasPrefix(e, "wrote Paste the private key") && prompt < 0 {
			prompt = i
		}
	}
	if off < 0 || prompt < 0 || off > prompt {
		t.Errorf("echo off at event %d, the paste's prompt at %d; want the echo off first", off, prompt)
	}
	c, err := h.mgr.Store.Find("keyed")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := h.mem.Peek(c.ID); c.AuthMethod != store.AuthPrivateKey || got != k.key.Encode() {
		t.Errorf("saved %+v; want a private-key connection with the pasted key", c)
	}
	if c.SecretExpires.String() != "2027-06-30" || c.ZPACustomerID != "216196257331281920" || c.ZPAMicrotenantID != "" || c.PartnerID != "acme-partner" {
		t.Errorf("saved %+v; want the expiry and the IDs typed", c)
	}
}

// TestAccessibleKeyRefusedThenPasted pastes what zconn cannot use, then
// the key: the refusal is one line, the paste is asked again, nothing is
// sent before.
func TestAccessibleKeyRefusedThenPasted(t *testing.T) {
	h, k := keyHarness(t)
	p := newPerson(keyAnswers("2", []answer{
		{"Paste the private key", pemOf("CERTIFICATE", []byte{0x30, 0x00})},
		{"Paste the private key", k.pem},
	}, answer{"Key expires", ""}, answer{"Add a ZPA", ""})...)
	if err := runPerson(t, h, p); err != nil {
		t.Fatalf("got %v; want the connection saved", err)
	}
	if !strings.Contains(p.text(), "a certificate was given, which holds only the public half") {
		t.Errorf("no refusal of the certificate:\n%s", p.text())
	}
	if n := h.srv.Requests(); n != 1 {
		t.Errorf("requests = %d; want 1, with the key", n)
	}
}

// TestAccessibleKeyFromAFile gives the key's file: a path that is no
// key file is refused as typed, then the file is read.
func TestAccessibleKeyFromAFile(t *testing.T) {
	h, k := keyHarness(t)
	dir := t.TempDir()
	path := writeKeyFile(t, dir, "zscaler.pem", k.pem)
	p := newPerson(keyAnswers("1", []answer{
		{"The private key's file", filepath.Join(dir, "missing.pem")},
		{"The private key's file", path},
	}, answer{"Key expires", ""}, answer{"Add a ZPA", ""})...)
	if err := runPerson(t, h, p); err != nil {
		t.Fatalf("got %v; want the connection saved", err)
	}
	text := p.text()
	for _, want := range []string{"the file does not exist: check the path", "Private key: " + k.key.Description() + ", from " + path + "."} {
		if !strings.Contains(text, want) {
			t.Errorf("the terminal does not say %q:\n%s", want, text)
		}
	}
	c, _ := h.mgr.Store.Find("keyed")
	if got, _ := h.mem.Peek(c.ID); got != k.key.Encode() {
		t.Error("the keychain does not hold the key from the file")
	}
}

// TestAccessibleKeyPastedInATerminal pastes the key on a real
// pseudo-terminal and ends it with Ctrl-D: the echo is off while the
// prompt shows, and the terminal never shows the key.
func TestAccessibleKeyPastedInATerminal(t *testing.T) {
	h, k := keyHarness(t)
	term, ptmx, tty, done := runInTerminal(t, Options{Manager: h.mgr, Wizard: true})
	at := 0
	for _, a := range keyAnswers("2", nil) {
		at = term.waitFor(t, a.prompt, at)
		ptmx.WriteString(a.text + "\r")
	}
	at = term.waitFor(t, "Paste the private key (PEM), then an empty line or Ctrl-D; nothing is shown:", at)
	if on, err := termecho.Echoes(tty.Fd()); err != nil || on {
		t.Errorf("echo on = %v (%v) while the paste's prompt shows; want off", on, err)
	}
	ptmx.WriteString(strings.ReplaceAll(k.pem, "\n", "\r") + "\x04")
	at = term.waitFor(t, "Private key: "+k.key.Description()+", pasted.", at)
	at = term.waitFor(t, "Key expires", at)
	ptmx.WriteString("\r")
	at = term.waitFor(t, "Add a ZPA", at)
	ptmx.WriteString("\r")
	term.waitFor(t, "Saved keyed (verified)", at)
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if part, ok := k.leak(term.text()); ok {
		t.Fatalf("the terminal showed the key (%q)", part)
	}
}

// TestAccessibleKeyPastedAsTheSecret pastes a private key at the secret's
// prompt: the key's lines are read to its END line and dropped, none of
// them is taken for the secret or sent, the refusal says to choose a
// private key, and the secret typed next is saved.
func TestAccessibleKeyPastedAsTheSecret(t *testing.T) {
	h, k := keyHarness(t)
	p := newPerson(
		answer{"Name", "prod"}, answer{"Description", ""}, answer{"Tenant", "acme"}, answer{"Cloud", ""}, answer{"Client ID", "cid-123"},
		answer{"authenticate", ""}, answer{"Client secret", strings.TrimSuffix(k.pem, "\n")}, answer{"Client secret", canary},
		answer{"Secret expires", ""}, answer{"Add a ZPA", ""},
	)
	if err := runPerson(t, h, p); err != nil {
		t.Fatalf("got %v; want the connection saved", err)
	}
	text := p.text()
	if part, ok := k.leak(text); ok {
		t.Fatalf("the terminal shows the key (%q):\n%s", part, text)
	}
	const refusal = "this is a private key, not a client secret: choose Private key as the API client's authentication"
	if n := strings.Count(text, refusal); n != 1 {
		t.Errorf("the refusal shows %d times; want once:\n%s", n, text)
	}
	if n := strings.Count(text, "Client secret (typing is not shown):"); n != 2 {
		t.Errorf("the secret's prompt shows %d times; want twice, before the key and after its refusal:\n%s", n, text)
	}
	c, err := h.mgr.Store.Find("prod")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := h.mem.Peek(c.ID); got != canary {
		t.Errorf("saved a %d-byte secret; want the secret typed after the key", len(got))
	}
	if n := h.srv.Requests(); n != 1 {
		t.Errorf("requests = %d; want 1, with the secret", n)
	}
}
