package cli_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

func TestTestDefault(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	r := h.run("", "test")
	r.want(t, 0)
	if want := "ok   prod: token lifetime 1 hour, products ZIAM, ZIA, user management proven\n"; r.stdout != want {
		t.Errorf("got %q; want %q", r.stdout, want)
	}
	c, _ := h.find("prod")
	if c.Verification == nil || !c.Verification.OK {
		t.Errorf("recorded %+v; want a successful verification", c.Verification)
	}
}

func TestTestFailures(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		setup   func(h *harness)
		code    int
		message string
	}{
		{"rejected", []string{"test", "prod"}, func(h *harness) { h.srv.SetClientFailure(clientID, zidentitytest.Reject) }, 1,
			"zconn: testing prod: the client ID or secret was rejected"},
		{"secret missing", []string{"test"}, func(h *harness) {
			c, _ := h.find("prod")
			h.mem.Remove(c.ID)
		}, 1, "zconn: testing prod: the secret of \"prod\" is missing from the memory keychain: enter it again"},
		{"unknown", []string{"test", "nosuch"}, nil, 1, `zconn: no such connection named "nosuch"`},
		{"no default", []string{"test"}, func(h *harness) {
			h.seed(store.Connection{Name: "other"}, canary)
			s := h.store()
			for _, n := range []string{"prod", "other"} {
				c, _ := s.Find(n)
				_, _ = s.Update(t.Context(), c.ID, func(c *store.Connection) error { c.Default = false; return nil })
			}
		}, 2, "zconn: no default connection: name a connection, or choose one with zconn use NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod"}, canary)
			if tt.setup != nil {
				tt.setup(h)
			}
			r := h.run("", tt.args...)
			r.want(t, tt.code, tt.message)
			if r.stdout != "" {
				t.Errorf("stdout %q; want nothing", r.stdout)
			}
		})
	}
}

func TestTestNoConnections(t *testing.T) {
	h := newHarness(t)
	h.run("", "test").want(t, 1, "zconn: no such connection: no connections yet: add one with zconn new or zconn add")
	r := h.run("", "test", "--all")
	r.want(t, 0)
	if !strings.Contains(r.stdout, "No connections to test") {
		t.Errorf("got %q", r.stdout)
	}
}

func seedMixed(t *testing.T, h *harness) {
	t.Helper()
	h.srv.AddClient(zidentitytest.Client{ID: "cid-bad", Secret: "s", Failure: zidentitytest.Reject})
	h.seed(store.Connection{Name: "prod"}, canary)
	h.seed(store.Connection{Name: "broken", ClientID: "cid-bad"}, "s")
	h.seed(store.Connection{Name: "beta", Cloud: "beta"}, canary)
}

func TestTestAll(t *testing.T) {
	h := newHarness(t)
	seedMixed(t, h)
	r := h.run("", "test", "--all")
	r.want(t, 1, "zconn: 1 of 3 connections failed: see the FAIL lines")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines; want a header and 3:\n%s", len(lines), r.stdout)
	}
	for i, want := range []string{"ok    prod    acme.zslogin.net", "FAIL  broken  acme.zslogin.net      the client ID or secret was rejected", "ok    beta    acme.zsloginbeta.net  token lifetime 1 hour"} {
		if !strings.HasPrefix(lines[i+1], want) {
			t.Errorf("line %d = %q; want it to start with %q", i+1, lines[i+1], want)
		}
	}
	// Each result is recorded for list.
	var listed []map[string]any
	_ = json.Unmarshal([]byte(h.run("", "list", "--json").stdout), &listed)
	for i, want := range []string{"ok", "rejected", "ok"} {
		if listed[i]["last_result"] != want {
			t.Errorf("%s last_result = %v; want %s", listed[i]["name"], listed[i]["last_result"], want)
		}
	}
}

