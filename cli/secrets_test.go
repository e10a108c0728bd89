package cli_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
)

func vaultPath(h *harness) string { return filepath.Join(h.dir, store.VaultFileName) }

func TestVaultChosenByEnvironmentIsRemembered(t *testing.T) {
	h := newHarness(t)
	h.env["ZCONN_SECRETS"] = "file"
	h.env["ZCONN_PASSPHRASE"] = "correct horse"
	h.run(canary+"\n", "add", "--name", "prod", "--tenant", "acme", "--client-id", clientID).want(t, 0)
	if h.mem.Len() != 0 || h.opened.Load() != 0 {
		t.Errorf("the keychain was opened %d times and holds %d secrets; want it untouched", h.opened.Load(), h.mem.Len())
	}
	raw, err := os.ReadFile(vaultPath(h))
	if err != nil || strings.Contains(string(raw), canary) {
		t.Fatalf("vault %q, %v; want an encrypted file without the secret", raw, err)
	}
	if !strings.Contains(h.metadata(), `"secrets": "file"`) {
		t.Errorf("the choice is not remembered:\n%s", h.metadata())
	}
	delete(h.env, "ZCONN_SECRETS")
	r := h.run("", "env", "prod")
	r.want(t, 0)
	if !strings.Contains(r.stdout, canary) {
		t.Errorf("env from the remembered vault = %q; want the secret", r.stdout)
	}
}

func TestSecretsFlag(t *testing.T) {
	h := newHarness(t)
	h.env["ZCONN_PASSPHRASE"] = "pw"
	h.run(canary, "--secrets", "file", "add", "--name", "prod", "--tenant", "acme", "--client-id", clientID).want(t, 0)
	if _, err := os.Stat(vaultPath(h)); err != nil {
		t.Fatalf("no vault after --secrets file: %v", err)
	}
	h.run("", "--secrets", "keychain", "token", "prod").want(t, 1, `the secret of "prod" is missing from the memory keychain`)
	if !strings.Contains(h.metadata(), `"secrets": "file"`) {
		t.Error("a command that only reads a secret changed the remembered choice")
	}
}

