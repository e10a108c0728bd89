package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
)

const canary = "zconn-canary-S3cr3t-7f1d"

func newStore(t testing.TB) (*store.Store, *storetest.Memory) {
	t.Helper()
	mem := storetest.NewMemory()
	return store.New(filepath.Join(t.TempDir(), "zconn"), mem), mem
}

// must fails the test on a setup error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func conn(name string) store.Connection {
	return store.Connection{Name: name, Description: "test tenant", Vanity: "acme", ClientID: "client-" + strings.TrimSpace(name)}
}

func TestCreateListFind(t *testing.T) {
	s, mem := newStore(t)
	ctx := context.Background()
	c, err := s.Create(ctx, conn("  prod  "), canary)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if c.ID == "" || c.Name != "prod" || c.AuthMethod != store.AuthSecret || c.CreatedAt.IsZero() {
		t.Errorf("created %+v; want an ID, the trimmed name, method secret and a creation time", c)
	}
	if !c.Default {
		t.Error("the first connection is not the default; want it to be")
	}
	if got, ok := mem.Peek(c.ID); !ok || got != canary {
		t.Errorf("secret under the connection's ID = %q, %v; want the canary", got, ok)
	}
	second, err := s.Create(ctx, conn("stage"), "other")
	if err != nil {
		t.Fatalf("Create second: %v", err)
	}
	if second.Default {
		t.Error("the second connection became the default; want the first to stay")
	}
	calls := mem.Calls()
	list, err := s.List()
	if err != nil || len(list) != 2 || list[0].Name != "prod" || list[1].Name != "stage" {
		t.Fatalf("List = %+v, %v; want prod then stage", list, err)
	}
	found, err := s.Find("PROD")
	if err != nil || found.ID != c.ID {
		t.Errorf("Find(PROD) = %+v, %v; want prod, ignoring case", found, err)
	}
	if byID, err := s.FindID(second.ID); err != nil || byID.Name != "stage" {
		t.Errorf("FindID(id) = %+v, %v; want stage", byID, err)
	}
	if byID, err := s.Find(second.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Find(id) = %+v, %v; want ErrNotFound: Find matches names only", byID, err)
	}
	if _, err := s.Find("nope"); !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Find(nope) err = %v; want ErrNotFound naming nope", err)
	}
	if mem.Calls() != calls {
		t.Errorf("listing and finding made %d keychain calls; want none", mem.Calls()-calls)
	}
}

func TestNamesAreUniqueIgnoringCase(t *testing.T) {
	s, mem := newStore(t)
	ctx := context.Background()
	if _, err := s.Create(ctx, conn("Prod"), canary); err != nil {
		t.Fatal(err)
	}
	_, err := s.Create(ctx, conn("prod "), "x")
	var taken *store.NameTakenError
	if !errors.As(err, &taken) || !strings.Contains(err.Error(), "choose another name") {
		t.Fatalf("Create duplicate err = %v; want NameTakenError naming the fix", err)
	}
	if mem.Len() != 1 {
		t.Errorf("secrets held = %d; want 1 (the duplicate's secret never stored)", mem.Len())
	}
	other, err := s.Create(ctx, conn("stage"), "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, other.ID, func(c *store.Connection) error { c.Name = "PROD"; return nil }); !errors.As(err, &taken) {
		t.Errorf("rename onto a taken name err = %v; want NameTakenError", err)
	}
}

// TestNamesAreUniqueHoweverAccentsAreWritten: café with é as one
// character and as e and a combining accent look the same, so they are
// one name, found by either.
func TestNamesAreUniqueHoweverAccentsAreWritten(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if _, err := s.Create(ctx, conn("caf\u00e9"), canary); err != nil {
		t.Fatal(err)
	}
	var taken *store.NameTakenError
	if _, err := s.Create(ctx, conn("CAFE\u0301"), "x"); !errors.As(err, &taken) {
		t.Errorf("Create of the same name written apart err = %v; want NameTakenError", err)
	}
	if c, err := s.Find("cafe\u0301"); err != nil || c.Name != "caf\u00e9" {
		t.Errorf("Find with the accent apart = %q, %v; want the saved name as it was typed", c.Name, err)
	}
}

