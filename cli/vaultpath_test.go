package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestVaultPathShownWithTilde puts the config folder in the home folder:
// every message that names the vault for people names it as ~/...
func TestVaultPathShownWithTilde(t *testing.T) {
	h := newHarness(t)
	home := filepath.Dir(h.dir)
	h.env["HOME"], h.env["USERPROFILE"] = home, home
	h.env["ZCONN_SECRETS"], h.env["ZCONN_PASSPHRASE"] = "file", "pw"
	shown := "encrypted vault " + filepath.FromSlash("~/zconn/vault.age")
	r := h.run(canary, addArgs()...)
	r.want(t, 0)

	t.Run("add", func(t *testing.T) {
		if !strings.Contains(r.stdout, "secret in the "+shown) {
			t.Errorf("stdout %q; want it to say %q", r.stdout, shown)
		}
	})
	t.Run("doctor", func(t *testing.T) {
		if r := h.run("", "doctor"); !strings.Contains(r.stdout, "secrets backend opens: "+shown) {
			t.Errorf("doctor printed\n%s\nwant %q", r.stdout, shown)
		}
	})
	t.Run("a wrong passphrase", func(t *testing.T) {
		h.env["ZCONN_PASSPHRASE"] = "wrong"
		defer func() { h.env["ZCONN_PASSPHRASE"] = "pw" }()
		h.run("", "token", "prod").want(t, 1, "the passphrase does not open the vault "+filepath.FromSlash("~/zconn/vault.age"))
	})
	t.Run("a secret looked for in the keychain", func(t *testing.T) {
		h.env["ZCONN_SECRETS"] = "keychain"
		defer func() { h.env["ZCONN_SECRETS"] = "file" }()
		h.run("", "token", "prod").want(t, 1, `the secret of "prod" is not in the memory keychain; it is in the `+shown+": run zconn secrets migrate --to keychain")
	})
	t.Run("test --json", func(t *testing.T) {
		h.env["ZCONN_SECRETS"] = "keychain"
		defer func() { h.env["ZCONN_SECRETS"] = "file" }()
		r := h.run("", "test", "prod", "--json")
		full := "encrypted vault " + filepath.Join(h.dir, "vault.age")
		if want, _ := json.Marshal(full); !strings.Contains(r.stdout, string(want[1:len(want)-1])) || strings.Contains(r.stdout, "~") {
			t.Errorf("test --json printed %s; want the message to name the %s", r.stdout, full)

		}
	})
}
