package manager_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

func TestReusable(t *testing.T) {
	obtained := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		lifetime time.Duration
		// left is how long the token has to live at the time asked.
		left time.Duration
		want bool
	}{
		{"an hour's token, just obtained", time.Hour, time.Hour, true},
		{"an hour's token, 60s left", time.Hour, 60 * time.Second, true},
		{"an hour's token, 59s left", time.Hour, 59 * time.Second, false},
		{"a day's token, 61s left", 24 * time.Hour, 61 * time.Second, true},
		{"a day's token, 59s left", 24 * time.Hour, 59 * time.Second, false},
		{"five minutes' token, 30s left (a tenth)", 5 * time.Minute, 30 * time.Second, true},
		{"five minutes' token, 29s left", 5 * time.Minute, 29 * time.Second, false},
		{"a minute's token, 6s left (a tenth)", time.Minute, 6 * time.Second, true},
		{"a minute's token, 5s left", time.Minute, 5 * time.Second, false},
		{"expired", time.Hour, -time.Second, false},
		{"no lifetime", 0, time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := store.CachedToken{AccessToken: "t", ObtainedAt: obtained, ExpiresAt: obtained.Add(tt.lifetime)}
			now := tok.ExpiresAt.Add(-tt.left)
			if got := manager.Reusable(tok, now); got != tt.want {
				t.Errorf("Reusable with %s of %s left = %v; want %v", tt.left, tt.lifetime, got, tt.want)
			}
		})
	}
	t.Run("a token no server may send", func(t *testing.T) {
		// Kept by a zconn that did not check the token, or written into
		// the keychain by someone else: never handed out.
		for _, bad := range []string{"eyJ\u001b]0;pwned\u0007.x.y", "two words", "eyJ\n.x"} {
			tok := store.CachedToken{AccessToken: bad, ObtainedAt: obtained, ExpiresAt: obtained.Add(time.Hour)}
			if manager.Reusable(tok, obtained) {
				t.Errorf("Reusable(%q) = true; want false", bad)
			}
		}
	})
	t.Run("the clock went back", func(t *testing.T) {
		tok := store.CachedToken{AccessToken: "t", ObtainedAt: obtained, ExpiresAt: obtained.Add(time.Hour)}
		if manager.Reusable(tok, obtained.Add(-2*time.Hour)) {
			t.Errorf("Reusable two hours before it was obtained = true; want false")
		}
	})
}

// clock is a settable clock for the manager.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// cached saves prod, unverified, with the fixture's clock at c.
func cached(t *testing.T, f fixture, c *clock) store.Connection {
	t.Helper()
	f.m.Now = c.now
	conn, _, err := f.m.Add(context.Background(), draft("prod"), canary, false)
	must(t, err)
	return conn
}

func TestAccessTokenIsReused(t *testing.T) {
	f := setup(t)
	clk := &clock{time.Now()}
	c := cached(t, f, clk)
	ctx := context.Background()
	first, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	if first.Cached || first.Token == "" || first.CacheErr != nil {
		t.Fatalf("first AccessToken = %v (cache error %v); want a new token, kept", first, first.CacheErr)
	}
	if want := clk.t.Add(time.Hour).UTC().Truncate(time.Second); !first.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %s; want %s, an hour after it was asked for", first.ExpiresAt, want)
	}
	reads, requests := f.mem.SecretReads(), f.srv.Requests()
	clk.t = clk.t.Add(58 * time.Minute)
	second, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	if !second.Cached || second.Token != first.Token || !second.ExpiresAt.Equal(first.ExpiresAt) {
		t.Errorf("second AccessToken = %v; want the first one, from the cache", second)
	}
	if f.srv.Requests() != requests || f.mem.SecretReads() != reads {
		t.Errorf("the second call made %d requests and read the secret %d times; want neither", f.srv.Requests()-requests, f.mem.SecretReads()-reads)
	}
	// 59s left of an hour: under the minute's margin, a new one.
	clk.t = first.ExpiresAt.Add(-59 * time.Second)
	third, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	if third.Cached || third.Token == first.Token || f.srv.Requests() != requests+1 {
		t.Errorf("AccessToken 59s before expiry = %v after %d requests; want a new token from one more request", third, f.srv.Requests()-requests)
	}
	if kept, _ := f.mem.PeekToken(c.ID); kept.AccessToken != third.Token {
		t.Errorf("the cache keeps %v; want the new token", kept)
	}
}