func TestValidation(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*store.Connection)
		mention string
	}{
		{"empty name", func(c *store.Connection) { c.Name = "  " }, "enter a name"},
		{"long name", func(c *store.Connection) { c.Name = strings.Repeat("n", 65) }, "at most 64"},
		{"control in name", func(c *store.Connection) { c.Name = "pr\x1b[31mod" }, "control characters"},
		{"long description", func(c *store.Connection) { c.Description = strings.Repeat("d", 513) }, "at most 512"},
		{"newline in description", func(c *store.Connection) { c.Description = "a\nb" }, "one line"},
		{"no tenant", func(c *store.Connection) { c.Vanity = "" }, "enter the tenant"},
		{"no client id", func(c *store.Connection) { c.ClientID = "" }, "enter the client ID"},
		{"client id with space", func(c *store.Connection) { c.ClientID = "a b" }, "copy it again"},
		{"customer id with letters", func(c *store.Connection) { c.ZPACustomerID = "2161962573x" }, "the ZPA customer ID holds characters other than digits: type only its digits"},
		{"customer id negative", func(c *store.Connection) { c.ZPACustomerID = "-216196257331281920" }, "ZPA customer ID holds characters other than digits"},
		{"customer id with inner space", func(c *store.Connection) { c.ZPACustomerID = "2161 9625" }, "ZPA customer ID holds characters other than digits"},
		{"customer id too long", func(c *store.Connection) { c.ZPACustomerID = strings.Repeat("9", 21) }, "the ZPA customer ID has 21 digits: check it, as no ZPA ID has more than 20"},
		{"microtenant id with letters", func(c *store.Connection) { c.ZPAMicrotenantID = "0x1f" }, "the ZPA microtenant ID holds characters other than digits"},
		{"microtenant id with unicode digits", func(c *store.Connection) { c.ZPAMicrotenantID = "٣٤٥" }, "the ZPA microtenant ID holds characters other than digits"},
		{"microtenant id too long", func(c *store.Connection) { c.ZPAMicrotenantID = strings.Repeat("1", 25) }, "the ZPA microtenant ID has 25 digits"},
		{"partner id with space", func(c *store.Connection) { c.PartnerID = "acme partner" }, "the partner ID holds spaces or characters other than visible ASCII"},
		{"partner id with control", func(c *store.Connection) { c.PartnerID = "p\x1b[31m" + "\n" }, "the partner ID holds spaces"},
		{"partner id not ascii", func(c *store.Connection) { c.PartnerID = "parté" }, "characters other than visible ASCII"},
		{"partner id too long", func(c *store.Connection) { c.PartnerID = strings.Repeat("p", 129) }, "the partner ID has 129 characters: check it, as zconn takes at most 128"},
		{"unknown auth method", func(c *store.Connection) { c.AuthMethod = "jwks" }, `the authentication method "jwks" is not one zconn knows: use "secret" or "private_key"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, mem := newStore(t)
			c := conn("ok")
			tt.mutate(&c)
			_, err := s.Create(context.Background(), c, canary)
			if err == nil || !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("err = %v; want one mentioning %q", err, tt.mention)
			}
			if mem.Calls() != 0 {
				t.Errorf("invalid input reached the keychain %d times; want 0", mem.Calls())
			}
		})
	}
	if err := store.ValidateName(strings.Repeat("é", 64)); err != nil {
		t.Errorf("64 runes rejected: %v", err)
	}
}

// TestOptionalIDs saves the ZPA and partner IDs trimmed, accepts the
// longest ones, and leaves them out when empty.
func TestOptionalIDs(t *testing.T) {
	tests := []struct {
		name                           string
		customer, microtenant, partner string
		want                           [3]string
	}{
		{"none", "", "", "", [3]string{}},
		{"typical", "216196257331281920", "216196257331281921", "acme-partner_01", [3]string{"216196257331281920", "216196257331281921", "acme-partner_01"}},
		{"pasted with spaces around", " 216196257331281920\n", "\t42 ", " p ", [3]string{"216196257331281920", "42", "p"}},
		{"longest", strings.Repeat("9", 20), strings.Repeat("1", 20), strings.Repeat("~", 128), [3]string{strings.Repeat("9", 20), strings.Repeat("1", 20), strings.Repeat("~", 128)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t)
			c := conn("prod")
			c.ZPACustomerID, c.ZPAMicrotenantID, c.PartnerID = tt.customer, tt.microtenant, tt.partner
			saved, err := s.Create(context.Background(), c, canary)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := s.Find("prod")
			for _, got := range []store.Connection{saved, again} {
				if g := [3]string{got.ZPACustomerID, got.ZPAMicrotenantID, got.PartnerID}; g != tt.want {
					t.Errorf("got %q; want %q", g, tt.want)
				}
			}
		})
	}
}

// TestRecordVerificationLearnsTheAudience checks the one rule for a tenant
// that refuses the audience: a successful verification whose token came
// without it sets OmitAudience, through Create and Record alike; nothing
// else does, and nothing clears it.
func TestRecordVerificationLearnsTheAudience(t *testing.T) {
	tests := []struct {
		name string
		v    *store.Verification
		was  bool
		want bool
	}{
		{"no verification", nil, false, false},
		{"sent with the audience", &store.Verification{OK: true}, false, false},
		{"issued without the audience", &store.Verification{OK: true, AudienceOmitted: true}, false, true},
		{"failed without the audience", &store.Verification{Category: "invalid_request", AudienceOmitted: true}, false, false},
		{"already known", &store.Verification{OK: true}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := conn("prod")
			c.OmitAudience = tt.was
			c.RecordVerification(tt.v)
			if c.OmitAudience != tt.want || c.Verification != tt.v {
				t.Errorf("OmitAudience = %v, verification %p; want %v, %p", c.OmitAudience, c.Verification, tt.want, tt.v)
			}
			s, _ := newStore(t)
			ctx := context.Background()
			c = conn("created")
			c.OmitAudience, c.Verification = tt.was, tt.v
			created, err := s.Create(ctx, c, canary)
			must(t, err)
			if created.OmitAudience != tt.want {
				t.Errorf("Create: OmitAudience = %v; want %v", created.OmitAudience, tt.want)
			}
			if tt.v == nil {
				return
			}
			c = conn("recorded")
			c.OmitAudience = tt.was
			plain, err := s.Create(ctx, c, canary)
			must(t, err)
			recorded, err := s.Record(ctx, plain.ID, *tt.v)
			must(t, err)
			again, _ := s.FindID(plain.ID)
			if recorded.OmitAudience != tt.want || again.OmitAudience != tt.want {
				t.Errorf("Record: OmitAudience = %v, %v read back; want %v", recorded.OmitAudience, again.OmitAudience, tt.want)
			}
		})
	}
}

func TestCanaryNeverInMetadataFile(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	c, err := s.Create(ctx, conn("prod"), canary)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, c.ID, func(c *store.Connection) error { c.Description = "edited"; return nil }); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(s.Dir())
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(s.Dir(), e.Name()))
		if strings.Contains(string(b), canary) {
			t.Errorf("%s holds the secret", e.Name())
		}
	}
}

func TestPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows relies on the profile's ACL")
	}
	s, _ := newStore(t)
	if _, err := s.Create(context.Background(), conn("prod"), canary); err != nil {
		t.Fatal(err)
	}
	wantModes := func(when string, want map[string]os.FileMode) {
		t.Helper()
		for path, want := range want {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: %s mode = %v, %v; want %v", when, path, fi.Mode().Perm(), err, want)
			}
		}
	}
	wantModes("created", map[string]os.FileMode{s.Dir(): 0o700, s.Path(): 0o600})
	notes, err := s.Notices()
	if err != nil || len(notes) != 0 {
		t.Errorf("Notices on a tidy folder = %q, %v; want none", notes, err)
	}

	must(t, os.Chmod(s.Path(), 0o644))
	must(t, os.Chmod(s.Dir(), 0o755))
	notes, err = s.Notices()
	if err != nil || len(notes) != 2 || !strings.Contains(notes[0], "(mode 0755)") || !strings.Contains(notes[1], "(mode 0644)") ||
		!strings.Contains(notes[0], "chmod 700 "+s.Dir()) || !strings.Contains(notes[1], "when it next saves") {
		t.Fatalf("Notices = %q, %v; want the folder (0755) to restrict by hand and the file (0644), restricted when zconn next saves", notes, err)
	}
	if _, err := s.List(); err != nil {
		t.Fatal(err)
	}
	wantModes("after Notices and List, which only read", map[string]os.FileMode{s.Dir(): 0o755, s.Path(): 0o644})

	if _, err := s.Create(context.Background(), conn("stage"), canary); err != nil {
		t.Fatal(err)
	}
	wantModes("after a save", map[string]os.FileMode{s.Dir(): 0o755, s.Path(): 0o600})
	if notes, err := s.Notices(); err != nil || len(notes) != 1 || !strings.Contains(notes[0], "chmod 700 "+s.Dir()) {
		t.Errorf("Notices after the save = %q, %v; want only the folder's", notes, err)
	}
}

func TestCorruptFileIsNeverOverwritten(t *testing.T) {
	for name, content := range map[string]string{
		"not json":       "{\"version\":1,\"connections\":[",
		"empty":          "",
		"future version": `{"version":99,"connections":[]}`,
		"no version":     `{"connections":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			s, mem := newStore(t)
			os.MkdirAll(s.Dir(), 0o700)
			os.WriteFile(s.Path(), []byte(content), 0o600)
			_, err := s.List()
			if err == nil || !strings.Contains(err.Error(), s.Path()) {
				t.Fatalf("List err = %v; want an error naming %s", err, s.Path())
			}
			var corrupt *store.CorruptError
			var future *store.FutureVersionError
			if name == "future version" && (!errors.As(err, &future) || !strings.Contains(err.Error(), "upgrade zconn")) {
				t.Errorf("err = %v; want FutureVersionError naming the upgrade", err)
			} else if name != "future version" && !errors.As(err, &corrupt) {
				t.Errorf("err = %v; want CorruptError", err)
			}
			if _, err := s.Create(context.Background(), conn("x"), canary); err == nil {
				t.Error("Create over an unreadable file succeeded; want it refused")
			}
			if b, _ := os.ReadFile(s.Path()); string(b) != content {
				t.Errorf("file changed to %q; want it untouched", b)
			}
			if mem.Len() != 0 {
				t.Errorf("secrets held = %d; want 0 after a refused save", mem.Len())
			}
		})
	}
}

