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
	h.run("", "--secrets", "keychain", "token", "prod").want(t, 1, `the secret of "prod" is not in the memory keychain; it is in the encrypted vault `+vaultPath(h))
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

// TestChoiceNoteNamesTheBackends: the note after a secret is saved with
// --secrets names the backends as they name themselves, the one in use
// and the one the older secrets stay in.
func TestChoiceNoteNamesTheBackends(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	h.env["ZCONN_PASSPHRASE"] = "pw"
	h.run("s", "--secrets", "file", "add", "--name", "stage", "--tenant", "acme", "--client-id", clientID, "--no-verify").want(t, 0,
		"zconn: note: secrets now go to the encrypted vault "+vaultPath(h)+"; the connection saved before keeps its secret in the memory keychain: move them with zconn secrets migrate --to file")
	h.run("s", "--secrets", "keychain", "add", "--name", "lab", "--tenant", "acme", "--client-id", clientID, "--no-verify").want(t, 0,
		"zconn: note: secrets now go to the memory keychain; the 2 connections saved before keep theirs in the encrypted vault "+vaultPath(h)+": move them with zconn secrets migrate --to keychain")
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

// seedVault saves connections whose secrets are in the encrypted vault,
// which becomes the remembered choice, and leaves the environment as it
// found it but for ZCONN_PASSPHRASE.
func seedVault(t *testing.T, h *harness, names ...string) {
	t.Helper()
	h.env["ZCONN_PASSPHRASE"] = "pw"
	for _, n := range names {
		if r := h.run(canary+"-"+n, "--secrets", "file", "add", "--name", n, "--tenant", "acme", "--client-id", clientID, "--no-verify"); r.code != 0 {
			t.Fatalf("add %s to the vault: %d %q", n, r.code, r.stderr)
		}
	}
}

// TestMigrateTakesSecretsFromWhereTheyAre: the secrets are moved from
// wherever each is, whatever --secrets or ZCONN_SECRETS say.
func TestMigrateTakesSecretsFromWhereTheyAre(t *testing.T) {
	h := newHarness(t)
	h.env["ZCONN_PASSPHRASE"] = "pw"
	for _, n := range []string{"prod", "stage"} {
		h.seed(store.Connection{Name: n}, canary+"-"+n)
	}
	h.env["ZCONN_SECRETS"] = "file"
	r := h.run("", "secrets", "migrate", "--to", "file")
	r.want(t, 0)
	if !strings.Contains(r.stdout, "Moved 2 secrets from the memory keychain to the encrypted vault") || h.mem.Len() != 0 {
		t.Fatalf("migrate printed %q and left %d secrets in the keychain; want both moved", r.stdout, h.mem.Len())
	}
	delete(h.env, "ZCONN_SECRETS")
	for _, n := range []string{"prod", "stage"} {
		if r := h.run("", "env", n); r.code != 0 || !strings.Contains(r.stdout, canary+"-"+n) {
			t.Errorf("env %s after the move: %d %q; want the secret from the vault", n, r.code, r.stderr)
		}
	}
}

// TestMigrateMovesOnlyWhatIsElsewhere: with secrets in both backends,
// those in the destination stay and the others join them.
func TestMigrateMovesOnlyWhatIsElsewhere(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary+"-prod")
	seedVault(t, h, "stage", "dev")
	r := h.run("", "secrets", "migrate", "--to", "keychain")
	r.want(t, 0)
	for _, want := range []string{"moved stage\n", "moved dev\n", "Moved 2 secrets from the encrypted vault " + vaultPath(h) + " to the memory keychain, where zconn keeps them from now on; 1 was there already.\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout %q; want %q", r.stdout, want)
		}
	}
	if h.mem.Len() != 3 {
		t.Errorf("the keychain holds %d secrets; want 3", h.mem.Len())
	}
	for _, n := range []string{"prod", "stage", "dev"} {
		if r := h.run("", "env", n); !strings.Contains(r.stdout, canary+"-"+n) {
			t.Errorf("env %s = %d %q; want its secret", n, r.code, r.stderr)
		}
	}
	r = h.run("", "secrets", "migrate", "--to", "keychain")
	r.want(t, 0)
	if r.stdout != "The secrets are already in the memory keychain.\n" {
		t.Errorf("a second run printed %q; want that they are there already", r.stdout)
	}
}

