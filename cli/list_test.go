package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/zconn/zconn/store"
)

func TestListEmpty(t *testing.T) {
	h := newHarness(t)
	r := h.run("", "list")
	r.want(t, 0)
	if !strings.Contains(r.stdout, "zconn new") || !strings.Contains(r.stdout, "zconn add") {
		t.Errorf("got %q; want it to say how to add a connection", r.stdout)
	}
	r = h.run("", "list", "--json")
	r.want(t, 0)
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("got %q; want []", r.stdout)
	}
}

// seedList saves three connections in every state list shows, with the
// clock at now.
func seedList(t *testing.T, h *harness, now time.Time) {
	t.Helper()
	h.now = func() time.Time { return now }
	ctx := t.Context()
	prod := h.seed(store.Connection{Name: "prod", Description: "Production tenant", SecretExpires: store.NewDate(2026, 12, 3),
		ZPACustomerID: "216196257331281920", ZPAMicrotenantID: "216196257331281921"}, canary)
	beta := h.seed(store.Connection{Name: "beta", Vanity: "acme", Cloud: "beta", ClientID: "cid-beta", SecretExpires: store.NewDate(2026, 11, 1),
		AuthMethod: store.AuthPrivateKey, PartnerID: "partner-7"}, canary)
	h.seed(store.Connection{Name: "fresh"}, canary)
	s := h.store()
	if _, err := s.Record(ctx, prod.ID, store.Verification{At: now.Add(-2 * time.Hour), OK: true, Lifetime: 3600}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, beta.ID, store.Verification{At: now.Add(-time.Hour), Category: "rejected", Message: "rejected"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDefault(ctx, beta.ID); err != nil {
		t.Fatal(err)
	}
}

func TestListTable(t *testing.T) {
	h := newHarness(t)
	seedList(t, h, time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	calls := h.mem.Calls()
	h.width = 120
	r := h.run("", "list")
	r.want(t, 0)
	want := []string{
		"   NAME   DESCRIPTION        TENANT                CLIENT ID     STATUS            SECRET",
		"   prod   Production tenant  acme.zslogin.net      cid-0oa1b2c3  verified 2h ago   expires in 5 days",
		"*  beta                      acme.zsloginbeta.net  cid-beta      failed: rejected  expired",
		"   fresh                     acme.zslogin.net      cid-0oa1b2c3  never verified",
	}
	if got := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(r.stdout, "\x1b") {
		t.Errorf("the table holds escape sequences on a terminal without colour: %q", r.stdout)
	}
	assertNoSecretsUsed(t, h, calls)
}

// TestListPiped: off a terminal, each connection is one line of
// tab-separated values, whole, in the table's columns, with no header.
func TestListPiped(t *testing.T) {
	h := newHarness(t)
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	seedList(t, h, now)
	long := strings.Repeat("A long description that no terminal shows whole. ", 3)
	h.seed(store.Connection{Name: "long", Description: long, ClientID: "0oa1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9"}, canary)
	r := h.run("", "list")
	r.want(t, 0)
	want := []string{
		"\tprod\tProduction tenant\tacme.zslogin.net\tcid-0oa1b2c3\tverified 2h ago\texpires in 5 days",
		"*\tbeta\t\tacme.zsloginbeta.net\tcid-beta\tfailed: rejected\texpired",
		"\tfresh\t\tacme.zslogin.net\tcid-0oa1b2c3\tnever verified\t",
		"\tlong\t" + strings.TrimSpace(long) + "\tacme.zslogin.net\t0oa1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9\tnever verified\t",
	}
	if got := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	for i, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		if n := strings.Count(line, "\t"); n != 6 {
			t.Errorf("line %d has %d tabs; want 6, one between each of the 7 columns", i+1, n)
		}
	}
}

// TestListFits checks the table on terminals 60, 80 and 120 columns wide:
// no line is wider than the terminal, the description gives up room
// first, then the client ID, and the goldens show how.
func TestListFits(t *testing.T) {
	for _, width := range []int{60, 80, 120} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			h := newHarness(t)
			seedList(t, h, time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
			h.seed(store.Connection{Name: "eu-production", Description: "EU production, managed by the identity team",
				ClientID: "0oa1b2c3d4e5f6g7h8i9"}, canary)
			h.width = width
			r := h.run("", "list")
			r.want(t, 0)
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			if len(lines) != 5 {
				t.Errorf("%d lines; want 5, the header and one per connection, none wrapped", len(lines))
			}
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > width {
					t.Errorf("line %q is %d columns wide; want at most %d", l, w, width)
				}
			}
			golden.RequireEqual(t, r.stdout)
		})
	}
}

