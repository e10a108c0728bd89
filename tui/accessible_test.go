package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/zconn/zconn/internal/termecho"
)

// terminal is a pseudo-terminal whose output a test reads as a person
// would hear it from a screen reader: line by line, echo included.
type terminal struct {
	mu  sync.Mutex
	out strings.Builder
}

func (t *terminal) text() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.out.String()
}

func (t *terminal) waitFor(tb testing.TB, s string, after int) int {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		text := t.text()
		if i := strings.Index(text[after:], s); i >= 0 {
			return after + i + len(s)
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no %q in:\n%s", s, text[after:])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runInTerminal runs the accessible wizard on a pseudo-terminal, as a
// screen reader user would, and returns what it writes, the keyboard end,
// the wizard's end and Run's result.
func runInTerminal(t *testing.T, o Options) (*terminal, *os.File, *os.File, <-chan error) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	term := &terminal{}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			term.mu.Lock()
			term.out.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	done := make(chan error, 1)
	o.Accessible, o.Input, o.Output, o.Environ = true, tty, tty, []string{"TERM=dumb"}
	go func() { done <- Run(context.Background(), o) }()
	return term, ptmx, tty, done
}

func TestAccessibleWizard(t *testing.T) {
	h := newHarness(t)
	term, ptmx, tty, done := runInTerminal(t, Options{Manager: h.mgr, Wizard: true})
	answer := func(prompt, text string, at int) int {
		t.Helper()
		at = term.waitFor(t, prompt, at)
		ptmx.WriteString(text + "\r")
		return at
	}
	at := answer("Name, unique among your connections:", "prod", 0)
	at = answer("Description (optional):", "", at)
	at = answer("Tenant:", "https://acme-admin.zslogin.net/", at)
	at = term.waitFor(t, "Cloud: production, from the address.", at)
	at = answer("Client ID:", "cid-123", at)
	at = answer("How does the API client authenticate", "1", at)
	at = term.waitFor(t, "Client secret (typing is not shown):", at)
	// The prompt shows only once the echo is off.
	if on, err := termecho.Echoes(tty.Fd()); err != nil || on {
		t.Errorf("echo on = %v (%v) while the secret's prompt shows; want off", on, err)
	}
	ptmx.WriteString("wrong-secret\r")
	at = answer("Secret expires", "2027-03-31", at)
	at = answer("Add a ZPA customer ID", "", at)
	at = term.waitFor(t, "Asking acme.zslogin.net for a token", at)
	at = term.waitFor(t, "Verification failed: the client ID or secret was rejected", at)
	at = answer("Client secret (typing is not shown):", canary, at)
	at = term.waitFor(t, "The credentials work. Token lifetime: 1 hour. Products: ZIAM, ZIA. Roles: Super Admin.", at)
	term.waitFor(t, "Saved prod (verified)", at)
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if strings.Contains(term.text(), canary) || strings.Contains(term.text(), "wrong-secret") {
		t.Error("the secret was echoed")
	}
	if strings.Contains(term.text(), "\x1b[") {
		t.Error("TERM=dumb got escape sequences")
	}
	c, err := h.mgr.Store.Find("prod")
	if err != nil || c.Vanity != "acme" || c.SecretExpires.String() != "2027-03-31" {
		t.Fatalf("saved %+v, %v", c, err)
	}
	if s, _ := h.mem.Peek(c.ID); s != canary {
		t.Errorf("secret %q; want the canary", s)
	}
}

func TestAccessibleOffersTheVault(t *testing.T) {
	h := newHarness(t)
	o, v := vaultOptions(h)
	o.CheckKeychain = func(context.Context) error { return errors.New("no D-Bus session bus") }
	o.Manager, o.Wizard, o.BaseURL = h.mgr, true, "https://127.0.0.1:8443"
	term, ptmx, _, done := runInTerminal(t, o)
	at := term.waitFor(t, "ZCONN_ZIDENTITY_URL is set", 0)
	at = term.waitFor(t, "cannot be used: no D-Bus session bus", at)
	at = term.waitFor(t, "Keep the secrets in an encrypted vault, "+filepath.FromSlash("~/zconn/vault.age")+", instead?", at)
	ptmx.WriteString("y\r")
	at = term.waitFor(t, "Vault passphrase", at)
	ptmx.WriteString("pw\r")
	at = term.waitFor(t, "Type it again", at)
	ptmx.WriteString("pw\r")
	at = term.waitFor(t, "Secrets go to the encrypted vault "+filepath.FromSlash("~/zconn/vault.age")+".", at)
	for _, answer := range []struct{ prompt, text string }{
		{"Name", "prod"}, {"Description", ""}, {"Tenant", "acme"}, {"Cloud", ""}, {"Client ID", "cid-123"},
		{"authenticate", ""}, {"Client secret", canary}, {"Secret expires", ""}, {"Add a ZPA", ""},
	} {
		at = term.waitFor(t, answer.prompt, at)
		ptmx.WriteString(answer.text + "\r")
	}
	term.waitFor(t, "Saved prod (verified). Its secret is in the encrypted vault "+filepath.FromSlash("~/zconn/vault.age")+".", at)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !v.Exists() || h.mem.Len() != 0 {
		t.Errorf("vault exists %v, keychain holds %d; want the secret in the vault only", v.Exists(), h.mem.Len())
	}
}