// TestMigrateRefusesAChoiceThatContradictsIt: a --secrets or
// ZCONN_SECRETS that names the other backend would make every later
// command look in the wrong place, so nothing is moved.
func TestMigrateRefusesAChoiceThatContradictsIt(t *testing.T) {
	tests := []struct {
		name string
		env  string
		args []string
		want string
	}{
		{"variable", "keychain", []string{"secrets", "migrate", "--to", "file"}, "ZCONN_SECRETS=keychain contradicts --to file: unset ZCONN_SECRETS"},
		{"variable, other way", "file", []string{"secrets", "migrate", "--to", "keychain"}, "ZCONN_SECRETS=file contradicts --to keychain: unset ZCONN_SECRETS"},
		{"flag", "", []string{"--secrets", "keychain", "secrets", "migrate", "--to", "file"}, "--secrets keychain contradicts --to file: drop --secrets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.env["ZCONN_PASSPHRASE"] = "pw"
			h.seed(store.Connection{Name: "prod"}, canary)
			if tt.env != "" {
				h.env["ZCONN_SECRETS"] = tt.env
			}
			before := h.metadata()
			h.run("", tt.args...).want(t, 2, tt.want)
			if h.mem.Len() != 1 || h.metadata() != before {
				t.Errorf("the keychain holds %d secrets and the metadata changed %v; want nothing changed", h.mem.Len(), h.metadata() != before)
			}
			if _, err := os.Stat(vaultPath(h)); err == nil {
				t.Error("a vault was created")
			}
		})
	}
}

// TestMigrateAsksForThePassphraseOnce: moving several secrets out of a
// locked vault asks for its passphrase once, and a vault that does not
// exist is never asked about.
func TestMigrateAsksForThePassphraseOnce(t *testing.T) {
	h := newHarness(t)
	seedVault(t, h, "prod", "stage", "dev")
	delete(h.env, "ZCONN_PASSPHRASE")
	h.tty = true
	asked := 0
	var out, errOut strings.Builder
	o := h.options(strings.NewReader(""), &out, &errOut, "secrets", "migrate", "--to", "keychain")
	o.ReadPassword = func(uintptr) ([]byte, error) { asked++; return []byte("pw"), nil }
	result{executeCLI(o), out.String(), errOut.String()}.want(t, 0, "Vault passphrase:")
	if asked != 1 || h.mem.Len() != 3 {
		t.Errorf("asked %d times, keychain holds %d; want asked once and 3 moved", asked, h.mem.Len())
	}

	h2 := newHarness(t)
	h2.seed(store.Connection{Name: "prod"}, canary)
	h2.tty = true
	h2.password = "never asked"
	r := h2.run("", "secrets", "migrate", "--to", "keychain")
	r.want(t, 0)
	if strings.Contains(r.stderr, "passphrase") {
		t.Errorf("stderr %q; want no passphrase asked for a vault that does not exist", r.stderr)
	}
	if _, err := os.Stat(vaultPath(h2)); err == nil {
		t.Error("a vault was created")
	}
}

