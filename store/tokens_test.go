package store_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
)

// tokenCanary is the test's access token: it must appear only in the
// keychain item that keeps it.
const tokenCanary = "eyJ0b2tlbi1jYW5hcnki.zconn-Tok3n-canary.sig"

// mapRing is a Keyring over a map, keyed by service and account, that can
// fail every call of one kind.
type mapRing struct {
	mu    sync.Mutex
	items map[[2]string]string
	fail  error
}

func newMapRing() *mapRing { return &mapRing{items: map[[2]string]string{}} }

func (r *mapRing) Set(s, u, p string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.items[[2]string{s, u}] = p
	return nil
}

func (r *mapRing) Get(s, u string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return "", r.fail
	}
	p, ok := r.items[[2]string{s, u}]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return p, nil
}

func (r *mapRing) Delete(s, u string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	if _, ok := r.items[[2]string{s, u}]; !ok {
		return keyring.ErrNotFound
	}
	delete(r.items, [2]string{s, u})
	return nil
}

func sampleToken() store.CachedToken {
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	return store.CachedToken{AccessToken: tokenCanary, Client: "cid@acme.zslogin.net", ObtainedAt: at, ExpiresAt: at.Add(time.Hour)}
}

func TestKeychainKeepsTheTokenBesideTheSecret(t *testing.T) {
	ctx := context.Background()
	ring := newMapRing()
	k := store.NewKeychainWith(ring, time.Second)
	if _, err := k.CachedToken(ctx, "id1"); !errors.Is(err, store.ErrTokenNotCached) {
		t.Fatalf("CachedToken before any = %v; want ErrTokenNotCached", err)
	}
	if err := k.Set(ctx, "id1", canary); err != nil {
		t.Fatal(err)
	}
	want := sampleToken()
	if err := k.CacheToken(ctx, "id1", want); err != nil {
		t.Fatalf("CacheToken: %v", err)
	}
	if _, ok := ring.items[[2]string{store.TokenService, "id1"}]; !ok {
		t.Errorf("keychain items %v; want one with service %s, account id1", keysOf(ring), store.TokenService)
	}
	if got, _ := ring.Get(store.KeychainService, "id1"); got != canary {
		t.Errorf("the secret beside it = %q; want it untouched", got)
	}
	got, err := k.CachedToken(ctx, "id1")
	if err != nil || got != want {
		t.Errorf("CachedToken = %#v, %v; want %#v", got, err, want)
	}
	if err := k.DropToken(ctx, "id1"); err != nil {
		t.Fatalf("DropToken: %v", err)
	}
	if _, err := k.CachedToken(ctx, "id1"); !errors.Is(err, store.ErrTokenNotCached) {
		t.Errorf("CachedToken after DropToken = %v; want ErrTokenNotCached", err)
	}
	if err := k.DropToken(ctx, "id1"); err != nil {
		t.Errorf("DropToken of none = %v; want nil", err)
	}
	if got, _ := ring.Get(store.KeychainService, "id1"); got != canary {
		t.Errorf("after DropToken the secret = %q; want it untouched", got)
	}
}

func TestDamagedTokenItemIsNotCached(t *testing.T) {
	for name, item := range map[string]string{
		"not JSON":        "garbage",
		"another version": `{"v":2,"access_token":"x","obtained_at":1,"expires_at":2}`,
		"no token":        `{"v":1,"obtained_at":1,"expires_at":2}`,
		"no lifetime":     `{"v":1,"access_token":"x","obtained_at":2,"expires_at":2}`,
	} {
		t.Run(name, func(t *testing.T) {
			ring := newMapRing()
			ring.items[[2]string{store.TokenService, "id"}] = item
			_, err := store.NewKeychainWith(ring, time.Second).CachedToken(context.Background(), "id")
			if !errors.Is(err, store.ErrTokenNotCached) {
				t.Errorf("CachedToken of %q = %v; want ErrTokenNotCached", item, err)
			}
		})
	}
}

