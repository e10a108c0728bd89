package cli_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// typedAnswer is what a person types once a prompt shows.
type typedAnswer struct{ prompt, text string }

// personAtTerminal is a terminal with a person at it who types each
// typedAnswer the moment its prompt shows on standard error, as fast as anyone
// could. Like a real terminal, it echoes what is typed unless its echo is
// off at that moment. It keeps no time: what happens is decided by the
// order in which zconn writes prompts and turns the echo off, and events
// records that order.
type personAtTerminal struct {
	mu      sync.Mutex
	screen  strings.Builder
	looked  int // where on the screen the next prompt is looked for
	echoOff bool
	answers []typedAnswer
	typed   []string
	events  []string
}

// Write shows what zconn writes on standard error; a prompt the person
// waits for makes them type its typedAnswer at once.
func (p *personAtTerminal) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.screen.Write(b)
	p.events = append(p.events, "wrote "+string(b))
	for len(p.answers) > 0 {
		next := p.answers[0]
		i := strings.Index(p.screen.String()[p.looked:], next.prompt)
		if i < 0 {
			break
		}
		p.answers = p.answers[1:]
		p.events = append(p.events, "typed the typedAnswer to "+next.prompt)
		if !p.echoOff {
			p.screen.WriteString(next.text + "\r\n")
		}
		p.typed = append(p.typed, next.text)
		p.looked = p.screen.Len()
	}
	return len(b), nil
}

// hide is System.EchoOff.
func (p *personAtTerminal) hide(uintptr) (func(), error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.echoOff = true
	p.events = append(p.events, "echo off")
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.echoOff = false
		p.events = append(p.events, "echo on")
	}, nil
}

// read is System.ReadPassword and System.ReadKey: what was typed, one
// typedAnswer at a time.
func (p *personAtTerminal) read(uintptr) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.typed) == 0 {
		return nil, errors.New("nothing was typed: the prompt never showed")
	}
	s := p.typed[0]
	p.typed = p.typed[1:]
	return []byte(s), nil
}

func (p *personAtTerminal) text() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.String()
}

// TestPromptsAreNeverEchoed answers every prompt that asks for a secret,
// a passphrase or a private key the moment it shows: the echo must be off
// by then, so nothing typed is on the screen.
func TestPromptsAreNeverEchoed(t *testing.T) {
	const passphrase = "zconn-canary-passphrase-91c3"
	tests := []struct {
		name    string
		setup   func(t *testing.T, h *harness) (args []string, answers []typedAnswer, secrets []string)
		wantOut string
	}{
		{"add", func(*testing.T, *harness) ([]string, []typedAnswer, []string) {
			return addArgs(), []typedAnswer{{"Client secret for", canary}}, []string{canary}
		}, "Saved prod"},
		{"edit --rotate-secret", func(t *testing.T, h *harness) ([]string, []typedAnswer, []string) {
			h.seed(store.Connection{Name: "prod"}, "old")
			return []string{"edit", "prod", "--rotate-secret"}, []typedAnswer{{"New client secret for", canary}}, []string{canary}
		}, "Rotated"},
		{"a new vault's passphrase", func(t *testing.T, h *harness) ([]string, []typedAnswer, []string) {
			h.env["ZCONN_SECRETS"] = "file"
			return addArgs(), []typedAnswer{{"Client secret for", canary}, {"New vault passphrase", passphrase}, {"Type it again", passphrase}}, []string{canary, passphrase}
		}, "Saved prod"},
		{"the vault's passphrase", func(t *testing.T, h *harness) ([]string, []typedAnswer, []string) {
			seedVault(t, h, "prod")
			delete(h.env, "ZCONN_PASSPHRASE")
			return []string{"secrets", "migrate", "--to", "keychain"}, []typedAnswer{{"Vault passphrase", "pw"}}, []string{"pw\r\n"}
		}, "Moved"},
		{"add with a pasted key", func(t *testing.T, h *harness) ([]string, []typedAnswer, []string) {
			pem := string(zidentitytest.PKCS8(h.keyClient(2048)))
			return keyAddArgs("--auth", "private-key"), []typedAnswer{{"Paste the private key", pem}}, pemLines(pem)
		}, "Saved keyed"},
		{"edit --rotate-key with a pasted key", func(t *testing.T, h *harness) ([]string, []typedAnswer, []string) {
			h.seedKey(h.keyClient(2048))
			next := zidentitytest.Key(t, "cli-next", 2048)
			h.srv.SetPublicKey(keyClientID, &next.PublicKey)
			pem := string(zidentitytest.PKCS8(next))
			return []string{"edit", "keyed", "--rotate-key"}, []typedAnswer{{"Paste the private key", pem}}, pemLines(pem)
		}, "Rotated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			args, answers, secrets := tt.setup(t, h)
			h.tty = true
			p := &personAtTerminal{answers: answers}
			var out strings.Builder
			o := h.options(strings.NewReader(""), &out, p, args...)
			o.EchoOff, o.ReadPassword, o.ReadKey = p.hide, p.read, p.read
			if code := executeCLI(o); code != 0 || !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and %q", code, out.String(), p.text(), tt.wantOut)
			}
			for _, s := range secrets {
				if strings.Contains(p.text(), s) {
					t.Fatalf("the terminal echoed what was typed:\n%s", strings.Join(p.events, "\n"))
				}
			}
			if len(p.answers) > 0 {
				t.Errorf("no prompt %q was shown:\n%s", p.answers[0].prompt, p.text())
			}
		})
	}
}

// pemLines returns the lines of a PEM key that hold key material.
func pemLines(pem string) []string {
	var out []string
	for _, l := range strings.Split(pem, "\n") {
		if l != "" && !strings.HasPrefix(l, "-----") {
			out = append(out, l)
		}
	}
	return out
}