func TestAccessTokenFresh(t *testing.T) {
	f := setup(t)
	c := cached(t, f, &clock{time.Now()})
	ctx := context.Background()
	first, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	fresh, err := f.m.AccessToken(ctx, c, true)
	must(t, err)
	if fresh.Cached || fresh.Token == first.Token || f.srv.Requests() != 2 {
		t.Fatalf("fresh AccessToken = %v after %d requests; want a new token from a second request", fresh, f.srv.Requests())
	}
	again, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	if !again.Cached || again.Token != fresh.Token {
		t.Errorf("after --fresh the cache hands out %v; want the fresh token", again)
	}
}

func TestAccessTokenFreshThatFailsDropsTheKeptOne(t *testing.T) {
	f := setup(t)
	c := cached(t, f, &clock{time.Now()})
	ctx := context.Background()
	_, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	f.srv.SetFailure(zidentitytest.Reject)
	if _, err := f.m.AccessToken(ctx, c, true); err == nil {
		t.Fatal("fresh AccessToken against a server that rejects = nil error; want the rejection")
	}
	if kept, ok := f.mem.PeekToken(c.ID); ok {
		t.Errorf("after a failed --fresh the cache keeps %v; want the refused token gone", kept)
	}
}

func TestAccessTokenIsBoundToTheHostOverride(t *testing.T) {
	f := setup(t)
	c := cached(t, f, &clock{time.Now()})
	ctx := context.Background()
	first, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	// The same connection, its requests now sent elsewhere: the token
	// from the tenant's host is not handed out there, nor the other way.
	f.m.HostOverride = true
	over, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	f.m.HostOverride = false
	back, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	if over.Cached || back.Cached || over.Token == first.Token || back.Token == over.Token {
		t.Errorf("tokens %v, %v, %v; want each one new", first, over, back)
	}
}

func TestAccessTokenIsBoundToTheClient(t *testing.T) {
	f := setup(t)
	c := cached(t, f, &clock{time.Now()})
	ctx := context.Background()
	first, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	// The client ID changed behind the cache's back (a hand edit, or a
	// token left by a failed drop): the token is not this client's.
	f.srv.AddClient(zidentitytest.Client{ID: "cid2", Secret: canary})
	c.ClientID = "cid2"
	got, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	if got.Cached || got.Token == first.Token {
		t.Errorf("AccessToken after the client changed = %v; want a new token", got)
	}
}

// nodrop is a Memory whose token cache cannot be emptied.
type nodrop struct{ *storetest.Memory }

func (n nodrop) DropToken(context.Context, string) error { return errors.New("the keychain went away") }

