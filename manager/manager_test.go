package manager_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

const canary = "zconn-canary-S3cr3t-7f1d"

type fixture struct {
	m   *manager.Manager
	srv *zidentitytest.Server
	mem *storetest.Memory
}

func setup(t testing.TB) fixture {
	t.Helper()
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: "cid", Secret: canary})
	mem := storetest.NewMemory()
	s := store.New(filepath.Join(t.TempDir(), "zconn"), mem)
	m := manager.New(s, &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.HTTPClient()})
	return fixture{m, srv, mem}
}

func draft(name string) store.Connection {
	return store.Connection{Name: name, Vanity: "acme", ClientID: "cid"}
}

func TestAddVerifiesThenSaves(t *testing.T) {
	f := setup(t)
	c, tok, err := f.m.Add(context.Background(), draft("prod"), canary, true)
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	if tok == nil || c.Verification == nil || !c.Verification.OK || c.Verification.Lifetime != 3600 {
		t.Fatalf("saved %+v; want a successful verification with a 1h lifetime", c.Verification)
	}
	if got := strings.Join(c.Verification.Products, ","); got != "ZIAM,ZIA" {
		t.Errorf("products = %s; want ZIAM,ZIA", got)
	}
	if f.srv.Requests() != 1 {
		t.Errorf("requests = %d; want 1", f.srv.Requests())
	}
}

func TestAddRejectedSavesNothing(t *testing.T) {
	f := setup(t)
	_, _, err := f.m.Add(context.Background(), draft("prod"), "wrong", true)
	if zidentity.CategoryOf(err) != zidentity.Rejected || !strings.HasPrefix(err.Error(), "verifying credentials: ") {
		t.Fatalf("err = %v; want a rejection, wrapped with the action", err)
	}
	if list, _ := f.m.Store.List(); len(list) != 0 || f.mem.Len() != 0 {
		t.Errorf("saved %d connections and %d secrets; want none", len(list), f.mem.Len())
	}
}

func TestAddUnverifiedSendsNothing(t *testing.T) {
	f := setup(t)
	c, _, err := f.m.Add(context.Background(), draft("prod"), "anything", false)
	if err != nil {
		t.Fatal(err)
	}
	if c.Verification != nil || f.srv.Requests() != 0 {
		t.Errorf("verification %+v, %d requests; want none", c.Verification, f.srv.Requests())
	}
}

func TestAddDuplicateNameSendsNothing(t *testing.T) {
	f := setup(t)
	f.m.Add(context.Background(), draft("prod"), canary, true)
	_, _, err := f.m.Add(context.Background(), draft("PROD"), canary, true)
	var taken *store.NameTakenError
	if !errors.As(err, &taken) {
		t.Fatalf("err = %v; want NameTakenError", err)
	}
	if f.srv.Requests() != 1 {
		t.Errorf("requests = %d; want 1: a taken name is refused before asking ZIdentity", f.srv.Requests())
	}
}

func TestTestRecordsTheOutcome(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c, _, _ := f.m.Add(ctx, draft("prod"), canary, false)
	r := f.m.Test(ctx, c)
	if r.Err != nil || !r.Connection.Verification.OK {
		t.Fatalf("Test = %+v; want success", r)
	}
	f.srv.SetClientFailure("cid", zidentitytest.Forbid)
	r = f.m.Test(ctx, c)
	saved, _ := f.m.Store.FindID(c.ID)
	if r.Err == nil || saved.Verification.OK || saved.Verification.Category != "forbidden" || !strings.Contains(saved.Verification.Message, "Active") {
		t.Errorf("after a 403 the saved verification is %+v; want forbidden with the message", saved.Verification)
	}
}