func TestCrashBetweenTheTwoStepsOfASave(t *testing.T) {
	s, mem := newStore(t)
	ctx := context.Background()
	first, err := s.Create(ctx, conn("prod"), "first-secret")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	store.FailWrites(s, errors.New("disk full"))
	_, err = s.Create(ctx, conn("stage"), canary)
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "free space") {
		t.Fatalf("Create with a failing write err = %v; want the cause and the fix", err)
	}
	if mem.Len() != 1 {
		t.Errorf("secrets held = %d; want 1: the new secret removed again", mem.Len())
	}
	if got, _ := mem.Peek(first.ID); got != "first-secret" {
		t.Errorf("the first secret = %q; want it untouched", got)
	}
	after, _ := os.ReadFile(s.Path())
	if string(after) != string(before) {
		t.Error("the metadata file changed; want the previous state intact")
	}
}

func TestInterruptedWriteLeavesTheOldFile(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if _, err := s.Create(ctx, conn("prod"), "a"); err != nil {
		t.Fatal(err)
	}
	// A crash mid-write leaves a temporary file behind; it must not count.
	os.WriteFile(filepath.Join(s.Dir(), ".connections.json.123.tmp"), []byte("{\"version\":1,\"conn"), 0o600)
	list, err := s.List()
	if err != nil || len(list) != 1 {
		t.Fatalf("List after an interrupted write = %v, %v; want the old connection", list, err)
	}
	if _, err := s.Create(ctx, conn("stage"), "b"); err != nil {
		t.Fatalf("Create after an interrupted write: %v", err)
	}
}

