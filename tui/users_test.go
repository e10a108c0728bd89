package tui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// checked is a verification two hours old whose users check found u.
func checked(u zidentity.UserManagement, products ...string) *store.Verification {
	if products == nil {
		products = []string{"ZIAM", "ZIA"}
	}
	return &store.Verification{At: clock.Add(-2 * time.Hour), OK: true, Lifetime: 3600, Products: products, Roles: []string{"Super Admin"}, UserManagement: string(u)}
}

// usersSeeded is a harness with a connection for every outcome of the
// users check, in the order of the table below.
func usersSeeded(t *testing.T) *harness {
	t.Helper()
	return newHarness(t,
		store.Connection{Name: "proven", Vanity: "acme", ClientID: "cid-123", Verification: checked(zidentity.UsersOK), Default: true},
		store.Connection{Name: "forbidden", Vanity: "acme", ClientID: "cid-123", Verification: checked(zidentity.UsersForbidden)},
		store.Connection{Name: "no-ziam", Vanity: "acme", ClientID: "cid-123", Verification: checked(zidentity.UsersForbidden, "ZIA")},
		store.Connection{Name: "refused", Vanity: "acme", ClientID: "cid-123", Verification: checked(zidentity.UsersUnauthorized)},
		store.Connection{Name: "down", Vanity: "acme", ClientID: "cid-123", Verification: checked(zidentity.UsersUnavailable)},
		store.Connection{Name: "skipped", Vanity: "acme", ClientID: "cid-123", Verification: checked(zidentity.UsersNotChecked)},
		store.Connection{Name: "before", Vanity: "acme", ClientID: "cid-123", Verification: checked("")},
	)
}

var usersCases = []struct {
	name string
	// status is the STATUS cell; detail, the details' User management row.
	status, detail string
}{
	{"proven", "✓ ok · 2h ago", "✓ proven: the ZIdentity users API answered the token"},
	{"forbidden", "⚠ no user mgmt · 2h ago", "⚠ the API client's role lacks user management: in the ZIdentity portal, Integration > API Clients > this client > Resources > Scopes > ZIAM, choose an admin role with user management"},
	{"no-ziam", "⚠ no ZIAM · 2h ago", "⚠ the API client's role lacks user management"},
	{"refused", "? users unproven · 2h ago", "? the ZIdentity API did not accept the token, so user management is not proven: check that the API client has the ZIAM scope"},
	{"down", "? users unproven · 2h ago", "? the ZIdentity API could not be asked, so user management is not proven: press t to test it"},
	{"skipped", "✓ ok · 2h ago", "· not checked: press t to test it"},
	{"before", "✓ ok · 2h ago", "· not checked: press t to test it"},
}

func TestUsersCheckOnTheConnectionsPage(t *testing.T) {
	h := usersSeeded(t)
	for _, width := range []int{120, 80} {
		h.send(teaSize(width, 24))
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			h.t = t
			h.golden()
			for _, tt := range usersCases {
				// A narrow page drops the time, never the state.
				want := tt.status
				if width == 80 {
					want, _, _ = strings.Cut(want, " · ")
				}
				if line := rowLine(t, h.text(), tt.name); !strings.Contains(line, want+" ") {
					t.Errorf("got row %q; want STATUS %q", line, want)
				}
			}
		})
	}
	h.t = t
	t.Run("forbidden in the warning tone of no ZIAM", func(t *testing.T) {
		s := h.m.c.styles
		now := h.m.c.now()
		var forbidden, noZIAM row
		for _, r := range h.m.home.rows {
			switch r.conn.Name {
			case "forbidden":
				forbidden = r
			case "no-ziam":
				noZIAM = r
			}
		}
		got, gotTone := forbidden.cellText(colStatus, now)
		_, wantTone := noZIAM.cellText(colStatus, now)
		if gotTone != wantTone || gotTone != toneWarning || !strings.HasPrefix(got, "⚠") {
			t.Errorf("forbidden is %q in tone %v; want ⚠ in the tone of no ZIAM (%v)", got, gotTone, wantTone)
		}
		if s.render(gotTone, "x") != s.Warning.Render("x") {
			t.Error("the warning tone does not render as a warning")
		}
	})
	t.Run("the accessible listing says it in full", func(t *testing.T) {
		var b strings.Builder
		conns, _ := h.mgr.Store.List()
		listPlain(&b, h.m.c, conns)
		if !strings.Contains(b.String(), "forbidden: tenant acme.zslogin.net, client ID cid-123, no user management · 2h ago.") {
			t.Errorf("got:\n%s\nwant forbidden with no user management in full", b.String())
		}
	})
}

