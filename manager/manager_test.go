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

// TestAudienceRefusalIsRemembered runs each way a connection is verified
// against a tenant that refuses the audience: the first request is
// refused, the one without the audience works, and the connection then
// records OmitAudience, so that the next request leaves it out at once.
func TestAudienceRefusalIsRemembered(t *testing.T) {
	tests := []struct {
		name string
		// verify makes the first verification of a connection named prod
		// and returns it as saved.
		verify func(t *testing.T, f fixture) store.Connection
	}{
		{"add", func(t *testing.T, f fixture) store.Connection {
			c, _, err := f.m.Add(context.Background(), draft("prod"), canary, true)
			must(t, err)
			return c
		}},
		{"verify then create, as the wizard does", func(t *testing.T, f fixture) store.Connection {
			v, _, err := f.m.Verify(context.Background(), draft("prod"), canary)
			must(t, err)
			if !v.AudienceOmitted {
				t.Errorf("verification %+v; want AudienceOmitted", v)
			}
			c, err := f.m.Create(context.Background(), draft("prod"), canary, &v)
			must(t, err)
			return c
		}},
		{"test", func(t *testing.T, f fixture) store.Connection {
			c, _, err := f.m.Add(context.Background(), draft("prod"), canary, false)
			must(t, err)
			r := f.m.Test(context.Background(), c)
			must(t, r.Err)
			return r.Connection
		}},
		{"rotate", func(t *testing.T, f fixture) store.Connection {
			c, _, err := f.m.Add(context.Background(), draft("prod"), canary, false)
			must(t, err)
			f.srv.SetSecret("cid", "rotated")
			saved, _, err := f.m.Rotate(context.Background(), c, "rotated", nil)
			must(t, err)
			return saved
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			f.srv.SetRefuseAudience("cid", true)
			c := tt.verify(t, f)
			again, _ := f.m.Store.FindID(c.ID)
			if !c.OmitAudience || !again.OmitAudience || !again.Verification.AudienceOmitted {
				t.Fatalf("OmitAudience = %v (read back %v, verification %+v); want it recorded", c.OmitAudience, again.OmitAudience, again.Verification)
			}
			if got := f.srv.Requests(); got != 2 {
				t.Errorf("requests = %d; want 2, the refused one and the one without the audience", got)
			}
			tok, err := f.m.Token(context.Background(), again)
			if err != nil || !tok.AudienceOmitted {
				t.Fatalf("Token = %v, %v; want a token without the audience", tok, err)
			}
			if got, without := f.srv.Requests(), f.srv.RequestsWithoutAudience("cid"); got != 3 || without != 2 {
				t.Errorf("requests = %d, %d without the audience; want 3 and 2: no second refusal", got, without)
			}
		})
	}
}

