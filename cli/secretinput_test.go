package cli_test

import (
	"strings"
	"testing"

	"github.com/zconn/zconn/internal/termecho/termechotest"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// TestPromptsAreNeverEchoed answers every prompt that asks for a secret,
// a passphrase or a private key the moment it shows: the echo must be off
// by then, so nothing typed is on the screen.
func TestPromptsAreNeverEchoed(t *testing.T) {
	const passphrase = "zconn-canary-passphrase-91c3"
	tests := []struct {
		name    string
		setup   func(t *testing.T, h *harness) (args []string, answers []termechotest.Answer, secrets []string)
		wantOut string
	}{
		{"add", func(*testing.T, *harness) ([]string, []termechotest.Answer, []string) {
			return addArgs(), []termechotest.Answer{{Prompt: "Client secret for", Text: canary}}, []string{canary}
		}, "Saved prod"},
		{"edit --rotate-secret", func(t *testing.T, h *harness) ([]string, []termechotest.Answer, []string) {
			h.seed(store.Connection{Name: "prod"}, "old")
			return []string{"edit", "prod", "--rotate-secret"}, []termechotest.Answer{{Prompt: "New client secret for", Text: canary}}, []string{canary}
		}, "Rotated"},
		{"a new vault's passphrase", func(t *testing.T, h *harness) ([]string, []termechotest.Answer, []string) {
			h.env["ZCONN_SECRETS"] = "file"
			return addArgs(), []termechotest.Answer{{Prompt: "Client secret for", Text: canary}, {Prompt: "New vault passphrase", Text: passphrase}, {Prompt: "Type it again", Text: passphrase}}, []string{canary, passphrase}
		}, "Saved prod"},
		{"the vault's passphrase", func(t *testing.T, h *harness) ([]string, []termechotest.Answer, []string) {
			seedVault(t, h, "prod")
			delete(h.env, "ZCONN_PASSPHRASE")
			return []string{"secrets", "migrate", "--to", "keychain"}, []termechotest.Answer{{Prompt: "Vault passphrase", Text: "pw"}}, []string{"pw\r\n"}
		}, "Moved"},
		{"add with a pasted key", func(t *testing.T, h *harness) ([]string, []termechotest.Answer, []string) {
			pem := string(zidentitytest.PKCS8(h.keyClient(2048)))
			return keyAddArgs("--auth", "private-key"), []termechotest.Answer{{Prompt: "Paste the private key", Text: pem}}, pemLines(pem)
		}, "Saved keyed"},
		{"edit --rotate-key with a pasted key", func(t *testing.T, h *harness) ([]string, []termechotest.Answer, []string) {
			h.seedKey(h.keyClient(2048))
			next := zidentitytest.Key(t, "cli-next", 2048)
			h.srv.SetPublicKey(keyClientID, &next.PublicKey)
			pem := string(zidentitytest.PKCS8(next))
			return []string{"edit", "keyed", "--rotate-key"}, []termechotest.Answer{{Prompt: "Paste the private key", Text: pem}}, pemLines(pem)
		}, "Rotated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			args, answers, secrets := tt.setup(t, h)
			h.tty = true
			p := termechotest.New(answers...)
			var out strings.Builder
			o := h.options(strings.NewReader(""), &out, p, args...)
			o.EchoOff = func(uintptr) (func(), error) { return p.EchoOff(), nil }
			read := func(uintptr) ([]byte, error) { return p.ReadAnswer() }
			o.ReadPassword, o.ReadKey = read, read
			if code := executeCLI(o); code != 0 || !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("exit %d, stdout %q; want 0 and %q; what happened:\n%s", code, out.String(), tt.wantOut, strings.Join(p.Events(), "\n"))
			}
			for _, s := range secrets {
				if strings.Contains(p.Screen(), s) {
					t.Fatalf("the terminal echoed what was typed; what happened:\n%s", strings.Join(p.Events(), "\n"))
				}
			}
			if left := p.Unanswered(); len(left) > 0 {
				t.Errorf("no prompt %q was shown; what happened:\n%s", left[0].Prompt, strings.Join(p.Events(), "\n"))
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
