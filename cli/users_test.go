package cli_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// forbiddenWarning is what add and test say of a role without user
// management.
const forbiddenWarning = "warning: the API client's role lacks user management: in the ZIdentity portal, Integration > API Clients > this client > Resources > Scopes > ZIAM, choose an admin role with user management"

// TestUsersCheckOutput: add, test and edit make the users check, say what it
// found, warn when a person must act, and record it for list; none of the
// answers fails the command.
func TestUsersCheckOutput(t *testing.T) {
	tests := []struct {
		name  string
		setup func(h *harness)
		flags []string
		// summary ends the verified line; warning is the stderr line.
		summary, warning string
		recorded         string
		status           string
		usersRequests    int
	}{
		{"proven", nil, nil, "user management proven", "", "ok", "verified just now", 1},
		{"forbidden", func(h *harness) { h.srv.SetUsersStatus(http.StatusForbidden) }, nil,
			"no user management", forbiddenWarning, "forbidden", "verified just now, no user management", 1},
		{"no ZIAM", func(h *harness) {
			h.srv.AddClient(zidentitytest.Client{ID: clientID, Secret: canary, Services: []zidentitytest.Service{{Product: "ZIA", Role: "Admin"}}})
		}, nil, "no user management", "warning: the token of prod grants no ZIAM scope", "forbidden", "verified just now, no ZIAM", 1},
		{"unauthorized", func(h *harness) { h.srv.SetUsersStatus(http.StatusUnauthorized) }, nil,
			"user management not proven", "warning: the ZIdentity API did not accept the token, so user management is not proven", "unauthorized", "verified just now, user management not proven", 1},
		{"unavailable", func(h *harness) { h.srv.SetUsersStatus(http.StatusBadGateway) }, nil,
			"user management not proven", "warning: the ZIdentity API at 127.0.0.1:", "unavailable", "verified just now, user management not proven", 1},
		{"skipped", nil, []string{"--skip-users-check"}, "user management not checked", "", "not_checked", "verified just now", 0},
	}
	for _, tt := range tests {
		for _, cmd := range []string{"add", "test", "edit"} {
			if cmd == "edit" && tt.flags != nil {
				continue // edit has no --skip-users-check
			}
			t.Run(tt.name+"/"+cmd, func(t *testing.T) {
				h := newHarness(t)
				if tt.setup != nil {
					tt.setup(h)
				}
				var r result
				switch cmd {
				case "add":
					r = h.run(canary, addArgs(tt.flags...)...)
				case "test":
					h.seed(store.Connection{Name: "prod"}, canary)
					r = h.run("", append([]string{"test", "prod"}, tt.flags...)...)
				case "edit":
					h.seed(store.Connection{Name: "prod"}, canary)
					r = h.run(canary, "edit", "prod", "--rotate-secret")
				}
				if tt.warning == "" {
					r.want(t, 0)
				} else {
					r.want(t, 0, tt.warning)
				}
				if !strings.Contains(r.stdout, ", "+tt.summary+"\n") && !strings.Contains(r.stdout, ", "+tt.summary+".\n") {
					t.Errorf("stdout %q; want the verified line to end with %q", r.stdout, tt.summary)
				}
				if got := h.srv.UsersRequests(); got != tt.usersRequests {
					t.Errorf("users requests = %d; want %d", got, tt.usersRequests)
				}
				var listed []map[string]any
				if err := json.Unmarshal([]byte(h.run("", "list", "--json").stdout), &listed); err != nil || len(listed) != 1 {
					t.Fatalf("list --json: %v", err)
				}
				if got := listed[0]["user_management"]; got != tt.recorded {
					t.Errorf("list --json user_management = %v; want %q", got, tt.recorded)
				}
				if table := h.run("", "list").stdout; !strings.Contains(table, "\t"+tt.status+"\t") {
					t.Errorf("list shows\n%s\nwant the status %q", table, tt.status)
				}
				assertNoUserData(t, h, r)
			})
		}
	}
}