func TestTestMissingSecret(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c, _, _ := f.m.Add(ctx, draft("prod"), canary, true)
	f.mem.Remove(c.ID)
	r := f.m.Test(ctx, c)
	var missing *manager.MissingSecretError
	if !errors.Is(r.Err, store.ErrSecretNotFound) || !errors.As(r.Err, &missing) || missing.Name != "prod" || missing.Backend != "memory keychain" {
		t.Fatalf("err = %v; want a *MissingSecretError for prod in the memory keychain", r.Err)
	}
	if want := `the secret of "prod" is missing from the memory keychain`; r.Err.Error() != want {
		t.Errorf("got %q; want %q", r.Err, want)
	}
	if r.Connection.Verification.Category != store.CategorySecretMissing {
		t.Errorf("category = %q; want %q", r.Connection.Verification.Category, store.CategorySecretMissing)
	}
}

func TestTestExpiredSaysSoFirst(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c := draft("prod")
	c.SecretExpires = store.NewDate(2020, 1, 1)
	c, _, _ = f.m.Add(ctx, c, canary, false)
	f.srv.SetClientFailure("cid", zidentitytest.Reject)
	r := f.m.Test(ctx, c)
	var expired *manager.ExpiredError
	if !errors.As(r.Err, &expired) || expired.Name != "prod" || !strings.HasPrefix(r.Err.Error(), "the secret expired on 2020-01-01") {
		t.Errorf("err = %v; want an *ExpiredError that starts with the expiry", r.Err)
	}
	if zidentity.CategoryOf(r.Err) != zidentity.Rejected {
		t.Errorf("category = %v; want the underlying rejection", zidentity.CategoryOf(r.Err))
	}
}

// blockingVerifier holds every request until released and records the
// most requests in flight at once.
type blockingVerifier struct {
	mu       sync.Mutex
	cond     *sync.Cond
	inflight int
	max      int
	release  chan struct{}
	fail     map[string]error
}

func (b *blockingVerifier) Token(ctx context.Context, cr zidentity.Credentials) (*zidentity.Token, error) {
	b.mu.Lock()
	b.inflight++
	b.max = max(b.max, b.inflight)
	b.cond.Broadcast()
	b.mu.Unlock()
	<-b.release
	b.mu.Lock()
	b.inflight--
	b.cond.Broadcast()
	b.mu.Unlock()
	if err := b.fail[cr.ClientID]; err != nil {
		return nil, err
	}
	return &zidentity.Token{AccessToken: "t", Lifetime: time.Hour}, nil
}

func TestTestAllKeepsFourInFlight(t *testing.T) {
	mem := storetest.NewMemory()
	s := store.New(filepath.Join(t.TempDir(), "zconn"), mem)
	bv := &blockingVerifier{release: make(chan struct{}), fail: map[string]error{
		"c3": &zidentity.Error{Category: zidentity.TenantNotFound, Host: "down.zslogin.net"},
		"c7": &zidentity.Error{Category: zidentity.RateLimited, RetryAfter: 30 * time.Second},
	}}
	bv.cond = sync.NewCond(&bv.mu)
	m := manager.New(s, bv)
	var conns []store.Connection
	for i := 0; i < 10; i++ {
		c, err := m.Create(context.Background(), store.Connection{Name: fmt.Sprintf("t%d", i), Vanity: "acme", ClientID: fmt.Sprintf("c%d", i)}, "s", nil)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	var seen sync.Map
	done := make(chan []manager.Result)
	go func() {
		done <- m.TestAll(context.Background(), conns, func(r manager.Result) { seen.Store(r.Connection.Name, r.Err) })
	}()
	for remaining := len(conns); remaining > 0; remaining-- {
		bv.mu.Lock()
		for bv.inflight < min(manager.MaxParallelTests, remaining) {
			bv.cond.Wait()
		}
		bv.mu.Unlock()
		bv.release <- struct{}{}
	}
	results := <-done
	if bv.max != manager.MaxParallelTests {
		t.Errorf("most requests in flight = %d; want %d", bv.max, manager.MaxParallelTests)
	}
	for i, r := range results {
		wantOK := i != 3 && i != 7
		if (r.Err == nil) != wantOK || r.Connection.Name != conns[i].Name {
			t.Errorf("result %d = %s, %v; want %s ok=%v", i, r.Connection.Name, r.Err, conns[i].Name, wantOK)
		}
		if _, ok := seen.Load(conns[i].Name); !ok {
			t.Errorf("no callback for %s", conns[i].Name)
		}
	}
	saved, _ := s.Find("t7")
	if saved.Verification == nil || saved.Verification.Category != "rate_limited" {
		t.Errorf("t7 recorded %+v; want rate_limited", saved.Verification)
	}
}

func TestRotateRejectedKeepsTheOldSecret(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c, _, _ := f.m.Add(ctx, draft("prod"), canary, true)
	_, _, err := f.m.Rotate(ctx, c, "new-but-wrong", nil)
	if zidentity.CategoryOf(err) != zidentity.Rejected || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("err = %v; want a rejection that says nothing changed", err)
	}
	if got, _ := f.mem.Peek(c.ID); got != canary {
		t.Errorf("secret after a failed rotation = %q; want the old one", got)
	}
	f.srv.SetSecret("cid", "rotated-secret")
	expires := store.NewDate(2027, 6, 30)
	saved, _, err := f.m.Rotate(ctx, c, "rotated-secret", &expires)
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	if got, _ := f.mem.Peek(c.ID); got != "rotated-secret" || saved.SecretExpires != expires {
		t.Errorf("after rotation secret %q expires %v; want the new ones", got, saved.SecretExpires)
	}
}