func TestTestJSON(t *testing.T) {
	h := newHarness(t)
	seedMixed(t, h)
	r := h.run("", "test", "--all", "--json")
	r.want(t, 1, "1 of 3 connections failed")
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(got) != 3 {
		t.Fatalf("got %d objects; want 3", len(got))
	}
	fields := []string{"name", "ok", "category", "message", "token_lifetime_seconds", "products", "roles", "audience_sent", "user_management"}
	for i, o := range got {
		if len(o) != len(fields) {
			t.Errorf("object %d has fields %v; want %v", i, keys(o), fields)
		}
		for _, f := range fields {
			if _, ok := o[f]; !ok {
				t.Errorf("object %d lacks %s", i, f)
			}
		}
	}
	ok, bad := got[0], got[1]
	checks := []struct {
		what      string
		got, want any
	}{
		{"ok name", ok["name"], "prod"},
		{"ok ok", ok["ok"], true},
		{"ok category", ok["category"], nil},
		{"ok message", ok["message"], nil},
		{"ok lifetime", ok["token_lifetime_seconds"], float64(3600)},
		{"bad name", bad["name"], "broken"},
		{"bad ok", bad["ok"], false},
		{"bad category", bad["category"], "rejected"},
		{"bad lifetime", bad["token_lifetime_seconds"], nil},
		{"bad products", bad["products"], nil},
		{"ok audience sent", ok["audience_sent"], true},
		{"bad audience sent", bad["audience_sent"], nil},
		{"ok user management", ok["user_management"], "ok"},
		{"bad user management", bad["user_management"], nil},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#v (%T); want %#v", c.what, c.got, c.got, c.want)
		}
	}
	if p, _ := ok["products"].([]any); len(p) != 2 || p[0] != "ZIAM" || p[1] != "ZIA" {
		t.Errorf("products = %#v; want [ZIAM ZIA]", ok["products"])
	}
	if m, _ := bad["message"].(string); !strings.Contains(m, "copy both again") {
		t.Errorf("message = %q; want the fix", m)
	}
}

// TestTestAudienceRefused tests a connection whose tenant refuses the
// audience: the test passes, says so, and records it, so that the next
// test sends none and is not refused again.
func TestTestAudienceRefused(t *testing.T) {
	h := newHarness(t)
	h.srv.SetRefuseAudience(clientID, true)
	h.seed(store.Connection{Name: "prod"}, canary)
	r := h.run("", "test", "prod", "--json")
	r.want(t, 0)
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 1 || got[0]["ok"] != true || got[0]["audience_sent"] != false {
		t.Fatalf("got %s (%v); want a pass whose audience_sent is false", r.stdout, err)
	}
	if c, _ := h.find("prod"); !c.OmitAudience {
		t.Error("OmitAudience was not recorded")
	}
	before := h.srv.RequestsFor(clientID)
	r = h.run("", "test", "prod")
	r.want(t, 0)
	if want := "ok   prod: token lifetime 1 hour, products ZIAM, ZIA, audience not sent (the tenant refuses it), user management proven\n"; r.stdout != want {
		t.Errorf("stdout %q; want %q, without the note, known by now", r.stdout, want)
	}
	if got := h.srv.RequestsFor(clientID) - before; got != 1 {
		t.Errorf("the second test made %d requests; want 1, without the audience at once", got)
	}
}

// TestTestAudienceNote checks that a test that finds the tenant refusing
// the audience says so once, in words.
func TestTestAudienceNote(t *testing.T) {
	h := newHarness(t)
	h.srv.SetRefuseAudience(clientID, true)
	h.seed(store.Connection{Name: "prod"}, canary)
	r := h.run("", "test", "prod")
	r.want(t, 0)
	want := "ok   prod: token lifetime 1 hour, products ZIAM, ZIA, audience not sent (the tenant refuses it), user management proven\n" +
		"Note: the tenant of prod refuses the audience parameter, so zconn leaves it out of token requests; SDKs and tools that always send it may fail against this tenant\n"
	if r.stdout != want {
		t.Errorf("got\n%s\nwant\n%s", r.stdout, want)
	}
}

func TestTestOneJSON(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	r := h.run("", "test", "prod", "--json")
	r.want(t, 0)
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 1 || got[0]["ok"] != true {
		t.Errorf("got %s (%v); want an array of one passing object", r.stdout, err)
	}
}

// TestTestFits checks test --all's table on terminals 60, 80 and 120
// columns wide: no line is wider than the terminal, the tenant gives up
// room first, and a long result wraps in its column rather than under the
// others.
func TestTestFits(t *testing.T) {
	for _, width := range []int{60, 80, 120} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			h := newHarness(t)
			seedMixed(t, h)
			h.width = width
			r := h.run("", "test", "--all")
			r.want(t, 1, "zconn: 1 of 3 connections failed: see the FAIL lines")
			for _, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
				if w := ansi.StringWidth(l); w > width {
					t.Errorf("line %q is %d columns wide; want at most %d", l, w, width)
				}
			}
			golden.RequireEqual(t, r.stdout)
		})
	}
}