func TestMissingSecret(t *testing.T) {
	s, mem := newStore(t)
	ctx := context.Background()
	c, _ := s.Create(ctx, conn("prod"), canary)
	mem.Remove(c.ID)
	_, err := s.Secret(ctx, c.ID)
	if !errors.Is(err, store.ErrSecretNotFound) {
		t.Errorf("Secret err = %v; want ErrSecretNotFound", err)
	}
	// Deleting a connection whose secret is gone still removes it.
	if err := s.Delete(ctx, c.ID); err != nil {
		t.Fatalf("Delete with the secret gone: %v", err)
	}
	if list, _ := s.List(); len(list) != 0 {
		t.Errorf("List after delete = %v; want empty", list)
	}
}

func TestDeleteSaysWhichPartFailed(t *testing.T) {
	s, mem := newStore(t)
	ctx := context.Background()
	c, _ := s.Create(ctx, conn("prod"), canary)

	mem.Fail("delete", &store.SecretError{Message: "the keyring is locked: unlock it", Err: errors.New("locked")})
	err := s.Delete(ctx, c.ID)
	var de *store.DeleteError
	if !errors.As(err, &de) || de.SecretRemoved || !strings.Contains(err.Error(), "nothing was deleted") {
		t.Fatalf("Delete with a locked keyring err = %v; want nothing deleted", err)
	}
	if list, _ := s.List(); len(list) != 1 {
		t.Error("the connection is gone; want it kept when the secret could not be removed")
	}
	mem.Fail("delete", nil)

	store.FailWrites(s, errors.New("read-only file system"))
	err = s.Delete(ctx, c.ID)
	if !errors.As(err, &de) || !de.SecretRemoved || !strings.Contains(err.Error(), "still listed") {
		t.Fatalf("Delete with a failing write err = %v; want secret removed, metadata left", err)
	}
}