func TestRotateRestoresTheOldSecretWhenSavingFails(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c, _, _ := f.m.Add(ctx, draft("prod"), canary, true)
	f.srv.SetSecret("cid", "rotated")
	// A metadata file that stops parsing makes the second step fail.
	os.WriteFile(f.m.Store.Path(), []byte("{broken"), 0o600)
	_, _, err := f.m.Rotate(ctx, c, "rotated", nil)
	var corrupt *store.CorruptError
	if !errors.As(err, &corrupt) {
		t.Fatalf("err = %v; want the metadata failure", err)
	}
	if got, _ := f.mem.Peek(c.ID); got != canary {
		t.Errorf("secret = %q; want the old one put back", got)
	}
}

func TestEditRenameKeepsSecretWithoutVerifying(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c, _, _ := f.m.Add(ctx, draft("prod"), canary, true)
	name, desc := "production", "EU"
	saved, _, err := f.m.Edit(ctx, c, manager.Changes{Name: &name, Description: &desc})
	if err != nil {
		t.Fatal(err)
	}
	if saved.Name != "production" || saved.ID != c.ID || f.srv.Requests() != 1 {
		t.Errorf("renamed to %q id %s with %d requests; want a rename without a new request", saved.Name, saved.ID, f.srv.Requests())
	}
	if got, _ := f.mem.Peek(c.ID); got != canary {
		t.Error("the rename lost the secret")
	}
}

func TestEditTenantReverifies(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c, _, _ := f.m.Add(ctx, draft("prod"), canary, true)
	cid := "other"
	_, _, err := f.m.Edit(ctx, c, manager.Changes{ClientID: &cid})
	if zidentity.CategoryOf(err) != zidentity.Rejected {
		t.Fatalf("err = %v; want the new client ID rejected", err)
	}
	if again, _ := f.m.Store.FindID(c.ID); again.ClientID != "cid" {
		t.Errorf("client ID = %q after a failed edit; want it unchanged", again.ClientID)
	}
	f.srv.AddClient(zidentitytest.Client{ID: "other", Secret: canary})
	saved, _, err := f.m.Edit(ctx, c, manager.Changes{ClientID: &cid})
	if err != nil || saved.ClientID != "other" || !saved.Verification.OK {
		t.Errorf("Edit = %+v, %v; want the new client ID, verified", saved, err)
	}
}