// TestMigrateIntoANewVaultNeedsThePassphraseFirst: off a terminal and
// without ZCONN_PASSPHRASE, a migration into a vault that does not exist
// yet fails once, before anything moves, naming both ways out; on a
// terminal the new vault's passphrase is asked for (twice) before the
// first secret moves.
func TestMigrateIntoANewVaultNeedsThePassphraseFirst(t *testing.T) {
	h := newHarness(t)
	for _, name := range []string{"prod", "stage", "dev"} {
		h.seed(store.Connection{Name: name}, canary)
	}
	before := h.metadata()
	r := h.run("", "secrets", "migrate", "--to", "file")
	r.want(t, 1, "zconn: the encrypted vault needs its passphrase: set ZCONN_PASSPHRASE, or run the command on a terminal")
	if r.stdout != "" {
		t.Errorf("stdout %q; want nothing moved", r.stdout)
	}
	if h.mem.Len() != 3 || h.metadata() != before {
		t.Errorf("the keychain holds %d secrets, metadata changed: %v; want all 3 left and the file untouched", h.mem.Len(), h.metadata() != before)
	}
	if _, err := os.Stat(vaultPath(h)); err == nil {
		t.Error("a vault was created")
	}

	h.tty = true
	asked := 0
	var out, errOut strings.Builder
	o := h.options(strings.NewReader(""), &out, &errOut, "secrets", "migrate", "--to", "file")
	o.ReadPassword = func(uintptr) ([]byte, error) {
		asked++
		if out.Len() > 0 {
			t.Errorf("asked for the passphrase after %q; want it asked before anything moves", out.String())
		}
		return []byte("pw"), nil
	}
	if code := executeCLI(o); code != 0 || asked != 2 || h.mem.Len() != 0 {
		t.Errorf("exit %d (%s), asked %d times, keychain holds %d; want 0, asked twice, and all 3 moved", code, errOut.String(), asked, h.mem.Len())
	}
}

// TestMissingSecretSaysWhereItIs: a secret missing from the backend in
// use is looked for in the other, and the message says where it is and
// what to run.
func TestMissingSecretSaysWhereItIs(t *testing.T) {
	t.Run("in the vault", func(t *testing.T) {
		h := newHarness(t)
		seedVault(t, h, "prod")
		h.env["ZCONN_SECRETS"] = "keychain"
		want := `zconn: fetching a token for prod: the secret of "prod" is not in the memory keychain; it is in the encrypted vault ` + vaultPath(h) + ": run zconn secrets migrate --to keychain, or set ZCONN_SECRETS=file"
		h.run("", "token", "prod").want(t, 1, want)
		h.run("", "env", "prod").want(t, 1, strings.TrimPrefix(want, "zconn: fetching a token for prod: "))
		if r := h.run("", "doctor"); !strings.Contains(r.stdout, "it is in the encrypted vault "+vaultPath(h)+": run zconn secrets migrate --to keychain") {
			t.Errorf("doctor printed\n%s\nwant where the secret is", r.stdout)
		}
	})
	t.Run("in a locked vault", func(t *testing.T) {
		h := newHarness(t)
		seedVault(t, h, "prod")
		delete(h.env, "ZCONN_PASSPHRASE")
		h.env["ZCONN_SECRETS"] = "keychain"
		h.tty = true
		var out, errOut strings.Builder
		o := h.options(strings.NewReader(""), &out, &errOut, "token", "prod")
		o.ReadPassword = func(uintptr) ([]byte, error) {
			t.Error("a missing secret asked for the vault's passphrase")
			return []byte("pw"), nil
		}
		result{executeCLI(o), out.String(), errOut.String()}.want(t, 1,
			`the secret of "prod" is not in the memory keychain; it may be in the encrypted vault `+vaultPath(h)+`, which could not be checked: run zconn secrets migrate --to keychain, which asks for the vault's passphrase, or enter it again with zconn edit prod --rotate-secret`)
	})
	t.Run("in the keychain", func(t *testing.T) {
		h := newHarness(t)
		h.seed(store.Connection{Name: "prod"}, canary)
		h.env["ZCONN_SECRETS"] = "file"
		h.env["ZCONN_PASSPHRASE"] = "pw"
		h.run("", "token", "prod").want(t, 1,
			`the secret of "prod" is not in the encrypted vault `+vaultPath(h)+`; it is in the memory keychain: run zconn secrets migrate --to file, or set ZCONN_SECRETS=keychain`)
		if _, err := os.Stat(vaultPath(h)); err == nil {
			t.Error("looking for a secret created a vault")
		}
	})
	t.Run("nowhere, and no vault", func(t *testing.T) {
		h := newHarness(t)
		c := h.seed(store.Connection{Name: "prod"}, canary)
		h.mem.Remove(c.ID)
		h.run("", "token", "prod").want(t, 1, `the secret of "prod" is missing from the memory keychain: enter it again with zconn edit prod --rotate-secret`)
		if _, err := os.Stat(vaultPath(h)); err == nil {
			t.Error("looking for a secret created a vault")
		}
	})
}