func TestUpdateKeepsIdentity(t *testing.T) {
	s, mem := newStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	c, _ := s.Create(ctx, conn("prod"), canary)
	now = now.Add(time.Hour)
	got, err := s.Update(ctx, c.ID, func(u *store.Connection) error {
		u.Name, u.ID, u.CreatedAt = "production", "hijack", time.Time{}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != c.ID || !got.CreatedAt.Equal(c.CreatedAt) || !got.UpdatedAt.Equal(now) || got.Name != "production" {
		t.Errorf("Update = %+v; want same ID and creation time, new name and update time", got)
	}
	if sec, _ := mem.Peek(c.ID); sec != canary {
		t.Error("a rename lost the secret; want it kept under the same ID")
	}
	if _, err := s.Update(ctx, c.ID, func(*store.Connection) error { return errors.New("changed my mind") }); err == nil {
		t.Error("Update whose func fails succeeded")
	}
	if again, _ := s.FindID(c.ID); again.Name != "production" {
		t.Errorf("failed Update changed the connection to %+v", again)
	}
}

func TestDefault(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if _, err := s.Default(); !errors.Is(err, store.ErrNoConnections) || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Default with none = %v; want ErrNoConnections, an ErrNotFound", err)
	}
	a, _ := s.Create(ctx, conn("a"), "x")
	b, _ := s.Create(ctx, conn("b"), "y")
	if d, _ := s.Default(); d.ID != a.ID {
		t.Errorf("Default = %s; want the first, a", d.Name)
	}
	if _, err := s.SetDefault(ctx, "B"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetDefault(a name) = %v; want ErrNotFound: it takes an ID", err)
	}
	if _, err := s.SetDefault(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	list, _ := s.List()
	if list[0].Default || !list[1].Default {
		t.Errorf("after SetDefault(b) defaults = %v, %v; want only b", list[0].Default, list[1].Default)
	}
	if err := s.Delete(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Default(); err != nil || d.ID != a.ID {
		t.Errorf("Default with one left = %+v, %v; want the only one", d, err)
	}
	s.Create(ctx, conn("c"), "z")
	if _, err := s.Default(); !errors.Is(err, store.ErrNoDefault) {
		t.Errorf("Default with two and none marked = %v; want ErrNoDefault", err)
	}
}

func TestDefaultIndex(t *testing.T) {
	a, b, c := store.Connection{Name: "a"}, store.Connection{Name: "b", Default: true}, store.Connection{Name: "c"}
	tests := []struct {
		name  string
		conns []store.Connection
		want  int
	}{
		{"none", nil, -1},
		{"only one, unmarked", []store.Connection{a}, 0},
		{"marked", []store.Connection{a, b, c}, 1},
		{"several, none marked", []store.Connection{a, c}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.DefaultIndex(tt.conns); got != tt.want {
				t.Errorf("got %d; want %d", got, tt.want)
			}
		})
	}
}

func TestRecordKeepsUpdatedAt(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	c, _ := s.Create(ctx, conn("prod"), "x")
	v := store.Verification{At: time.Now().UTC(), OK: true, Lifetime: 3600, Products: []string{"ZIAM"}}
	got, err := s.Record(ctx, c.ID, v)
	if err != nil || got.Verification == nil || !got.Verification.OK || !got.UpdatedAt.Equal(c.UpdatedAt) {
		t.Errorf("Record = %+v, %v; want the verification and UpdatedAt unchanged", got, err)
	}
}

func TestExpiry(t *testing.T) {
	now := time.Date(2026, 11, 28, 23, 30, 0, 0, time.Local)
	tests := []struct {
		expires string
		want    store.SecretState
		days    int
		due     bool
	}{
		{"", store.SecretNoExpiry, 0, false},
		{"2026-11-27", store.SecretExpired, -1, true},
		{"2026-11-28", store.SecretExpiring, 0, true},
		{"2026-12-11", store.SecretExpiring, 13, true},
		{"2026-12-12", store.SecretExpiring, 14, true},
		{"2026-12-13", store.SecretValid, 15, false},
	}
	for _, tt := range tests {
		t.Run(tt.expires, func(t *testing.T) {
			d, err := store.ParseDate(tt.expires)
			if err != nil {
				t.Fatal(err)
			}
			got := store.Connection{SecretExpires: d}.Expiry(now)
			if got.State != tt.want || got.Days != tt.days || got.Date != d || got.Due() != tt.due {
				t.Errorf("got %+v (due %v); want state %v, %d days, due %v", got, got.Due(), tt.want, tt.days, tt.due)
			}
		})
	}
	if _, err := store.ParseDate("31/12/2026"); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("ParseDate(31/12/2026) err = %v; want one naming YYYY-MM-DD", err)
	}
}

// TestConcurrentProcesses runs several processes that each save many
// connections into one folder at once; every connection must be there
// afterwards.
func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := filepath.Join(t.TempDir(), "zconn")
	const procs, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, procs)
	for p := 0; p < procs; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSaver$")
			cmd.Env = append(os.Environ(), "ZCONN_TEST_SAVER_DIR="+dir, "ZCONN_TEST_SAVER_PREFIX=p"+strconv.Itoa(p), "ZCONN_TEST_SAVER_COUNT="+strconv.Itoa(each))
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("process %d: %v\n%s", p, err, out)
			}
		}(p)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list, err := store.New(dir, storetest.NewMemory()).List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != procs*each {
		t.Fatalf("connections after concurrent saves = %d; want %d", len(list), procs*each)
	}
	seen := map[string]bool{}
	for _, c := range list {
		seen[c.Name] = true
	}
	for p := 0; p < procs; p++ {
		for i := 0; i < each; i++ {
			if name := fmt.Sprintf("p%d-%d", p, i); !seen[name] {
				t.Errorf("connection %s lost", name)
			}
		}
	}
}