func TestCredentialChangesDropTheToken(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// change changes prod; it returns false when the connection is gone.
		change  func(t *testing.T, f fixture, c store.Connection) bool
		dropped bool
	}{
		{"rotate", func(t *testing.T, f fixture, c store.Connection) bool {
			f.srv.SetSecret("cid", "rotated")
			_, _, err := f.m.Rotate(ctx, c, "rotated", nil)
			must(t, err)
			return true
		}, true},
		{"edit the client ID", func(t *testing.T, f fixture, c store.Connection) bool {
			f.srv.AddClient(zidentitytest.Client{ID: "cid2", Secret: canary})
			id := "cid2"
			_, _, err := f.m.Edit(ctx, c, manager.Changes{ClientID: &id})
			must(t, err)
			return true
		}, true},
		{"edit the tenant", func(t *testing.T, f fixture, c store.Connection) bool {
			vanity := "other"
			_, _, err := f.m.Edit(ctx, c, manager.Changes{Vanity: &vanity})
			must(t, err)
			return true
		}, true},
		{"delete", func(t *testing.T, f fixture, c store.Connection) bool {
			must(t, f.m.Delete(ctx, c))
			return false
		}, true},
		{"rename", func(t *testing.T, f fixture, c store.Connection) bool {
			name := "production"
			_, _, err := f.m.Edit(ctx, c, manager.Changes{Name: &name})
			must(t, err)
			return true
		}, false},
		{"edit the description", func(t *testing.T, f fixture, c store.Connection) bool {
			d := "the main one"
			_, _, err := f.m.Edit(ctx, c, manager.Changes{Description: &d})
			must(t, err)
			return true
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			c := cached(t, f, &clock{time.Now()})
			first, err := f.m.AccessToken(ctx, c, false)
			must(t, err)
			alive := tt.change(t, f, c)
			_, kept := f.mem.PeekToken(c.ID)
			if kept == tt.dropped {
				t.Fatalf("after %s the token is kept: %v; want kept %v", tt.name, kept, !tt.dropped)
			}
			if !alive {
				return
			}
			now, err := f.m.Store.FindID(c.ID)
			must(t, err)
			again, err := f.m.AccessToken(ctx, now, false)
			must(t, err)
			if again.Cached == tt.dropped || (again.Token == first.Token) == tt.dropped {
				t.Errorf("AccessToken after %s = %v; want cached %v", tt.name, again, !tt.dropped)
			}
		})
	}
	t.Run("a failed drop fails nothing", func(t *testing.T) {
		f := setup(t)
		mem := nodrop{f.mem}
		f.m.Store.SetSecrets(mem)
		c := cached(t, f, &clock{time.Now()})
		_, err := f.m.AccessToken(ctx, c, false)
		must(t, err)
		f.srv.SetSecret("cid", "rotated")
		if _, _, err := f.m.Rotate(ctx, c, "rotated", nil); err != nil {
			t.Errorf("Rotate with a token cache that cannot drop = %v; want it done", err)
		}
		must(t, f.m.Delete(ctx, c))
		if list, _ := f.m.Store.List(); len(list) != 0 {
			t.Errorf("after Delete %d connections are left; want none", len(list))
		}
	})
}