// rowLine returns the line of the page that shows the connection name.
func rowLine(t *testing.T, page, name string) string {
	t.Helper()
	for _, l := range strings.Split(page, "\n") {
		if f := strings.Fields(strings.TrimLeft(l, " >*")); len(f) > 0 && f[0] == name {
			return l
		}
	}
	t.Fatalf("no row for %s in:\n%s", name, page)
	return ""
}

func TestUsersCheckInTheDetails(t *testing.T) {
	for i, tt := range usersCases {
		t.Run(tt.name, func(t *testing.T) {
			h := usersSeeded(t)
			for range i {
				h.press("down")
			}
			h.press("enter")
			for range 5 {
				h.press("j") // the row is at the end of the page
			}
			h.contains("User management " + tt.detail)
			if tt.name == "forbidden" {
				h.golden()
			}
		})
	}
	t.Run("none for a failed verification", func(t *testing.T) {
		bad := &store.Verification{At: clock.Add(-time.Hour), Category: "rejected", Message: "rejected"}
		h := newHarness(t, store.Connection{Name: "prod", Vanity: "acme", ClientID: "cid-123", Verification: bad})
		h.press("enter")
		if strings.Contains(h.text(), "User management") {
			t.Errorf("a failed verification shows a users check:\n%s", h.text())
		}
	})
}

func TestUsersCheckInTheVerifyResult(t *testing.T) {
	tests := []struct {
		name     string
		status   int // the users API's answer; 0 for the fake's own
		services []zidentitytest.Service
		// verify is what the verify page says; list, the new row's STATUS.
		verify, list string
	}{
		{name: "proven", verify: "User management ✓ proven: the ZIdentity users API answered the token", list: "✓ ok · just now"},
		{name: "forbidden", status: http.StatusForbidden,
			verify: "User management ⚠ the API client's role lacks user management: in the ZIdentity portal, Integration > API Clients > this client > Resources > Scopes > ZIAM, choose an admin role with user management",
			list:   "⚠ no user mgmt · just now"},
		{name: "forbidden without ZIAM", services: []zidentitytest.Service{{Product: "ZIA", Role: "Read Only"}},
			verify: "User management ⚠ not allowed: the token lacks ZIAM", list: "⚠ no ZIAM · just now"},
		{name: "unauthorized", status: http.StatusUnauthorized,
			verify: "User management ? the ZIdentity API did not accept the token, so user management is not proven", list: "? users unproven · just now"},
		{name: "unavailable", status: http.StatusServiceUnavailable,
			verify: "User management ? the ZIdentity API could not be asked, so user management is not proven: test it later with t on the Connections page",
			list:   "? users unproven · just now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.services != nil {
				h.srv.AddClient(zidentitytest.Client{ID: "cid-123", Secret: canary, Services: tt.services})
			}
			h.srv.SetUsersStatus(tt.status)
			fillForm(h, "prod", "acme", "cid-123")
			h.paste(canary)
			h.press("ctrl+s")
			h.contains("The credentials work", tt.verify)
			if tt.name == "forbidden" {
				h.golden()
			}
			if strings.Contains(h.text(), zidentitytest.UserCanary) {
				t.Error("the verify page shows the person the users API listed")
			}
			h.press("enter")
			state, _, _ := strings.Cut(tt.list, " · ")
			h.contains("Created prod", state)
			if c, _ := h.m.home.selected(); statusLabel(manager.StatusOf(c), false, clock).String() != tt.list {
				t.Errorf("got STATUS %q; want %q", statusLabel(manager.StatusOf(c), false, clock), tt.list)
			}
			if n := h.srv.UsersRequests(); n != 1 {
				t.Errorf("users requests = %d; want 1", n)
			}
		})
	}
}