// TestHelperSaver is the body of each process of TestConcurrentProcesses.
func TestHelperSaver(t *testing.T) {
	dir := os.Getenv("ZCONN_TEST_SAVER_DIR")
	if dir == "" {
		t.Skip("runs only as a child of TestConcurrentProcesses")
	}
	n, _ := strconv.Atoi(os.Getenv("ZCONN_TEST_SAVER_COUNT"))
	s := store.New(dir, storetest.NewMemory())
	s.LockTimeout = time.Minute
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s-%d", os.Getenv("ZCONN_TEST_SAVER_PREFIX"), i)
		if _, err := s.Create(context.Background(), conn(name), "s"); err != nil {
			t.Fatalf("Create %s: %v", name, err)
		}
	}
}

// TestNamesNeverSelectAnotherConnection: a name may not be another
// connection's ID, and Find matches names only, so a name can never pick
// the connection whose ID it spells.
func TestNamesNeverSelectAnotherConnection(t *testing.T) {
	s, mem := newStore(t)
	ctx := context.Background()
	a, _ := s.Create(ctx, conn("alpha"), "a")
	b, _ := s.Create(ctx, conn("beta"), "b")
	var isID *store.NameIsIDError
	if _, err := s.Create(ctx, conn(strings.ToUpper(b.ID)), canary); !errors.As(err, &isID) || !strings.Contains(err.Error(), `the ID of the connection "beta"`) {
		t.Errorf("Create named as beta's ID err = %v; want NameIsIDError naming beta", err)
	}
	if _, err := s.Update(ctx, a.ID, func(c *store.Connection) error { c.Name = b.ID; return nil }); !errors.As(err, &isID) {
		t.Errorf("renaming alpha to beta's ID err = %v; want NameIsIDError", err)
	}
	if mem.Len() != 2 {
		t.Errorf("secrets held = %d; want 2: a refused name saves no secret", mem.Len())
	}

	// A file written before the rule can still hold such a name.
	if err := store.Seed(s, []store.Connection{
		{ID: "id-of-a", Name: "id-of-b", Vanity: "acme", ClientID: "a"},
		{ID: "id-of-b", Name: "beta", Vanity: "acme", ClientID: "b"},
	}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Find("ID-OF-B"); err != nil || got.ID != "id-of-a" {
		t.Errorf("Find(ID-OF-B) = %s, %v; want the connection of that name, id-of-a", got.ID, err)
	}
	if got, err := s.FindID("id-of-b"); err != nil || got.Name != "beta" {
		t.Errorf("FindID(id-of-b) = %s, %v; want beta", got.Name, err)
	}
	if _, err := s.FindID("ID-OF-B"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FindID(ID-OF-B) err = %v; want ErrNotFound: IDs match exactly", err)
	}
}

// TestDuplicatesInTheFileAreRefused loads hand-edited files in which two
// connections share an ID, or a name ignoring case: loading fails naming
// the line to fix, and nothing overwrites the file.
func TestDuplicatesInTheFileAreRefused(t *testing.T) {
	tests := []struct {
		name    string
		conns   string
		mention string
	}{
		{"same ID", `
    {"id": "x1", "name": "a", "vanity_domain": "acme", "client_id": "c"},
    {"id": "x2", "name": "c", "vanity_domain": "acme", "client_id": "c"},
    {"id": "x1", "name": "b", "vanity_domain": "acme", "client_id": "c"}`,
			`(the connection on line 6 has the ID "x1", as the one on line 4 does: give it its own ID)`},
		{"same name", `
    {"id": "x1", "name": "Prod", "vanity_domain": "acme", "client_id": "c"},
    {"id": "x2", "name": "prod", "vanity_domain": "acme", "client_id": "c"}`,
			`(the connection on line 5 has the name "prod", as the one on line 4 does, ignoring case: give it its own name)`},
		{"same name, accents written apart", `
    {"id": "x1", "name": "caf\u00e9", "vanity_domain": "acme", "client_id": "c"},
    {"id": "x2", "name": "cafe\u0301", "vanity_domain": "acme", "client_id": "c"}`,
			`(the connection on line 5 has the name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, mem := newStore(t)
			content := "{\n  \"version\": 1,\n  \"connections\": [" + tt.conns + "\n  ]\n}\n"
			must(t, os.MkdirAll(s.Dir(), 0o700))
			must(t, os.WriteFile(s.Path(), []byte(content), 0o600))
			_, err := s.List()
			var corrupt *store.CorruptError
			var dup *store.DuplicateError
			if !errors.As(err, &corrupt) || !errors.As(err, &dup) || !strings.Contains(err.Error(), tt.mention) || !strings.Contains(err.Error(), "will not overwrite") {
				t.Fatalf("List err = %v; want a CorruptError holding a DuplicateError with %s", err, tt.mention)
			}
			if _, err := s.SetDefault(context.Background(), "x2"); err == nil {
				t.Error("SetDefault succeeded; want it refused")
			}
			if _, err := s.Create(context.Background(), conn("new"), canary); err == nil {
				t.Error("Create succeeded; want it refused")
			}
			if b, _ := os.ReadFile(s.Path()); string(b) != content {
				t.Errorf("the file changed to %s; want it untouched", b)
			}
			if mem.Len() != 0 {
				t.Errorf("secrets held = %d; want none", mem.Len())
			}
		})
	}
}

func TestNamesHardToTypeOrSeeAreRefused(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		mention string
	}{
		{"short flag", "-rf", `starts with "-"`},
		{"long flag", "--yes", `starts with "-"`},
		{"zero-width space", "pr\u200bod", "cannot be seen (U+200B)"},
		{"zero-width joiner", "prod\u200d", "cannot be seen (U+200D)"},
		{"left-to-right mark", "\u200eprod", "control characters"},
		{"word joiner", "pr\u2060od", "cannot be seen (U+2060)"},
		{"invisible plus", "pr\u2064od", "cannot be seen (U+2064)"},
		{"byte order mark", "\ufeffprod", "cannot be seen (U+FEFF)"},
		{"soft hyphen", "pro\u00add", "cannot be seen (U+00AD)"},
		{"bidi isolate", "prod\u2066", "control characters"},
		{"variation selector", "prod\ufe0f", "cannot be seen (U+FE0F)"},
		{"tag character", "prod\U000E0041", "cannot be seen (U+E0041)"},
		{"hangul filler", "pr\u3164od", "cannot be seen (U+3164)"},
		{"no-break space", "pr\u00a0od", "cannot be seen (U+00A0)"},
		{"ideographic space", "pr\u3000od", "cannot be seen (U+3000)"},
		{"braille blank", "pr\u2800od", "cannot be seen (U+2800)"},
		{"two spaces", "prod  eu", "two spaces in a row"},
		{"a combining accent alone", "\u0301", "starts with a combining mark"},
		{"a combining accent first", "\u0301prod", "starts with a combining mark"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := store.ValidateName(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.mention) || strings.Contains(err.Error(), "\n") {
				t.Errorf("ValidateName(%q) = %v; want one line mentioning %q", tt.in, err, tt.mention)
			}
		})
	}
	for _, ok := range []string{"prod", "acme-eu", "Prod EU (beta)", "café", "cafe\u0301", "日本の本番", "a-", "x_y.z", "1"} {
		if err := store.ValidateName(ok); err != nil {
			t.Errorf("ValidateName(%q) = %v; want it accepted", ok, err)
		}
	}
}

// TestNewIDInUseTouchesNoSecret: an ID already in use (by ID or as a
// name) is refused before the secret is saved under it, which would
// replace the other connection's secret.
func TestNewIDInUseTouchesNoSecret(t *testing.T) {
	s, mem := newStore(t)
	ctx := context.Background()
	next := "id-1"
	s.NewID = func() string { return next }
	first, err := s.Create(ctx, conn("first"), "first-secret")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"id-1", "FIRST"} {
		next = id
		if _, err := s.Create(ctx, conn("second"), canary); err == nil || !strings.Contains(err.Error(), "already in use") {
			t.Errorf("Create with the ID %s err = %v; want it refused", id, err)
		}
	}
	if got, _ := mem.Peek(first.ID); got != "first-secret" {
		t.Errorf("the first connection's secret = %q; want it untouched", got)
	}
	if list, _ := s.List(); len(list) != 1 {
		t.Errorf("connections = %d; want 1", len(list))
	}
}

// TestVersion1FileIsReadAndWrittenAsVersion2 reads a file an older zconn
// wrote, and checks that the next save marks it with this schema, which
// an older zconn refuses rather than dropping the newer fields.
func TestVersion1FileIsReadAndWrittenAsVersion2(t *testing.T) {
	s, _ := newStore(t)
	must(t, os.MkdirAll(s.Dir(), 0o700))
	v1 := `{"version":1,"connections":[{"id":"a1","name":"prod","vanity_domain":"acme","client_id":"cid",` +
		`"auth_method":"secret","created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z","default":true}]}` + "\n"
	must(t, os.WriteFile(s.Path(), []byte(v1), 0o600))
	c, err := s.Find("prod")
	if err != nil {
		t.Fatalf("Find in a version 1 file: %v", err)
	}
	if c.AuthMethod != store.AuthSecret || c.ZPACustomerID != "" || c.OmitAudience || c.AllowUnknownCloud {
		t.Errorf("version 1 connection = %+v; want a secret client with none of the newer fields", c)
	}
	if _, err := s.Update(context.Background(), c.ID, func(c *store.Connection) error {
		c.ZPACustomerID = "216196257331281920"
		return nil
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	b, err := os.ReadFile(s.Path())
	must(t, err)
	if !strings.Contains(string(b), `"version": 2`) || !strings.Contains(string(b), `"zpa_customer_id": "216196257331281920"`) {
		t.Errorf("saved file:\n%s\nwant version 2 with the customer ID as a string", b)
	}
}

// hostileName is a name an old metadata file may hold: an OSC sequence
// that sets the terminal's title, a CSI sequence that clears the screen,
// a bell and a line break. Cleaned, it reads "prod x".
const hostileName = "pro\x1b]0;owned\x07d\x1b[2J\r\nx\a"

// checkQuotedClean fails unless msg shows hostileName cleaned, in quotes,
// with neither its control characters nor their escaped forms.
func checkQuotedClean(t *testing.T, msg string) {
	t.Helper()
	if !strings.Contains(msg, `"prod x"`) {
		t.Errorf("got %q; want the name cleaned and quoted as %q", msg, `"prod x"`)
	}
	for _, bad := range []string{"\x1b", "\a", "\r", "\n", `\x1b`, `\a`, `\r`, `\n`, `\u001b`, "owned"} {
		if strings.Contains(msg, bad) {
			t.Errorf("got %q; want no %q in it", msg, bad)
		}
	}
}

func TestHostileNamesAreQuotedClean(t *testing.T) {
	s, _ := newStore(t)
	_, findErr := s.Find(hostileName)
	_, findIDErr := s.FindID(hostileName)
	tests := []struct {
		name string
		err  error
	}{
		{"not found", findErr},
		{"ID not found", findIDErr},
		{"name taken", &store.NameTakenError{Name: hostileName}},
		{"name is an ID", &store.NameIsIDError{Name: "ok", Of: hostileName}},
		{"duplicate", &store.DuplicateError{Field: "name", Value: hostileName, Line: 5, FirstLine: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("no error; want one naming the connection")
			}
			checkQuotedClean(t, tt.err.Error())
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "prod", `"prod"`},
		{"quote inside", `a"b`, `"a\"b"`},
		{"hostile", hostileName, `"prod x"`},
		{"too long", strings.Repeat("n", 300), `"` + strings.Repeat("n", store.MaxNameLen-1) + `…"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.Quote(tt.in); got != tt.want {
				t.Errorf("got %s; want %s", got, tt.want)
			}
		})
	}
}