func TestListJSON(t *testing.T) {
	h := newHarness(t)
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	seedList(t, h, now)
	calls := h.mem.Calls()
	r := h.run("", "list", "--json")
	r.want(t, 0)
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("list --json is not a JSON array: %v\n%s", err, r.stdout)
	}
	// The ZPA IDs are strings: as numbers, JavaScript and jq would round
	// them (216196257331281920 has more digits than a double holds).
	want := []map[string]any{
		{"name": "prod", "description": "Production tenant", "vanity_domain": "acme", "cloud": "production", "client_id": clientID,
			"secret_expires": "2026-12-03", "default": false, "last_verified": now.Add(-2 * time.Hour).Format(time.RFC3339), "last_result": "ok",
			"auth_method": "secret", "zpa_customer_id": "216196257331281920", "zpa_microtenant_id": "216196257331281921", "partner_id": nil,
			"user_management": nil},
		{"name": "beta", "description": nil, "vanity_domain": "acme", "cloud": "beta", "client_id": "cid-beta",
			"secret_expires": "2026-11-01", "default": true, "last_verified": now.Add(-time.Hour).Format(time.RFC3339), "last_result": "rejected",
			"auth_method": "private_key", "zpa_customer_id": nil, "zpa_microtenant_id": nil, "partner_id": "partner-7",
			"user_management": nil},
		{"name": "fresh", "description": nil, "vanity_domain": "acme", "cloud": "production", "client_id": clientID,
			"secret_expires": nil, "default": false, "last_verified": nil, "last_result": nil,
			"auth_method": "secret", "zpa_customer_id": nil, "zpa_microtenant_id": nil, "partner_id": nil,
			"user_management": nil},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d objects; want %d", len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Errorf("object %d has fields %v; want exactly %d", i, keys(got[i]), len(want[i]))
		}
		for k, w := range want[i] {
			g, ok := got[i][k]
			if !ok {
				t.Errorf("object %d lacks %s", i, k)
				continue
			}
			if g != w {
				t.Errorf("object %d %s = %#v (%T); want %#v (%T)", i, k, g, g, w, w)
			}
		}
	}
	assertNoSecretsUsed(t, h, calls)
}

func TestListOnlyConnectionIsTheDefault(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "only"}, canary)
	s := h.store()
	c, _ := s.Find("only")
	// A file another zconn wrote may have no default flag; one connection is
	// still the default.
	if _, err := s.Update(t.Context(), c.ID, func(c *store.Connection) error { c.Default = false; return nil }); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	_ = json.Unmarshal([]byte(h.run("", "list", "--json").stdout), &got)
	if len(got) != 1 || got[0]["default"] != true {
		t.Errorf("got %v; want the only connection as the default", got)
	}
}

func TestListCleansWhatItShows(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod", Description: "plain"}, canary)
	// Someone edits the file by hand and slips in escape sequences.
	path := filepath.Join(h.dir, store.FileName)
	b, _ := os.ReadFile(path)
	b = []byte(strings.Replace(string(b), `"plain"`, `"\u001b]0;owned\u0007evil\u001b[2J"`, 1))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.run("", "list")
	r.want(t, 0)
	if strings.ContainsAny(r.stdout, "\x1b\x07") || !strings.Contains(r.stdout, "evil") {
		t.Errorf("got %q; want the description without escape sequences", r.stdout)
	}
}

func TestListCorruptFile(t *testing.T) {
	h := newHarness(t)
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(h.dir, store.FileName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.run("", "list").want(t, 1, "fix the file or move it aside")
}

// assertNoSecretsUsed checks that a command neither opened the keychain nor
// reached the network.
func assertNoSecretsUsed(t *testing.T, h *harness, callsBefore int) {
	t.Helper()
	if n := h.mem.Calls() - callsBefore; n != 0 {
		t.Errorf("made %d keychain calls; want 0", n)
	}
	if n := h.opened.Load(); n != 0 {
		t.Errorf("opened the secrets backend %d times; want 0", n)
	}
	if n := h.srv.Requests(); n != 0 {
		t.Errorf("made %d requests; want 0", n)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
