package tui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
)

// vaultOptions wires the harness's store to a real vault, as the commands
// do. The config folder is in the home folder, so the vault shows as
// ~/zconn/vault.age, which keeps the golden files stable.
func vaultOptions(h *harness) (Options, *store.Vault) {
	v := store.NewVault(h.mgr.Store, func(context.Context, bool) (string, error) {
		return "", errors.New("no prompt in tests")
	})
	v.WorkFactor = 10
	v.Home = filepath.Dir(h.mgr.Store.Dir())
	return Options{
		Home:        v.Home,
		VaultPath:   v.Path(),
		VaultExists: v.Exists(),
		UseVault: func(ctx context.Context, p string) error {
			v.SetPassphrase(p)
			if err := v.Open(ctx); err != nil {
				return err
			}
			h.mgr.Store.SetSecrets(v)
			return nil
		},
	}, v
}

func TestKeychainFailureOffersTheVault(t *testing.T) {
	h := newHarness(t)
	o, v := vaultOptions(h)
	o.CheckKeychain = func(context.Context) error {
		return &store.SecretError{Message: "no D-Bus session bus, so the Secret Service cannot be reached: run zconn in a desktop session"}
	}
	h.start(o)
	h.contains("The Secret Service cannot be used: no D-Bus session bus", "encrypted vault", "Choose a passphrase")
	h.golden()
	h.typeText("correct horse")
	h.press("enter")
	h.typeText("correct horsf")
	h.press("enter")
	h.contains("the two passphrases differ")
	h.typeText("correct horse")
	h.press("tab")
	h.typeText("correct horse")
	h.press("enter")
	if _, ok := h.m.page.(*wizard); !ok {
		t.Fatalf("after choosing the vault the page is %q; want the wizard", h.m.page.title())
	}
	h.contains("Secrets now go to the encrypted vault " + filepath.FromSlash("~/zconn/vault.age"))
	fillForm(h, "prod", "acme", "cid-123")
	h.paste(canary)
	h.press("ctrl+s", "enter")
	h.contains("Created prod")
	raw, err := os.ReadFile(v.Path())
	if err != nil || len(raw) == 0 {
		t.Fatalf("no vault file: %v", err)
	}
	if bytes.Contains(raw, []byte(canary)) {
		t.Error("the vault holds the secret in the clear")
	}
	if h.mem.Len() != 0 {
		t.Errorf("the keychain got %d secrets; want none", h.mem.Len())
	}
	h.assertNoCanary()
}

func TestKeychainFailureCanBeDeclined(t *testing.T) {
	h := seeded(t)
	o, _ := vaultOptions(h)
	o.CheckKeychain = func(context.Context) error { return errors.New("timed out") }
	h.start(o)
	h.press("esc")
	if !onHome(h.m) {
		t.Errorf("esc left page %q; want the list", h.m.page.title())
	}
}

func TestUnlockTheVault(t *testing.T) {
	h := newHarness(t)
	o, v := vaultOptions(h)
	v.SetPassphrase("right")
	if err := v.Set(context.Background(), "x", "y"); err != nil {
		t.Fatal(err)
	}
	o.VaultExists, o.UnlockVault = true, true
	h.start(o)
	h.contains("Type its passphrase to unlock it")
	h.golden()
	h.typeText("wrong")
	h.press("enter")
	h.contains("the passphrase does not open the vault")
	h.typeText("right")
	h.press("enter")
	if _, ok := h.m.page.(*wizard); !ok {
		t.Errorf("after unlocking the page is %q; want the wizard", h.m.page.title())
	}
}

func TestUnlockDeclinedQuits(t *testing.T) {
	h := newHarness(t)
	o, _ := vaultOptions(h)
	o.UnlockVault = true
	h.start(o)
	h.press("esc")
	if !h.quit {
		t.Error("esc on the unlock screen did not quit")
	}
}