// TestAudienceIsSentAgainToANewTenant checks that a tenant change clears
// OmitAudience: the new tenant is asked with the audience, as the SDKs ask.
func TestAudienceIsSentAgainToANewTenant(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	f.srv.SetRefuseAudience("cid", true)
	c, _, err := f.m.Add(ctx, draft("prod"), canary, true)
	must(t, err)
	f.srv.SetRefuseAudience("cid", false)
	vanity := "other"
	saved, tok, err := f.m.Edit(ctx, c, manager.Changes{Vanity: &vanity})
	must(t, err)
	if saved.OmitAudience || tok.AudienceOmitted || saved.Verification.AudienceOmitted {
		t.Errorf("after a tenant change OmitAudience = %v, token without audience %v; want the audience sent and nothing recorded", saved.OmitAudience, tok.AudienceOmitted)
	}
	name := "renamed"
	renamed, _, err := f.m.Edit(ctx, c, manager.Changes{Name: &name})
	must(t, err)
	if renamed.OmitAudience {
		t.Error("a rename set OmitAudience")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// keyFixture is a fixture whose fake knows a private-key client "kid"
// holding the public half of a 2048-bit key.
func keyFixture(t *testing.T) (fixture, *zidentity.PrivateKey) {
	t.Helper()
	f := setup(t)
	rk := zidentitytest.Key(t, "manager", 2048)
	f.srv.AddClient(zidentitytest.Client{ID: "kid", PublicKey: &rk.PublicKey})
	key, err := zidentity.NewPrivateKey(rk)
	must(t, err)
	return f, key
}

func keyDraft(name string) store.Connection {
	return store.Connection{Name: name, Vanity: "acme", ClientID: "kid", AuthMethod: store.AuthPrivateKey}
}

// TestKeyIsStoredCompactly adds private-key clients from every form a key
// comes in, and of every size: the backend keeps the compact form only.
func TestKeyIsStoredCompactly(t *testing.T) {
	for _, bits := range []int{2048, 3072, 4096} {
		rk := zidentitytest.Key(t, "manager", bits)
		key, err := zidentity.NewPrivateKey(rk)
		must(t, err)
		for form, text := range map[string]string{
			"PKCS#1 PEM":   string(zidentitytest.PKCS1(rk)),
			"PKCS#8 PEM":   string(zidentitytest.PKCS8(rk)),
			"compact form": key.Encode(),
		} {
			t.Run(fmt.Sprintf("%d bits %s", bits, form), func(t *testing.T) {
				f := setup(t)
				f.srv.AddClient(zidentitytest.Client{ID: "kid", PublicKey: &rk.PublicKey})
				c, tok, err := f.m.Add(context.Background(), keyDraft("keyed"), text, true)
				if err != nil || tok == nil {
					t.Fatalf("Add = %v; want a verified connection", err)
				}
				if got, _ := f.mem.Peek(c.ID); got != key.Encode() {
					t.Errorf("the backend holds %d bytes; want the %d of the compact form", len(got), len(key.Encode()))
				}
				if c.AuthMethod != store.AuthPrivateKey {
					t.Errorf("method %q; want %q", c.AuthMethod, store.AuthPrivateKey)
				}
			})
		}
	}
}

// TestKeyRefusedBeforeAnythingIsSent covers keys that cannot be used and a
// key the backend cannot hold: nothing is sent and nothing saved.
func TestKeyRefusedBeforeAnythingIsSent(t *testing.T) {
	rk := zidentitytest.Key(t, "manager", 2048)
	encrypted := "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n"
	tests := []struct {
		name    string
		secrets store.Secrets
		key     string
		check   func(error) bool
	}{
		{"encrypted", nil, encrypted, func(err error) bool { return errors.Is(err, zidentity.ErrKeyEncrypted) }},
		{"public half", nil, "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n", func(err error) bool { return errors.Is(err, zidentity.ErrKeyPublic) }},
		{"empty", nil, " \n", func(err error) bool { return err != nil && strings.HasPrefix(err.Error(), "enter the private key") }},
		{"too large for the backend", limited{storetest.NewMemory(), 300}, string(zidentitytest.PKCS1(rk)), func(err error) bool {
			var tooLarge *store.SecretTooLargeError
			return errors.As(err, &tooLarge) && tooLarge.PrivateKey && tooLarge.Size == 368 && tooLarge.Limit == 300
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			f.srv.AddClient(zidentitytest.Client{ID: "kid", PublicKey: &rk.PublicKey})
			if tt.secrets != nil {
				f.m.Store.SetSecrets(tt.secrets)
			}
			_, _, err := f.m.Add(context.Background(), keyDraft("keyed"), tt.key, true)
			if !tt.check(err) {
				t.Errorf("got %v; want the refusal", err)
			}
			if list, _ := f.m.Store.List(); len(list) != 0 || f.mem.Len() != 0 || f.srv.Requests() != 0 {
				t.Errorf("%d connections, %d secrets, %d requests; want none", len(list), f.mem.Len(), f.srv.Requests())
			}
		})
	}
}

// limited is a Memory that holds secrets of at most limit bytes.
type limited struct {
	*storetest.Memory
	limit int
}

func (l limited) MaxSecretLen() int { return l.limit }

// TestRotateKey replaces a private-key client's key only once the new one
// is verified, and says a missing key is a key.
func TestRotateKey(t *testing.T) {
	f, key := keyFixture(t)
	ctx := context.Background()
	c, _, err := f.m.Add(ctx, keyDraft("keyed"), key.Encode(), true)
	must(t, err)
	next := zidentitytest.Key(t, "manager-next", 2048)
	if _, _, err := f.m.Rotate(ctx, c, string(zidentitytest.PKCS8(next)), nil); zidentity.CategoryOf(err) != zidentity.Rejected || !strings.Contains(err.Error(), "public half") {
		t.Fatalf("rotating to a key the portal does not hold = %v; want a rejection naming the public half", err)
	}
	if got, _ := f.mem.Peek(c.ID); got != key.Encode() {
		t.Error("a failed rotation replaced the key")
	}
	f.srv.SetPublicKey("kid", &next.PublicKey)
	if _, _, err := f.m.Rotate(ctx, c, string(zidentitytest.PKCS1(next)), nil); err != nil {
		t.Fatalf("Rotate = %v", err)
	}
	nextKey, _ := zidentity.NewPrivateKey(next)
	if got, _ := f.mem.Peek(c.ID); got != nextKey.Encode() {
		t.Error("the backend does not hold the new key in its compact form")
	}
	if _, _, err := f.m.Rotate(ctx, c, "", nil); err == nil || !strings.Contains(err.Error(), "enter the new private key") {
		t.Errorf("Rotate without a key = %v; want it asked for", err)
	}
	f.mem.Remove(c.ID)
	var missing *manager.MissingSecretError
	if _, err := f.m.Token(ctx, c); !errors.As(err, &missing) || !missing.PrivateKey || !strings.HasPrefix(err.Error(), `the private key of "keyed" is missing`) {
		t.Errorf("Token without the key = %v; want the private key said missing", err)
	}
}

// TestEditSwitchesTheMethod switches a connection from a client secret to
// a private key and back: only with the new secret or key, only once it
// is verified, and the old expiry date goes with the old method.
func TestEditSwitchesTheMethod(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	expires := store.NewDate(2027, 1, 31)
	d := draft("prod")
	d.SecretExpires = expires
	c, _, err := f.m.Add(ctx, d, canary, true)
	must(t, err)
	toKey, toSecret := store.AuthPrivateKey, store.AuthSecret
	rk := zidentitytest.Key(t, "manager", 2048)
	key, _ := zidentity.NewPrivateKey(rk)
	requests := f.srv.Requests()

	var change *manager.MethodChangeError
	if _, _, err := f.m.Edit(ctx, c, manager.Changes{AuthMethod: &toKey}); !errors.As(err, &change) || err.Error() != `switching "prod" to a private key needs the key itself: nothing was changed` {
		t.Errorf("a switch without the key = %v; want a MethodChangeError", err)
	}
	if _, err := f.m.ApplyChanges(ctx, c, manager.Changes{AuthMethod: &toKey}, nil); !errors.As(err, &change) {
		t.Errorf("ApplyChanges without the key = %v; want a MethodChangeError", err)
	}
	// The API client still takes its secret: the key is rejected.
	if _, _, err := f.m.Edit(ctx, c, manager.Changes{AuthMethod: &toKey, Secret: key.Encode()}); zidentity.CategoryOf(err) != zidentity.Rejected {
		t.Fatalf("a switch to a key the client does not hold = %v; want rejected", err)
	}
	if again, _ := f.m.Store.FindID(c.ID); again.AuthMethod != store.AuthSecret || again.SecretExpires != expires {
		t.Errorf("after a failed switch: method %q, expires %v; want both unchanged", again.AuthMethod, again.SecretExpires)
	}
	if got, _ := f.mem.Peek(c.ID); got != canary {
		t.Error("a failed switch replaced the secret")
	}
	if f.srv.Requests() != requests+1 {
		t.Errorf("requests = %d; want one more, for the key", f.srv.Requests())
	}

	f.srv.AddClient(zidentitytest.Client{ID: "cid", PublicKey: &rk.PublicKey})
	switched, tok, err := f.m.Edit(ctx, c, manager.Changes{AuthMethod: &toKey, Secret: string(zidentitytest.PKCS1(rk))})
	if err != nil || tok == nil {
		t.Fatalf("a switch to the key the client holds = %v", err)
	}
	if switched.AuthMethod != store.AuthPrivateKey || !switched.SecretExpires.IsZero() {
		t.Errorf("switched: method %q, expires %v; want a private key and no expiry", switched.AuthMethod, switched.SecretExpires)
	}
	if got, _ := f.mem.Peek(c.ID); got != key.Encode() {
		t.Error("the backend does not hold the key in its compact form")
	}
	if r := f.m.Test(ctx, switched); r.Err != nil {
		t.Errorf("Test after the switch = %v", r.Err)
	}

	f.srv.AddClient(zidentitytest.Client{ID: "cid", Secret: "back-to-secret"})
	back, _, err := f.m.Edit(ctx, switched, manager.Changes{AuthMethod: &toSecret, Secret: "back-to-secret", SecretExpires: &expires})
	if err != nil || back.AuthMethod != store.AuthSecret || back.SecretExpires != expires {
		t.Fatalf("switching back = %+v, %v; want a secret connection expiring %v", back, err, expires)
	}
	if got, _ := f.mem.Peek(c.ID); got != "back-to-secret" {
		t.Errorf("the backend holds %q; want the new secret", got)
	}
}

// TestEditOptionalIDs sets and clears the ZPA and partner IDs without
// asking ZIdentity, and refuses bad ones before anything changes.
func TestEditOptionalIDs(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c, _, err := f.m.Add(ctx, draft("prod"), canary, true)
	must(t, err)
	requests := f.srv.Requests()
	customer, microtenant, partner := " 216196257331281920 ", "216196257331281921", "partner-1"
	saved, tok, err := f.m.Edit(ctx, c, manager.Changes{ZPACustomerID: &customer, ZPAMicrotenantID: &microtenant, PartnerID: &partner})
	must(t, err)
	if saved.ZPACustomerID != "216196257331281920" || saved.ZPAMicrotenantID != microtenant || saved.PartnerID != partner || tok != nil {
		t.Errorf("saved %q %q %q, token %v; want the IDs, trimmed, and no token", saved.ZPACustomerID, saved.ZPAMicrotenantID, saved.PartnerID, tok)
	}
	bad := "21619x"
	if _, _, err := f.m.Edit(ctx, saved, manager.Changes{ZPACustomerID: &bad}); err == nil || !strings.Contains(err.Error(), "digits") {
		t.Errorf("a bad customer ID = %v; want it refused", err)
	}
	none := ""
	cleared, _, err := f.m.Edit(ctx, saved, manager.Changes{ZPAMicrotenantID: &none, PartnerID: &none})
	must(t, err)
	if cleared.ZPACustomerID != "216196257331281920" || cleared.ZPAMicrotenantID != "" || cleared.PartnerID != "" {
		t.Errorf("after clearing: %q %q %q; want only the customer ID", cleared.ZPACustomerID, cleared.ZPAMicrotenantID, cleared.PartnerID)
	}
	if f.srv.Requests() != requests {
		t.Errorf("requests = %d; want %d: the IDs need no verification", f.srv.Requests(), requests)
	}
}

// TestPrivateKeyReadsTheSavedKey reads back a saved key to describe it,
// and refuses a secret connection and a missing key.
func TestPrivateKeyReadsTheSavedKey(t *testing.T) {
	f, key := keyFixture(t)
	ctx := context.Background()
	c, _, err := f.m.Add(ctx, keyDraft("keyed"), string(zidentitytest.PKCS1(zidentitytest.Key(t, "manager", 2048))), true)
	must(t, err)
	got, err := f.m.PrivateKey(ctx, c)
	if err != nil || !got.Equal(key) || got.Description() != key.Description() {
		t.Errorf("PrivateKey = %v, %v; want %v", got, err, key)
	}
	plain, _, err := f.m.Add(ctx, draft("plain"), canary, true)
	must(t, err)
	if _, err := f.m.PrivateKey(ctx, plain); err == nil || err.Error() != `"plain" uses a client secret, not a private key` {
		t.Errorf("PrivateKey of a secret connection = %v; want it refused", err)
	}
	f.mem.Remove(c.ID)
	var missing *manager.MissingSecretError
	if _, err := f.m.PrivateKey(ctx, c); !errors.As(err, &missing) || !missing.PrivateKey {
		t.Errorf("PrivateKey of a missing key = %v; want a MissingSecretError for a key", err)
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

// TestPrivateKeyMissingLooksInTheOtherBackend: a private key missing from
// the backend in use is looked for in the other one, as a secret is, and
// the error speaks of the key.
func TestPrivateKeyMissingLooksInTheOtherBackend(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rk := zidentitytest.Key(t, "manager", 2048)
	key, err := zidentity.NewPrivateKey(rk)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := f.m.Add(ctx, store.Connection{Name: "keyed", Vanity: "acme", ClientID: "kid", AuthMethod: store.AuthPrivateKey}, key.Encode(), false)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := f.mem.Get(ctx, c.ID)
	f.mem.Remove(c.ID)
	other := storetest.NewMemory()
	if err := other.Set(ctx, c.ID, stored); err != nil {
		t.Fatal(err)
	}
	f.m.Other = func(context.Context) (store.Secrets, error) { return other, nil }
	_, err = f.m.PrivateKey(ctx, c)
	var missing *manager.MissingSecretError
	if !errors.As(err, &missing) || !missing.PrivateKey || missing.Elsewhere != manager.FoundElsewhere {
		t.Fatalf("err = %v; want a *MissingSecretError for a key found elsewhere", err)
	}
	if want := `the private key of "keyed" is not in the memory keychain; it is in the memory keychain`; err.Error() != want {
		t.Errorf("got %q; want %q", err, want)
	}
}

// TestHostileNamesAreQuotedClean checks that the manager's errors show a
// name that an old metadata file may hold (escape sequences, control
// characters) cleaned, not as visible escapes.
func TestHostileNamesAreQuotedClean(t *testing.T) {
	const hostile = "pro\x1b]0;owned\x07d\x1b[2J\r\nx\a"
	f := setup(t)
	_, keyErr := f.m.PrivateKey(context.Background(), store.Connection{Name: hostile, AuthMethod: store.AuthSecret})
	tests := []struct {
		name string
		err  error
	}{
		{"missing", &manager.MissingSecretError{Name: hostile, Backend: "OS keychain"}},
		{"missing, found elsewhere", &manager.MissingSecretError{Name: hostile, Backend: "OS keychain", Other: "encrypted vault", Elsewhere: manager.FoundElsewhere}},
		{"missing, maybe elsewhere", &manager.MissingSecretError{Name: hostile, PrivateKey: true, Backend: "OS keychain", Other: "encrypted vault", Elsewhere: manager.MaybeElsewhere}},
		{"switch to a key", &manager.MethodChangeError{Name: hostile, To: store.AuthPrivateKey}},
		{"switch to a secret", &manager.MethodChangeError{Name: hostile, To: store.AuthSecret}},
		{"no key to read", keyErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("no error; want one naming the connection")
			}
			msg := tt.err.Error()
			if !strings.Contains(msg, `"prod x"`) {
				t.Errorf("got %q; want the name cleaned and quoted as %q", msg, `"prod x"`)
			}
			for _, bad := range []string{"\x1b", "\a", "\r", "\n", `\x1b`, `\a`, `\r`, `\n`, "owned"} {
				if strings.Contains(msg, bad) {
					t.Errorf("got %q; want no %q in it", msg, bad)
				}
			}
		})
	}
}