func TestMigrateDropsTheTokens(t *testing.T) {
	ctx := context.Background()
	from, to := storetest.NewMemory(), storetest.NewMemory()
	c := store.Connection{ID: "id1", Name: "prod"}
	tok := store.CachedToken{AccessToken: "kept", ObtainedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	must(t, from.Set(ctx, c.ID, canary))
	from.SetToken(c.ID, tok)
	to.SetToken(c.ID, tok) // left from an earlier time in the destination
	must(t, manager.Migrate(ctx, []store.Connection{c}, manager.Migration{To: to, From: from, FromInUse: true}, nil))
	for name, m := range map[string]*storetest.Memory{"source": from, "destination": to} {
		if _, ok := m.PeekToken(c.ID); ok {
			t.Errorf("after migrating, the %s keeps a token; want none", name)
		}
	}
}

// noTokens is a secrets backend that keeps no tokens, as the vault.
type noTokens struct{ mem *storetest.Memory }

func (n noTokens) Set(ctx context.Context, id, s string) error { return n.mem.Set(ctx, id, s) }
func (n noTokens) Get(ctx context.Context, id string) (string, error) {
	return n.mem.Get(ctx, id)
}
func (n noTokens) Delete(ctx context.Context, id string) error { return n.mem.Delete(ctx, id) }
func (n noTokens) Backend() string                             { return "no-token backend" }

func TestAccessTokenWithoutACache(t *testing.T) {
	f := setup(t)
	f.m.Store.SetSecrets(noTokens{f.mem})
	c := cached(t, f, &clock{time.Now()})
	ctx := context.Background()
	for i := range 2 {
		got, err := f.m.AccessToken(ctx, c, false)
		must(t, err)
		if got.Cached || got.CacheErr != nil {
			t.Errorf("call %d = %v (cache error %v); want a new token and no cache error", i+1, got, got.CacheErr)
		}
	}
	if f.srv.Requests() != 2 {
		t.Errorf("requests = %d; want 2: a backend without a token cache reuses nothing", f.srv.Requests())
	}
}

func TestAccessTokenCacheFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("keeping fails", func(t *testing.T) {
		f := setup(t)
		c := cached(t, f, &clock{time.Now()})
		f.mem.Fail("token-set", &store.SecretError{Op: "saving", Kind: store.KindTooLarge, Message: "the token takes 9000 bytes, more than the memory keychain holds"})
		got, err := f.m.AccessToken(ctx, c, false)
		if err != nil || got.Token == "" || got.CacheErr == nil {
			t.Errorf("AccessToken = %v, %v (cache error %v); want the token, and why it was not kept", got, err, got.CacheErr)
		}
	})
	t.Run("a damaged item is replaced", func(t *testing.T) {
		f := setup(t)
		c := cached(t, f, &clock{time.Now()})
		f.mem.Fail("token-get", store.ErrTokenNotCached)
		got, err := f.m.AccessToken(ctx, c, false)
		if err != nil || got.Cached {
			t.Errorf("AccessToken = %v, %v; want a new token", got, err)
		}
	})
	t.Run("a keychain that does not answer is not waited for twice", func(t *testing.T) {
		f := setup(t)
		c := cached(t, f, &clock{time.Now()})
		f.mem.Block("token-get", true)
		ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		reads := f.mem.SecretReads()
		_, err := f.m.AccessToken(ctx, c, false)
		if !errors.Is(err, store.ErrTimeout) {
			t.Errorf("err = %v; want the keychain's timeout", err)
		}
		if f.mem.SecretReads() != reads || f.srv.Requests() != 0 {
			t.Errorf("read the secret %d times and made %d requests; want neither", f.mem.SecretReads()-reads, f.srv.Requests())
		}
	})
}

func TestAccessTokenRecordsTheAudienceRefusal(t *testing.T) {
	f := setup(t)
	f.srv.SetRefuseAudience("cid", true)
	c := cached(t, f, &clock{time.Now()})
	ctx := context.Background()
	got, err := f.m.AccessToken(ctx, c, false)
	must(t, err)
	saved, _ := f.m.Store.FindID(c.ID)
	if !got.AudienceLearned || !saved.OmitAudience || saved.Verification != nil || !saved.UpdatedAt.Equal(c.UpdatedAt) {
		t.Fatalf("AudienceLearned %v, saved OmitAudience %v, verification %+v, updated %s (was %s); want the refusal recorded and nothing else",
			got.AudienceLearned, saved.OmitAudience, saved.Verification, saved.UpdatedAt, c.UpdatedAt)
	}
	if _, err := f.m.AccessToken(ctx, saved, true); err != nil {
		t.Fatal(err)
	}
	if got, without := f.srv.Requests(), f.srv.RequestsWithoutAudience("cid"); got != 3 || without != 2 {
		t.Errorf("requests = %d, %d without the audience; want 3 and 2: the audience is not asked for again", got, without)
	}
}

func TestAccessTokenNeverWritesTheToken(t *testing.T) {
	f := setup(t)
	c := cached(t, f, &clock{time.Now()})
	got, err := f.m.AccessToken(context.Background(), c, false)
	must(t, err)
	data, err := os.ReadFile(filepath.Join(f.m.Store.Dir(), store.FileName))
	must(t, err)
	if strings.Contains(string(data), got.Token) {
		t.Errorf("the metadata file holds the access token")
	}
	for _, s := range []string{got.String(), got.GoString()} {
		if strings.Contains(s, got.Token) {
			t.Errorf("%q shows the access token", s)
		}
	}
}