// TestTheVaultIsNamedWhereTheSecretGoes chooses the vault, then walks the
// wizard: each page that says where the secret goes names the vault.
func TestTheVaultIsNamedWhereTheSecretGoes(t *testing.T) {
	h := newHarness(t)
	o, _ := vaultOptions(h)
	o.CheckKeychain = func(context.Context) error {
		return &store.SecretError{Kind: store.KindNoBus, Message: "no D-Bus session bus"}
	}
	h.start(o)
	h.typeText("correct horse")
	h.press("tab")
	h.typeText("correct horse")
	h.press("enter")
	chosen := len(h.views)
	where := "encrypted vault " + filepath.FromSlash("~/zconn/vault.age")
	t.Run("before you begin", func(t *testing.T) { h.t = t; h.contains("Before you begin", where) })
	h.t = t
	fillForm(h, "prod", "acme", "cid-123")
	t.Run("the secret field", func(t *testing.T) { h.t = t; h.contains("Client secret", where) })
	h.t = t
	h.paste(canary)
	h.press("ctrl+s")
	t.Run("verified", func(t *testing.T) { h.t = t; h.contains("The credentials work", where) })
	h.t = t
	h.press("enter")
	t.Run("created", func(t *testing.T) { h.t = t; h.contains("Created prod", where) })
	h.t = t
	for _, view := range h.views[chosen:] {
		if strings.Contains(view, "keychain") {
			t.Fatalf("a page of the wizard names the keychain after the vault was chosen:\n%s", view)
		}
	}
	if h.mem.Len() != 0 {
		t.Errorf("the keychain got %d secrets; want none", h.mem.Len())
	}
}

// TestKeychainDownLaterOffersTheVault fails the keychain after start: the
// action that met it says both ways out, and the vault page offers the
// vault there and then.
func TestKeychainDownLaterOffersTheVault(t *testing.T) {
	tests := []struct {
		name    string
		kind    store.SecretErrorKind
		message string
		// shown is how the message begins, before a line may break at a
		// hyphen.
		shown string
	}{
		{"no bus", store.KindNoBus, "no D-Bus session bus, so the Secret Service cannot be reached: run zconn in a desktop session or under dbus-run-session with a keyring unlocked", "no D-Bus session bus, so the Secret Service cannot be reached: run zconn in a desktop session"},
		{"locked", store.KindLocked, "the Secret Service is locked: unlock it (on Linux: gnome-keyring-daemon --unlock; on macOS: security unlock-keychain) and try again", "the Secret Service is locked: unlock it (on Linux: gnome"},
	}
	for _, tt := range tests {
		t.Run(tt.name+", saving", func(t *testing.T) {
			h := newHarness(t)
			o, v := vaultOptions(h)
			h.start(o)
			h.mem.Fail("set", &store.SecretError{Op: "saving", Kind: tt.kind, Message: tt.message})
			fillForm(h, "prod", "acme", "cid-123")
			h.paste(canary)
			h.press("ctrl+s", "enter")
			if _, ok := h.m.page.(*vaultPage); !ok {
				t.Fatalf("the page is %q after the keychain failed; want the vault offered", h.m.page.title())
			}
			h.contains("cannot be used: "+tt.shown, "encrypted vault", "Choose a passphrase")
			h.typeText("correct horse")
			h.press("tab")
			h.typeText("correct horse")
			h.press("enter")
			h.wizard()
			h.press("ctrl+s", "enter")
			h.contains("Created prod", "encrypted vault")
			if !v.Exists() || h.mem.Len() != 0 {
				t.Errorf("vault exists %v, keychain holds %d; want the secret in the vault only", v.Exists(), h.mem.Len())
			}
			h.assertNoCanary()
		})
		t.Run(tt.name+", testing, declined", func(t *testing.T) {
			h := seeded(t)
			o, _ := vaultOptions(h)
			h.start(o)
			h.mem.Fail("get", &store.SecretError{Op: "reading", Kind: tt.kind, Message: tt.message})
			h.press("t")
			if _, ok := h.m.page.(*vaultPage); !ok {
				t.Fatalf("the page is %q after the keychain failed; want the vault offered", h.m.page.title())
			}
			h.press("esc")
			if !onHome(h.m) {
				t.Fatalf("esc left the page %q; want the Connections page", h.m.page.title())
			}
			h.contains(tt.shown, "or keep the secrets in the encrypted vault (zconn offers it; ZCONN_SECRETS=file chooses it at start)")
		})
	}
}
