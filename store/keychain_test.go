package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
)

// fakeRing is a Keyring whose every call fails with err, or hangs.
type fakeRing struct {
	err  error
	hang chan struct{}
}

func (f fakeRing) wait() error {
	if f.hang != nil {
		<-f.hang
	}
	return f.err
}
func (f fakeRing) Set(_, _, _ string) error        { return f.wait() }
func (f fakeRing) Get(_, _ string) (string, error) { return "", f.wait() }
func (f fakeRing) Delete(_, _ string) error        { return f.wait() }

func TestKeychainErrorsSayWhatHappened(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		kind    store.SecretErrorKind
		mention string
		is      error
	}{
		{"missing item", keyring.ErrNotFound, store.KindNotFound, "holds no secret", store.ErrSecretNotFound},
		{"no session bus", errors.New("dbus: couldn't determine address of session bus"), store.KindNoBus, "no D-Bus session bus", store.ErrNoSessionBus},
		{"no dbus-launch", errors.New(`exec: "dbus-launch": executable file not found in $PATH`), store.KindNoBus, "dbus-run-session", store.ErrNoSessionBus},
		{"no secret service", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), store.KindNoService, "no Secret Service is running", nil},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), store.KindLocked, "is locked: unlock it", nil},
		{"too large", keyring.ErrSetDataTooBig, store.KindTooLarge, "check that only the client secret was pasted", nil},
		{"unsupported", keyring.ErrUnsupportedPlatform, store.KindUnsupported, "no OS keychain", nil},
		{"other", errors.New("weird\x1b[2J failure"), store.KindOther, "weird failure", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := store.NewKeychainWith(fakeRing{err: tt.err}, time.Second)
			err := k.Set(context.Background(), "id", canary)
			var se *store.SecretError
			if !errors.As(err, &se) || se.Kind != tt.kind || !strings.Contains(err.Error(), tt.mention) {
				t.Fatalf("err = %v; want a *SecretError of kind %v mentioning %q", err, tt.kind, tt.mention)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v; want it to wrap %v", err, tt.is)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\n\x1b") || strings.Contains(msg, canary) {
				t.Errorf("message %q: want one line without the secret", msg)
			}
			if msg := err.Error(); frontEndHint.MatchString(msg) {
				t.Errorf("message %q names a zconn command, flag or key: that is for the front ends to add", msg)
			}
		})
	}
}

func TestSecretTooLarge(t *testing.T) {
	var tooBig *store.SecretTooLargeError
	k := store.NewKeychainWith(fakeRing{err: keyring.ErrSetDataTooBig}, time.Second)
	if err := k.Set(context.Background(), "id", canary); !errors.As(err, &tooBig) || tooBig.Size != len(canary) {
		t.Errorf("err = %v; want a *SecretTooLargeError of %d bytes", err, len(canary))
	}
	limited := limitedSecrets{Memory: storetest.NewMemory(), limit: 10}
	err := store.CheckSecretLen(limited, canary)
	want := fmt.Sprintf("the secret has %d bytes but the memory keychain holds at most 10: check that only the client secret was pasted", len(canary))
	if !errors.As(err, &tooBig) || err.Error() != want {
		t.Errorf("got %v; want %q", err, want)
	}
	if err := store.CheckSecretLen(limited, "short"); err != nil {
		t.Errorf("a short secret: got %v; want nil", err)
	}
}

// frontEndHint matches what only a front end may say: a zconn command line,
// one of its flags, or a key of the terminal interface.
var frontEndHint = regexp.MustCompile(`zconn (new|add|list|edit|test|use|doctor|secrets)\b|--(rotate-secret|timeout|secrets)\b|Connections page|\bpress [a-z]\b`)

// limitedSecrets is a Memory that holds secrets of at most limit bytes.
type limitedSecrets struct {
	*storetest.Memory
	limit int
}

func (l limitedSecrets) MaxSecretLen() int { return l.limit }

func TestKeychainEchoedSecretIsRedacted(t *testing.T) {
	k := store.NewKeychainWith(fakeRing{err: errors.New("cannot store " + canary)}, time.Second)
	if err := k.Set(context.Background(), "id", canary); err == nil || strings.Contains(err.Error(), canary) {
		t.Errorf("err = %v; want the secret redacted", err)
	}
}

func TestKeychainTimeout(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	k := store.NewKeychainWith(fakeRing{hang: hang}, 30*time.Millisecond)
	_, err := k.Get(context.Background(), "id")
	if !errors.Is(err, store.ErrTimeout) || !strings.Contains(err.Error(), "ZCONN_KEYCHAIN_TIMEOUT") || !strings.Contains(err.Error(), "unlock prompt") {
		t.Errorf("err = %v; want a timeout naming the unlock prompt and ZCONN_KEYCHAIN_TIMEOUT", err)
	}
}