func TestSecretsChoiceErrors(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	h.env["ZCONN_SECRETS"] = "cloud"
	h.run("", "token", "prod").want(t, 2, `ZCONN_SECRETS="cloud" is not a secrets backend: use keychain or file`)
	delete(h.env, "ZCONN_SECRETS")
	h.env["ZCONN_PASSPHRASE"] = "pw"
	r := h.run("s", "--secrets", "file", "add", "--name", "stage", "--tenant", "acme", "--client-id", clientID, "--no-verify")
	r.want(t, 0, "zconn: note: secrets now go to the encrypted vault")
	if !strings.Contains(r.stderr, "keeps its secret in the") || !strings.Contains(r.stderr, "zconn secrets migrate --to file") {
		t.Errorf("stderr %q; want where the older secret is and how to move it", r.stderr)
	}
	if r := h.run("", "list"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	delete(h.env, "ZCONN_PASSPHRASE")
	h.run("", "token", "stage").want(t, 1, "the encrypted vault needs its passphrase: set ZCONN_PASSPHRASE")
}

func TestVaultWrongPassphrase(t *testing.T) {
	h := newHarness(t)
	h.env["ZCONN_SECRETS"] = "file"
	h.env["ZCONN_PASSPHRASE"] = "right"
	h.run(canary, "add", "--name", "prod", "--tenant", "acme", "--client-id", clientID, "--no-verify").want(t, 0)
	before, _ := os.ReadFile(vaultPath(h))
	h.env["ZCONN_PASSPHRASE"] = "wrong"
	h.run("", "token", "prod").want(t, 1, "the passphrase does not open the vault")
	h.run("other-secret", "add", "--name", "stage", "--tenant", "acme", "--client-id", clientID, "--no-verify").want(t, 1, "the passphrase does not open the vault")
	if after, _ := os.ReadFile(vaultPath(h)); string(after) != string(before) {
		t.Error("a wrong passphrase changed the vault")
	}
	if _, err := h.find("stage"); err == nil {
		t.Error("stage was saved although its secret could not be")
	}
}

func TestVaultPromptsForItsPassphrase(t *testing.T) {
	h := newHarness(t)
	h.tty = true
	h.password = canary
	h.env["ZCONN_SECRETS"] = "file"
	r := h.run("", "add", "--name", "prod", "--tenant", "acme", "--client-id", clientID)
	if r.code != 0 {
		t.Fatalf("add with prompts: %d %q", r.code, r.stderr)
	}
	for _, p := range []string{"New vault passphrase:", "Type it again:"} {
		if !strings.Contains(r.stderr, p) {
			t.Errorf("stderr %q; want the prompt %q", r.stderr, p)
		}
	}
	if strings.Contains(r.stdout+r.stderr, canary) {
		t.Error("a prompt echoed what was typed")
	}
}

func TestMigrateBothWays(t *testing.T) {
	h := newHarness(t)
	h.env["ZCONN_PASSPHRASE"] = "pw"
	names := []string{"prod", "stage", "dev"}
	for _, n := range names {
		h.seed(store.Connection{Name: n}, canary+"-"+n)
	}
	r := h.run("", "secrets", "migrate", "--to", "file")
	r.want(t, 0)
	if !strings.Contains(r.stdout, "Moved 3 secrets") || h.mem.Len() != 0 {
		t.Fatalf("migrate --to file printed %q and left %d secrets in the keychain", r.stdout, h.mem.Len())
	}
	raw, _ := os.ReadFile(vaultPath(h))
	if strings.Contains(string(raw), canary) {
		t.Error("the vault holds a secret in the clear")
	}
	for _, n := range names {
		r := h.run("", "env", n)
		if r.code != 0 || !strings.Contains(r.stdout, canary+"-"+n) {
			t.Errorf("env %s after migrating to the vault: %d %q", n, r.code, r.stderr)
		}
	}
	h.run("", "secrets", "migrate", "--to", "file").want(t, 0)
	r = h.run("", "secrets", "migrate", "--to", "keychain")
	r.want(t, 0)
	if h.mem.Len() != 3 || !strings.Contains(h.metadata(), `"secrets": "keychain"`) {
		t.Errorf("after migrating back the keychain holds %d secrets; metadata %s", h.mem.Len(), h.metadata())
	}
	h.run("", "secrets", "migrate", "--to", "cloud").want(t, 2, "--to keychain or --to file")
}

func TestMigrateInterruptedLeavesEverySecretReadable(t *testing.T) {
	h := newHarness(t)
	h.env["ZCONN_PASSPHRASE"] = "pw"
	h.env["ZCONN_SECRETS"] = "file"
	for _, n := range []string{"prod", "stage"} {
		h.run(canary+"-"+n, "add", "--name", n, "--tenant", "acme", "--client-id", clientID, "--no-verify").want(t, 0)
	}
	delete(h.env, "ZCONN_SECRETS")
	h.mem.Fail("set", errors.New("the keychain went away"))
	r := h.run("", "secrets", "migrate", "--to", "keychain")
	r.want(t, 1, "the keychain went away", "the keychain went away", "2 of 2 secrets could not be moved")
	for _, n := range []string{"prod", "stage"} {
		if r := h.run("", "env", n); !strings.Contains(r.stdout, canary+"-"+n) {
			t.Errorf("after a failed migration env %s = %d %q; want the secret from the vault", n, r.code, r.stderr)
		}
	}
	h.mem.Fail("set", nil)
	h.run("", "secrets", "migrate", "--to", "keychain").want(t, 0)
	if h.mem.Len() != 2 {
		t.Errorf("the keychain holds %d secrets after finishing; want 2", h.mem.Len())
	}
}

// deadKeychain is the OS keychain on a machine without a D-Bus session.
type deadKeychain struct{}

func (deadKeychain) Set(_, _, _ string) error {
	return errors.New(`exec: "dbus-launch": executable file not found in $PATH`)
}
func (deadKeychain) Get(_, _ string) (string, error) {
	return "", errors.New(`exec: "dbus-launch": executable file not found in $PATH`)
}
func (deadKeychain) Delete(_, _ string) error {
	return errors.New(`exec: "dbus-launch": executable file not found in $PATH`)
}

func TestNoKeychainCommandsExplainTheChoice(t *testing.T) {
	h := newHarness(t)
	h.keychain = store.NewKeychainWith(deadKeychain{}, 0)
	h.run(canary, "add", "--name", "prod", "--tenant", "acme", "--client-id", clientID).
		want(t, 1, "no D-Bus session bus, so the Secret Service cannot be reached")
	r := h.run(canary, "add", "--name", "prod", "--tenant", "acme", "--client-id", clientID)
	if !strings.Contains(r.stderr, "ZCONN_SECRETS=file") {
		t.Errorf("stderr %q; want it to say how to choose the vault", r.stderr)
	}
	h.run("", "new").want(t, 0)
	o2 := h.tuiRuns[len(h.tuiRuns)-1]
	if o2.CheckKeychain == nil || o2.UseVault == nil {
		t.Fatal("the TUI is not told to check the keychain and offer the vault")
	}
	if err := o2.CheckKeychain(context.Background()); err == nil || !strings.Contains(err.Error(), "D-Bus") {
		t.Errorf("CheckKeychain = %v; want the mapped keychain error", err)
	}
	if err := o2.UseVault(context.Background(), "chosen"); err != nil {
		t.Fatalf("UseVault: %v", err)
	}
	if !strings.Contains(h.metadata(), `"secrets": "file"`) {
		t.Error("choosing the vault in the TUI is not remembered")
	}
	h.run("", "new").want(t, 0)
	if o3 := h.tuiRuns[len(h.tuiRuns)-1]; !o3.UnlockVault || o3.CheckKeychain != nil {
		t.Errorf("with the vault chosen the TUI gets UnlockVault %v, CheckKeychain set %v; want unlock, no check", o3.UnlockVault, o3.CheckKeychain != nil)
	}
}
