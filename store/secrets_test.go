package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
)

// acceptedSecrets are secrets store.ValidateSecret lets through: every
// backend must give each back byte for byte.
var acceptedSecrets = map[string]string{
	"ascii":                    canary + ` ~!@#$%^&*()_+-={}[]|\:;"'<>,.?/` + "`",
	"unicode":                  canary + " café 日本 😀",
	"json and html specials":   canary + ` <b>&amp;</b> "q" \u0000 \n \\`,
	"line separators":          canary + "\u2028\u2029",
	"replacement character":    canary + "\ufffd",
	"long":                     canary + strings.Repeat("s", 2000),
	"no-break and other space": canary + "\u00a0\u3000x",
}

// refusedSecrets are secrets that no backend could be trusted to keep as
// they are, or that no ZIdentity client has: each is refused before it is
// saved anywhere.
var refusedSecrets = map[string]struct{ secret, mention string }{
	"invalid utf-8":        {canary + "\xff", "not valid UTF-8"},
	"cut rune":             {canary + "\xe6\x97", "not valid UTF-8"},
	"tab":                  {canary + "\tsecond", "control character"},
	"nul":                  {canary + "\x00", "control character"},
	"escape":               {canary + "\x1b[31m", "control character"},
	"several lines":        {canary + "\nsecond line\nthird", "more than one line"},
	"windows line ends":    {"first line\r\nMIIB" + canary + "\r\nlast line", "more than one line"},
	"lone carriage return": {canary + "\rx", "more than one line"},
	"carriage return last": {canary + "\r", "more than one line"},
	"delete":               {canary + "\x7f", "control character"},
	"c1 control":           {canary + "\u0085", "control character"},
	"pkcs#1 private key":   {"-----BEGIN RSA PRIVATE KEY-----\n" + canary + "\n-----END RSA PRIVATE KEY-----", "private key, not a client secret"},
	"pkcs#8 private key":   {"-----BEGIN PRIVATE KEY-----\n" + canary + "\n-----END PRIVATE KEY-----", "private key, not a client secret"},
	"a key's first line":   {"-----BEGIN ENCRYPTED PRIVATE KEY-----", "private key, not a client secret"},
}

func TestValidateSecret(t *testing.T) {
	for name, s := range acceptedSecrets {
		if err := store.ValidateSecret(s); err != nil {
			t.Errorf("%s: ValidateSecret = %v; want it accepted", name, err)
		}
	}
	for name, tt := range refusedSecrets {
		err := store.ValidateSecret(tt.secret)
		if err == nil || !strings.Contains(err.Error(), tt.mention) || strings.Contains(err.Error(), canary) {
			t.Errorf("%s: ValidateSecret = %v; want an error mentioning %q, without the secret", name, err, tt.mention)
		}
	}
}

// TestSecretsRoundTripExactly saves every accepted secret through the
// store into each backend, and reads it back byte for byte; every refused
// one is refused by Create and ReplaceSecret before any backend sees it.
// The real keychain runs when ZCONN_TEST_KEYRING=1.
func TestSecretsRoundTripExactly(t *testing.T) {
	backends := map[string]func(t *testing.T, dir string) store.Secrets{
		"memory": func(*testing.T, string) store.Secrets { return storetest.NewMemory() },
		"vault": func(t *testing.T, dir string) store.Secrets {
			v, _ := newVault(t, dir, "pw")
			return v
		},
		"keychain": func(t *testing.T, _ string) store.Secrets {
			if os.Getenv("ZCONN_TEST_KEYRING") != "1" {
				t.Skip("set ZCONN_TEST_KEYRING=1 to use the real keychain")
			}
			return store.NewKeychain(10 * time.Second)
		},
	}
	ctx := context.Background()
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "zconn")
			sec := open(t, dir)
			s := store.New(dir, sec)
			i := 0
			for what, secret := range acceptedSecrets {
				i++
				c, err := s.Create(ctx, conn("c"+string(rune('a'+i))), secret)
				if err != nil {
					t.Fatalf("%s: Create: %v", what, err)
				}
				t.Cleanup(func() { _ = sec.Delete(context.Background(), c.ID) })
				if got, err := s.Secret(ctx, c.ID); err != nil || got != secret {
					t.Errorf("%s: read back %q, %v; want %q", what, got, err, secret)
				}
				rotated := secret + " rotated"
				if err := s.ReplaceSecret(ctx, c.ID, rotated); err != nil {
					t.Fatalf("%s: ReplaceSecret: %v", what, err)
				}
				if got, err := s.Secret(ctx, c.ID); err != nil || got != rotated {
					t.Errorf("%s: read back after ReplaceSecret %q, %v; want %q", what, got, err, rotated)
				}
			}
			first, err := s.Create(ctx, conn("first"), "kept")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = sec.Delete(context.Background(), first.ID) })
			for what, tt := range refusedSecrets {
				if _, err := s.Create(ctx, conn("refused"), tt.secret); err == nil || !strings.Contains(err.Error(), tt.mention) {
					t.Errorf("%s: Create err = %v; want it refused", what, err)
				}
				if err := s.ReplaceSecret(ctx, first.ID, tt.secret); err == nil || !strings.Contains(err.Error(), tt.mention) {
					t.Errorf("%s: ReplaceSecret err = %v; want it refused", what, err)
				}
			}
			if got, err := s.Secret(ctx, first.ID); err != nil || got != "kept" {
				t.Errorf("after the refusals the secret = %q, %v; want it kept", got, err)
			}
			if _, err := s.Find("refused"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Find(refused) err = %v; want no such connection", err)
			}
		})
	}
}

// TestVaultRefusesWhatItCannotKeepExactly: the vault's JSON would turn
// invalid UTF-8 into U+FFFD, so the vault refuses it rather than keep
// another secret than it was given.
func TestVaultRefusesWhatItCannotKeepExactly(t *testing.T) {
	v, _ := newVault(t, t.TempDir(), "pw")
	ctx := context.Background()
	err := v.Set(ctx, "a", canary+"\xff")
	if err == nil || !strings.Contains(err.Error(), "UTF-8") || strings.Contains(err.Error(), canary) {
		t.Fatalf("Set of invalid UTF-8 err = %v; want it refused, without the secret", err)
	}
	if got, err := v.Get(ctx, "a"); !errors.Is(err, store.ErrSecretNotFound) {
		t.Errorf("Get = %q, %v; want nothing saved", got, err)
	}
}

func TestEndsPEM(t *testing.T) {
	for line, want := range map[string]bool{
		"-----END PRIVATE KEY-----":        true,
		"  -----END RSA PRIVATE KEY-----":  true,
		"\t-----END CERTIFICATE-----":      true,
		"-----BEGIN PRIVATE KEY-----":      false,
		"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC": false,
		"-----EN":                          false,
		"":                                 false,
	} {
		if got, gotBytes := store.EndsPEM(line), store.EndsPEM([]byte(line)); got != want || gotBytes != want {
			t.Errorf("EndsPEM(%q) = %v as text, %v as bytes; want %v", line, got, gotBytes, want)
		}
	}
}