// assertNoUserData checks that the person the users API answered with is
// in no output and not in the metadata file.
func assertNoUserData(t *testing.T, h *harness, r result) {
	t.Helper()
	for where, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "the metadata file": h.metadata()} {
		if strings.Contains(text, zidentitytest.UserCanary) {
			t.Errorf("%s holds the user the users API returned", where)
		}
	}
}

// TestUsersCheckJSON: test --json gives what the users check found, and
// null for a connection whose token failed.
func TestUsersCheckJSON(t *testing.T) {
	h := newHarness(t)
	seedMixed(t, h)
	h.srv.SetUsersStatus(http.StatusForbidden)
	r := h.run("", "test", "--all", "--json", "--skip-users-check")
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 3 {
		t.Fatalf("got %s (%v); want 3 objects", r.stdout, err)
	}
	for i, want := range []any{"not_checked", nil, "not_checked"} {
		if got[i]["user_management"] != want {
			t.Errorf("%s user_management = %v; want %v", got[i]["name"], got[i]["user_management"], want)
		}
	}
	r = h.run("", "test", "--all")
	if !strings.Contains(r.stdout, "products ZIAM, ZIA, no user management") {
		t.Errorf("test --all shows\n%s\nwant the forbidden result on the connection's line", r.stdout)
	}
	if h.srv.UsersRequests() != 2 {
		t.Errorf("users requests = %d; want 2: one per working token, none when skipped", h.srv.UsersRequests())
	}
}

// TestAPIURL: ZCONN_API_URL takes the users check elsewhere, is refused up
// front unless https, and doctor says where the check goes.
func TestAPIURL(t *testing.T) {
	t.Run("not https", func(t *testing.T) {
		for _, args := range [][]string{addArgs(), {"test", "prod"}, {"import", "--from-env"}} {
			h := newHarness(t)
			h.seed(store.Connection{Name: "other"}, canary)
			h.env["ZCONN_API_URL"] = "http://api.example.test"
			h.run(canary, args...).want(t, 2, "zconn: ZCONN_API_URL must start with https:// so the token is never sent in clear: fix it or unset it")
			if h.srv.Requests() != 0 || h.srv.UsersRequests() != 0 {
				t.Errorf("%s: %d requests; want none", args[0], h.srv.Requests())
			}
		}
	})
	t.Run("elsewhere", func(t *testing.T) {
		h := newHarness(t)
		// The fake answers the users API only at its root: a request
		// that reaches it under another base finds nothing there.
		h.env["ZCONN_API_URL"] = h.srv.URL + "/elsewhere"
		h.run(canary, addArgs()...).want(t, 0, "warning: the ZIdentity API at 127.0.0.1:")
		if c, _ := h.find("prod"); c.Verification == nil || c.Verification.UserManagement != "unavailable" || h.srv.UsersRequests() != 0 {
			t.Errorf("recorded %+v after %d users requests; want unavailable, asked elsewhere", c.Verification, h.srv.UsersRequests())
		}
		r := h.run("", "doctor")
		if want := "note ZCONN_API_URL is set: the users check goes to " + h.srv.URL + "/elsewhere instead of the cloud's API"; !strings.Contains(r.stdout, want) {
			t.Errorf("doctor says\n%s\nwant %q", r.stdout, want)
		}
	})
	t.Run("doctor refuses a bad one", func(t *testing.T) {
		h := newHarness(t)
		h.env["ZCONN_API_URL"] = "https://api.example.test/?x=1"
		r := h.run("", "doctor")
		if want := "FAIL ZCONN_API_URL holds a query, fragment or user"; r.code != 1 || !strings.Contains(r.stdout, want) {
			t.Errorf("exit %d, doctor says\n%s\nwant 1 and %q", r.code, r.stdout, want)
		}
	})
}