func TestTokenCacheErrorsKeepTheTokenOut(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		err  error
		kind store.SecretErrorKind
	}{
		{"too large", keyring.ErrSetDataTooBig, store.KindTooLarge},
		{"locked", errors.New("Cannot create an item in a locked collection"), store.KindLocked},
		// A keychain that quotes what it was given.
		{"echo", errors.New("cannot store " + tokenCanary), store.KindOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ring := newMapRing()
			ring.fail = tt.err
			err := store.NewKeychainWith(ring, time.Second).CacheToken(ctx, "id", sampleToken())
			var se *store.SecretError
			if !errors.As(err, &se) || se.Kind != tt.kind {
				t.Fatalf("CacheToken = %v; want a *SecretError of kind %v", err, tt.kind)
			}
			if msg := err.Error(); strings.Contains(msg, tokenCanary) || strings.Contains(msg, "secret") || frontEndHint.MatchString(msg) {
				t.Errorf("message %q: want it to speak of the token, without it or a front end's hint", msg)
			}
		})
	}
}

func TestTokenStringsHideTheToken(t *testing.T) {
	tok := sampleToken()
	for _, s := range []string{tok.String(), tok.GoString()} {
		if strings.Contains(s, tokenCanary) {
			t.Errorf("%q shows the token", s)
		}
	}
}

func TestTokensOf(t *testing.T) {
	v, _ := newVault(t, t.TempDir(), "pw")
	tests := []struct {
		name string
		s    store.Secrets
		want bool
	}{
		{"keychain", store.NewKeychainWith(newMapRing(), time.Second), true},
		{"memory keychain", storetest.NewMemory(), true},
		{"vault", v, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.TokensOf(tt.s) != nil; got != tt.want {
				t.Errorf("TokensOf(%s) keeps tokens: %v; want %v", tt.name, got, tt.want)
			}
		})
	}
}

// TestRealKeychainKeepsTheToken keeps, reads and drops a token in the OS
// keychain. It runs when ZCONN_TEST_KEYRING=1, as .ci/run sets it inside a
// D-Bus session with an unlocked gnome-keyring.
func TestRealKeychainKeepsTheToken(t *testing.T) {
	if os.Getenv("ZCONN_TEST_KEYRING") != "1" {
		t.Skip("set ZCONN_TEST_KEYRING=1 to use the real keychain")
	}
	ctx := context.Background()
	k := store.NewKeychain(10 * time.Second)
	s := store.New(t.TempDir(), k)
	c, err := s.Create(ctx, conn("real-token"), canary)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() {
		_ = k.DropToken(context.Background(), c.ID)
		_ = k.Delete(context.Background(), c.ID)
	})
	want := sampleToken()
	if err := k.CacheToken(ctx, c.ID, want); err != nil {
		t.Fatalf("CacheToken: %v", err)
	}
	if raw, err := keyring.Get(store.TokenService, c.ID); err != nil || !strings.Contains(raw, tokenCanary) {
		t.Fatalf("keychain item %s/%s: %v; want it to hold the token", store.TokenService, c.ID, err)
	}
	if got, err := s.Secret(ctx, c.ID); err != nil || got != canary {
		t.Errorf("the secret beside it = %q, %v; want the canary", got, err)
	}
	if got, err := k.CachedToken(ctx, c.ID); err != nil || got != want {
		t.Errorf("CachedToken = %#v, %v; want %#v", got, err, want)
	}
	if err := k.DropToken(ctx, c.ID); err != nil {
		t.Fatalf("DropToken: %v", err)
	}
	if _, err := keyring.Get(store.TokenService, c.ID); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("after DropToken the item reads %v; want it gone", err)
	}
	if got, err := s.Secret(ctx, c.ID); err != nil || got != canary {
		t.Errorf("after DropToken the secret = %q, %v; want it kept", got, err)
	}
}

func keysOf(r *mapRing) []string {
	var out []string
	for k := range r.items {
		out = append(out, k[0]+"/"+k[1])
	}
	return out
}