// BenchmarkTestAll50 tests 50 connections against a fake that answers in
// 100 ms: with 4 in flight it takes about 50/4 x 100 ms, not 50 x.
func BenchmarkTestAll50(b *testing.B) {
	f := setup(b)
	f.srv.SetDelay(100 * time.Millisecond)
	var conns []store.Connection
	for i := 0; i < 50; i++ {
		c, err := f.m.Create(context.Background(), draft(fmt.Sprintf("t%d", i)), canary, nil)
		if err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
	}
	for b.Loop() {
		for _, r := range f.m.TestAll(context.Background(), conns, nil) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
}

// TestPrivateKeyClient saves a private-key client with its key in the
// secret's place, and tests it: the token request carries an assertion
// the fake verifies against the public half.
func TestPrivateKeyClient(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rk := zidentitytest.Key(t, "manager", 2048)
	f.srv.AddClient(zidentitytest.Client{ID: "kid", PublicKey: &rk.PublicKey})
	key, err := zidentity.ParsePrivateKey(zidentitytest.PKCS1(rk))
	if err != nil {
		t.Fatal(err)
	}
	c := store.Connection{Name: "keyed", Vanity: "acme", ClientID: "kid", AuthMethod: store.AuthPrivateKey}
	saved, tok, err := f.m.Add(ctx, c, key.Encode(), true)
	if err != nil || tok == nil {
		t.Fatalf("Add with a key = %v; want a verified connection", err)
	}
	if r := f.m.Test(ctx, saved); r.Err != nil {
		t.Errorf("Test with the saved key = %v; want success", r.Err)
	}
	other, err := zidentity.NewPrivateKey(zidentitytest.Key(t, "manager-other", 2048))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.m.Rotate(ctx, saved, other.Encode(), nil); zidentity.CategoryOf(err) != zidentity.Rejected {
		t.Errorf("rotating to a key the client does not hold = %v; want rejected", err)
	}
	f.mem.Remove(saved.ID)
	if err := f.mem.Set(ctx, saved.ID, "not a key"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Token(ctx, saved); err == nil || !strings.Contains(err.Error(), "private key of \"keyed\"") {
		t.Errorf("Token with a damaged stored key = %v; want an error naming the connection's key", err)
	}
}

// TestSecretMissingLooksInTheOtherBackend: a secret missing from the
// backend in use is looked for in the other one, which says where it is.
func TestSecretMissingLooksInTheOtherBackend(t *testing.T) {
	locked := errors.New("the vault needs its passphrase")
	tests := []struct {
		name string
		// other builds the backend not in use, given the store's folder
		// and the secret's ID.
		other        func(t *testing.T, dir, id string) store.Secrets
		where        manager.Elsewhere
		isVault      bool
		msg          string
		wantOtherErr bool
	}{
		{"none", func(*testing.T, string, string) store.Secrets { return nil },
			manager.NotElsewhere, false, `the secret of "prod" is missing from the memory keychain`, false},
		{"not there either", func(*testing.T, string, string) store.Secrets { return storetest.NewMemory() },
			manager.NotElsewhere, false, `the secret of "prod" is missing from the memory keychain`, false},
		{"in the other keychain", func(t *testing.T, _, id string) store.Secrets {
			m := storetest.NewMemory()
			m.Set(context.Background(), id, canary)
			return m
		}, manager.FoundElsewhere, false, `the secret of "prod" is not in the memory keychain; it is in the memory keychain`, false},
		{"in the vault", func(t *testing.T, dir, id string) store.Secrets {
			v := newVault(t, dir, "pw")
			if err := v.Set(context.Background(), id, canary); err != nil {
				t.Fatal(err)
			}
			return newVault(t, dir, "pw")
		}, manager.FoundElsewhere, true, `it is in the encrypted vault ` + filepath.Join("DIR", store.VaultFileName), false},
		{"in a vault that would ask for its passphrase", func(t *testing.T, dir, id string) store.Secrets {
			v := newVault(t, dir, "pw")
			if err := v.Set(context.Background(), id, canary); err != nil {
				t.Fatal(err)
			}
			return store.NewVault(store.New(dir, nil), func(context.Context, bool) (string, error) { return "", locked })
		}, manager.MaybeElsewhere, true, `it may be in the encrypted vault ` + filepath.Join("DIR", store.VaultFileName) + `, which could not be checked`, true},
		{"a keychain with no session bus", func(*testing.T, string, string) store.Secrets {
			m := storetest.NewMemory()
			m.Fail("get", &store.SecretError{Op: "reading", Kind: store.KindNoBus, Message: "no D-Bus session bus"})
			return m
		}, manager.NotElsewhere, false, `the secret of "prod" is missing from the memory keychain`, false},
		{"a locked keychain", func(*testing.T, string, string) store.Secrets {
			m := storetest.NewMemory()
			m.Fail("get", &store.SecretError{Op: "reading", Kind: store.KindLocked, Message: "locked"})
			return m
		}, manager.MaybeElsewhere, false, `it may be in the memory keychain, which could not be checked`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			ctx := context.Background()
			c, _, err := f.m.Add(ctx, draft("prod"), canary, false)
			if err != nil {
				t.Fatal(err)
			}
			f.mem.Remove(c.ID)
			other := tt.other(t, f.m.Store.Dir(), c.ID)
			f.m.Other = func(context.Context) (store.Secrets, error) { return other, nil }
			_, err = f.m.Secret(ctx, c)
			var missing *manager.MissingSecretError
			if !errors.As(err, &missing) || !errors.Is(err, store.ErrSecretNotFound) {
				t.Fatalf("err = %v; want a *MissingSecretError", err)
			}
			if missing.Elsewhere != tt.where || missing.OtherIsVault != tt.isVault || (missing.OtherErr != nil) != tt.wantOtherErr {
				t.Errorf("got elsewhere %v, vault %v, other error %v; want %v, %v, error %v", missing.Elsewhere, missing.OtherIsVault, missing.OtherErr, tt.where, tt.isVault, tt.wantOtherErr)
			}
			if want := strings.ReplaceAll(tt.msg, "DIR", f.m.Store.Dir()); !strings.Contains(err.Error(), want) {
				t.Errorf("got %q; want it to contain %q", err, want)
			}
			if strings.Contains(err.Error(), canary) {
				t.Error("the message holds the secret")
			}
		})
	}
}

// newVault returns the vault in dir with a fixed passphrase and a light
// work factor.
func newVault(t *testing.T, dir, pass string) *store.Vault {
	t.Helper()
	v := store.NewVault(store.New(dir, nil), func(context.Context, bool) (string, error) { return pass, nil })
	v.WorkFactor = 10
	return v
}

// TestUnknownCloudNeedsConfirming: a cloud zconn does not know is refused
// before anything is sent or saved, unless the connection confirms it or
// every request goes to one base URL anyway.
func TestUnknownCloudNeedsConfirming(t *testing.T) {
	evil := store.Connection{Name: "prod", Vanity: "acme", Cloud: "evil", ClientID: "cid"}
	refused := func(t *testing.T, err error) {
		t.Helper()
		var uc *manager.UnconfirmedCloudError
		if !errors.As(err, &uc) || uc.Name != "prod" || zidentity.CategoryOf(err) != zidentity.UnknownCloud || !strings.Contains(err.Error(), "acme.zsloginevil.net") {
			t.Fatalf("err = %v; want an *UnconfirmedCloudError naming acme.zsloginevil.net", err)
		}
		if manager.Category(err) != "unknown_cloud" {
			t.Errorf("category = %q; want unknown_cloud", manager.Category(err))
		}
	}
	t.Run("add", func(t *testing.T) {
		for _, verify := range []bool{true, false} {
			f := setup(t)
			f.m.Verifier = &zidentity.Client{HTTPClient: f.srv.HTTPClientAnyHost()}
			_, _, err := f.m.Add(context.Background(), evil, canary, verify)
			refused(t, err)
			if conns, _ := f.m.Store.List(); len(conns) != 0 || f.srv.Requests() != 0 || f.mem.Len() != 0 {
				t.Errorf("verify %v: saved %d, sent %d, secrets %d; want nothing", verify, len(conns), f.srv.Requests(), f.mem.Len())
			}
		}
	})
	t.Run("add, confirmed", func(t *testing.T) {
		f := setup(t)
		f.m.Verifier = &zidentity.Client{HTTPClient: f.srv.HTTPClientAnyHost()}
		c := evil
		c.AllowUnknownCloud = true
		saved, _, err := f.m.Add(context.Background(), c, canary, true)
		if err != nil || !saved.AllowUnknownCloud || f.srv.RequestsFor("cid") != 1 {
			t.Fatalf("Add = %+v, %v with %d requests; want it verified and saved with the confirmation", saved, err, f.srv.RequestsFor("cid"))
		}
	})
	t.Run("add, one base URL for every request", func(t *testing.T) {
		f := setup(t)
		f.m.HostOverride = true
		if _, _, err := f.m.Add(context.Background(), evil, canary, true); err != nil {
			t.Fatalf("Add = %v; want it allowed, as the token request goes to the base URL", err)
		}
	})
	t.Run("test, token and rotate of a saved connection", func(t *testing.T) {
		f := setup(t)
		ctx := context.Background()
		f.m.HostOverride = true
		c, _, err := f.m.Add(ctx, evil, canary, false)
		if err != nil {
			t.Fatal(err)
		}
		f.m.HostOverride = false
		r := f.m.Test(ctx, c)
		refused(t, r.Err)
		if saved, _ := f.m.Store.FindID(c.ID); saved.Verification != nil {
			t.Errorf("recorded %+v; want nothing recorded", saved.Verification)
		}
		_, err = f.m.Token(ctx, c)
		refused(t, err)
		_, _, err = f.m.Rotate(ctx, c, canary, nil)
		refused(t, err)
		if f.srv.Requests() != 0 || f.mem.Calls() != 1 {
			t.Errorf("%d requests, %d keychain calls; want none but the save", f.srv.Requests(), f.mem.Calls())
		}
		yes := true
		confirmed, _, err := f.m.Edit(ctx, c, manager.Changes{AllowUnknownCloud: &yes})
		if err != nil || !confirmed.AllowUnknownCloud || f.srv.Requests() != 0 {
			t.Fatalf("confirming = %+v, %v, %d requests; want it saved without a request", confirmed, err, f.srv.Requests())
		}
		if err := f.m.CheckCloud(confirmed); err != nil {
			t.Errorf("CheckCloud after confirming = %v; want nil", err)
		}
	})
	t.Run("a new cloud withdraws the confirmation", func(t *testing.T) {
		f := setup(t)
		ctx := context.Background()
		c := evil
		c.AllowUnknownCloud = true
		c, _, err := f.m.Add(ctx, c, canary, false)
		if err != nil {
			t.Fatal(err)
		}
		other := "evil2"
		_, _, err = f.m.Edit(ctx, c, manager.Changes{Cloud: &other})
		var uc *manager.UnconfirmedCloudError
		if !errors.As(err, &uc) || !strings.Contains(err.Error(), "acme.zsloginevil2.net") {
			t.Fatalf("moving to another unknown cloud = %v; want it refused, naming acme.zsloginevil2.net", err)
		}
		yes := true
		f.m.Verifier = &zidentity.Client{HTTPClient: f.srv.HTTPClientAnyHost()}
		moved, _, err := f.m.Edit(ctx, c, manager.Changes{Cloud: &other, AllowUnknownCloud: &yes})
		if err != nil || moved.Cloud != other || !moved.AllowUnknownCloud {
			t.Fatalf("moving with a new confirmation = %+v, %v; want it verified and saved", moved, err)
		}
		beta := "beta"
		known, _, err := f.m.Edit(ctx, moved, manager.Changes{Cloud: &beta})
		if err != nil || known.AllowUnknownCloud {
			t.Fatalf("moving to a known cloud = %+v, %v; want it saved without the confirmation", known, err)
		}
	})
}