func TestKeychainCanceled(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	k := store.NewKeychainWith(fakeRing{hang: hang}, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := k.Delete(ctx, "id"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", err)
	}
}

// TestRealKeychain stores, reads and deletes a secret in the OS keychain.
// It runs when ZCONN_TEST_KEYRING=1, as .ci/run sets it inside a D-Bus
// session with an unlocked gnome-keyring.
func TestRealKeychain(t *testing.T) {
	if os.Getenv("ZCONN_TEST_KEYRING") != "1" {
		t.Skip("set ZCONN_TEST_KEYRING=1 to use the real keychain")
	}
	ctx := context.Background()
	k := store.NewKeychain(10 * time.Second)
	if err := store.Probe(ctx, k); err != nil {
		t.Fatalf("Probe: %v", err)
	}
	s := store.New(t.TempDir(), k)
	c, err := s.Create(ctx, conn("real"), canary)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() { k.Delete(context.Background(), c.ID) })
	if got, err := keyring.Get(store.KeychainService, c.ID); err != nil || got != canary {
		t.Fatalf("keychain item zconn/%s = %q, %v; want the canary", c.ID, got, err)
	}
	if got, err := s.Secret(ctx, c.ID); err != nil || got != canary {
		t.Errorf("Secret = %q, %v; want the canary", got, err)
	}
	if err := s.ReplaceSecret(ctx, c.ID, "rotated"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Secret(ctx, c.ID); got != "rotated" {
		t.Errorf("after ReplaceSecret = %q; want rotated", got)
	}
	if err := s.Delete(ctx, c.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(ctx, c.ID); !errors.Is(err, store.ErrSecretNotFound) {
		t.Errorf("Get after Delete err = %v; want ErrSecretNotFound", err)
	}
}

// TestKeychainNeverStartsABus calls the real keychain on a login without a
// D-Bus session bus (no DBUS_SESSION_BUS_ADDRESS, an empty runtime folder)
// where dbus-launch is installed: each call must report that there is no
// bus, naming how to get one, and never run dbus-launch, which would leave
// a dbus-daemon and a gnome-keyring-daemon running for every call. (The
// other way out, the encrypted vault, is for the front ends to offer.)
func TestKeychainNeverStartsABus(t *testing.T) {
	if store.KeychainName() != "Secret Service" {
		t.Skip("the keychain is not reached over D-Bus here")
	}
	for _, addr := range []string{"", "autolaunch:"} {
		t.Run("address "+strconv.Quote(addr), func(t *testing.T) {
			bin, marker := t.TempDir(), filepath.Join(t.TempDir(), "dbus-launch-ran")
			script := "#!/bin/sh\necho ran >> '" + marker + "'\nexit 1\n"
			if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			t.Setenv("PATH", bin)
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
			t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
			k := store.NewKeychain(10 * time.Second)
			ctx := context.Background()
			_, gerr := k.Get(ctx, "id")
			for op, err := range map[string]error{"Get": gerr, "Set": k.Set(ctx, "id", canary), "Delete": k.Delete(ctx, "id")} {
				var se *store.SecretError
				if !errors.Is(err, store.ErrNoSessionBus) || !errors.As(err, &se) || se.Kind != store.KindNoBus {
					t.Errorf("%s err = %v; want ErrNoSessionBus, of kind KindNoBus", op, err)
					continue
				}
				for _, want := range []string{"no D-Bus session bus", "dbus-run-session"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("%s err = %q; want it to mention %q", op, err, want)
					}
				}
			}
			if b, err := os.ReadFile(marker); err == nil {
				t.Errorf("dbus-launch ran %d times; want never", strings.Count(string(b), "ran"))
			}
		})
	}
}

// TestLockedKeychainSaysSo: every locked-keychain message is of kind
// KindLocked, for the front ends to offer the vault, and names unlocking.
func TestLockedKeychainSaysSo(t *testing.T) {
	for _, raw := range []string{
		"failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'",
		"Cannot create an item in a locked collection",
		"User interaction is not allowed.",
		"prompt dismissed",
	} {
		k := store.NewKeychainWith(fakeRing{err: errors.New(raw)}, time.Second)
		_, err := k.Get(context.Background(), "id")
		var se *store.SecretError
		if !errors.As(err, &se) || se.Kind != store.KindLocked || !strings.Contains(err.Error(), "unlock it") {
			t.Errorf("%q gives %v; want a KindLocked error that names unlocking", raw, err)
		}
	}
}
