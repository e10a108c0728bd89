package manager_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// noZIAM are the services of a client whose role lacks user management.
var noZIAM = []zidentitytest.Service{{Product: "ZIA", Role: "Super Admin"}}

// TestUsersCheckIsRecorded: every path that obtains a token records what
// the users API said, and none of the answers fails the verification.
func TestUsersCheckIsRecorded(t *testing.T) {
	paths := []struct {
		name string
		// verify obtains a token for the client "cid" and returns the
		// saved connection.
		verify func(t *testing.T, f fixture) store.Connection
	}{
		{"add", func(t *testing.T, f fixture) store.Connection {
			c, _, err := f.m.Add(t.Context(), draft("prod"), canary, true)
			must(t, err)
			return c
		}},
		{"verify then create (the wizard)", func(t *testing.T, f fixture) store.Connection {
			v, _, err := f.m.Verify(t.Context(), draft("prod"), canary)
			must(t, err)
			c, err := f.m.Create(t.Context(), draft("prod"), canary, &v)
			must(t, err)
			return c
		}},
		{"test", func(t *testing.T, f fixture) store.Connection {
			c, _, err := f.m.Add(t.Context(), draft("prod"), canary, false)
			must(t, err)
			r := f.m.Test(t.Context(), c)
			must(t, r.Err)
			saved, _ := f.m.Store.FindID(c.ID)
			return saved
		}},
		{"rotate", func(t *testing.T, f fixture) store.Connection {
			c, _, err := f.m.Add(t.Context(), draft("prod"), "old", false)
			must(t, err)
			c, _, err = f.m.Rotate(t.Context(), c, canary, nil)
			must(t, err)
			return c
		}},
		{"edit the tenant", func(t *testing.T, f fixture) store.Connection {
			c, _, err := f.m.Add(t.Context(), store.Connection{Name: "prod", Vanity: "other", ClientID: "cid"}, canary, false)
			must(t, err)
			vanity := "acme"
			c, _, err = f.m.Edit(t.Context(), c, manager.Changes{Vanity: &vanity})
			must(t, err)
			return c
		}},
	}
	answers := []struct {
		name     string
		services []zidentitytest.Service
		status   int
		want     zidentity.UserManagement
	}{
		{"role with user management", nil, 0, zidentity.UsersOK},
		{"role without it", noZIAM, 0, zidentity.UsersForbidden},
		{"API refuses the token", nil, http.StatusUnauthorized, zidentity.UsersUnauthorized},
		{"API fails", nil, http.StatusServiceUnavailable, zidentity.UsersUnavailable},
	}
	for _, p := range paths {
		for _, a := range answers {
			t.Run(p.name+"/"+a.name, func(t *testing.T) {
				f := setup(t)
				f.srv.AddClient(zidentitytest.Client{ID: "cid", Secret: canary, Services: a.services})
				f.srv.SetUsersStatus(a.status)
				c := p.verify(t, f)
				if c.Verification == nil || !c.Verification.OK {
					t.Fatalf("verification %+v; want a success whatever the users API said", c.Verification)
				}
				if got := zidentity.UserManagement(c.Verification.UserManagement); got != a.want {
					t.Errorf("user_management = %q; want %q", got, a.want)
				}
				if saved, _ := f.m.Store.FindID(c.ID); saved.Verification == nil || saved.Verification.UserManagement != string(a.want) {
					t.Errorf("saved verification %+v; want user_management %q", saved.Verification, a.want)
				}
				if got := f.srv.UsersRequests(); got != 1 {
					t.Errorf("users requests = %d; want 1", got)
				}
				assertNoUserData(t, f)
			})
		}
	}
}

// assertNoUserData checks that the person the users API answered with is
// nowhere in the metadata file.
func assertNoUserData(t *testing.T, f fixture) {
	t.Helper()
	b, err := os.ReadFile(f.m.Store.Path())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if strings.Contains(string(b), zidentitytest.UserCanary) || strings.Contains(string(b), "Jane") {
		t.Error("the metadata file holds the user the users API returned")
	}
}

// TestUsersCheckNotMade: skipped, or without a token, no users request is
// made; a skipped check records not_checked, a failed verification
// nothing.
func TestUsersCheckNotMade(t *testing.T) {
	t.Run("skipped", func(t *testing.T) {
		f := setup(t)
		m := f.m
		m.Users = nil
		c, _, err := m.Add(t.Context(), draft("prod"), canary, true)
		must(t, err)
		if got := c.Verification.UserManagement; got != string(zidentity.UsersNotChecked) {
			t.Errorf("user_management = %q; want not_checked", got)
		}
		r := m.Test(t.Context(), c)
		must(t, r.Err)
		if got := r.Connection.Verification.UserManagement; got != string(zidentity.UsersNotChecked) {
			t.Errorf("after test user_management = %q; want not_checked", got)
		}
		if f.srv.UsersRequests() != 0 {
			t.Errorf("users requests = %d; want none", f.srv.UsersRequests())
		}
	})
	t.Run("rejected", func(t *testing.T) {
		f := setup(t)
		v, _, err := f.m.Verify(t.Context(), draft("prod"), "wrong")
		if err == nil || v.OK {
			t.Fatalf("Verify = %v; want a rejection", err)
		}
		if v.UserManagement != "" || f.srv.UsersRequests() != 0 {
			t.Errorf("user_management %q after %d users requests; want none recorded and none made", v.UserManagement, f.srv.UsersRequests())
		}
	})
	t.Run("no checker", func(t *testing.T) {
		f := setup(t)
		m := manager.New(f.m.Store, verifierOnly{f.m.Verifier})
		v, _, err := m.Verify(t.Context(), draft("prod"), canary)
		must(t, err)
		if v.UserManagement != string(zidentity.UsersNotChecked) {
			t.Errorf("user_management = %q; want not_checked", v.UserManagement)
		}
	})
	t.Run("canceled during the check", func(t *testing.T) {
		f := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		f.m.Users = checkerFunc(func(ctx context.Context, _ zidentity.Tenant, _ string) (zidentity.UserManagement, error) {
			cancel()
			<-ctx.Done()
			return zidentity.UsersUnavailable, &zidentity.Error{Category: zidentity.Canceled, Err: ctx.Err()}
		})
		v, _, err := f.m.Verify(ctx, draft("prod"), canary)
		must(t, err)
		if v.UserManagement != string(zidentity.UsersNotChecked) {
			t.Errorf("user_management = %q; want not_checked: a canceled check proves nothing", v.UserManagement)
		}
	})
}

// TestUsersCheckOfATokenNotIssued: the users API answers 401 for a token
// its ZIdentity did not issue.
func TestUsersCheckOfATokenNotIssued(t *testing.T) {
	f := setup(t)
	client := f.m.Verifier.(*zidentity.Client)
	m := manager.New(f.m.Store, foreignTokens{})
	m.Users = client
	v, _, err := m.Verify(t.Context(), draft("prod"), canary)
	must(t, err)
	if v.UserManagement != string(zidentity.UsersUnauthorized) {
		t.Errorf("user_management = %q; want unauthorized", v.UserManagement)
	}
}

// TestUsersCheckUnreachable: an API that cannot be reached is
// unavailable, and the verification still succeeds.
func TestUsersCheckUnreachable(t *testing.T) {
	f := setup(t)
	client := *f.m.Verifier.(*zidentity.Client)
	client.APIBaseURL = "https://127.0.0.1:1"
	client.Timeout = 5 * time.Second
	f.m.Users = &client
	c, _, err := f.m.Add(t.Context(), draft("prod"), canary, true)
	must(t, err)
	if c.Verification.UserManagement != string(zidentity.UsersUnavailable) {
		t.Errorf("user_management = %q; want unavailable", c.Verification.UserManagement)
	}
}

// TestStatusCarriesTheUsersCheck: the status front ends render says what
// the users check found, and flags a role without user management as it
// flags a token without ZIAM.
func TestStatusCarriesTheUsersCheck(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		v      *store.Verification
		want   zidentity.UserManagement
		noUM   bool
		noZIAM bool
	}{
		{"never verified", nil, "", false, false},
		{"verified before the check existed", &store.Verification{At: now, OK: true}, "", false, false},
		{"ok", &store.Verification{At: now, OK: true, UserManagement: "ok"}, zidentity.UsersOK, false, false},
		{"forbidden", &store.Verification{At: now, OK: true, UserManagement: "forbidden"}, zidentity.UsersForbidden, true, false},
		{"forbidden without ZIAM", &store.Verification{At: now, OK: true, Products: []string{"ZIA"}, UserManagement: "forbidden"}, zidentity.UsersForbidden, true, true},
		{"not checked", &store.Verification{At: now, OK: true, UserManagement: "not_checked"}, zidentity.UsersNotChecked, false, false},
		{"failed", &store.Verification{At: now, Category: "rejected"}, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := manager.StatusOf(store.Connection{Verification: tt.v})
			if s.UserManagement != tt.want || s.NoUserManagement != tt.noUM || s.NoZIAM != tt.noZIAM {
				t.Errorf("got users %q, no user management %v, no ZIAM %v; want %q, %v, %v", s.UserManagement, s.NoUserManagement, s.NoZIAM, tt.want, tt.noUM, tt.noZIAM)
			}
		})
	}
}

// verifierOnly hides the UsersChecker of a verifier.
type verifierOnly struct{ v manager.Verifier }

func (o verifierOnly) Token(ctx context.Context, cr zidentity.Credentials) (*zidentity.Token, error) {
	return o.v.Token(ctx, cr)
}

// foreignTokens issues tokens that no ZIdentity issued.
type foreignTokens struct{}

func (foreignTokens) Token(context.Context, zidentity.Credentials) (*zidentity.Token, error) {
	return &zidentity.Token{AccessToken: "not-issued-by-the-fake", Lifetime: time.Hour}, nil
}

type checkerFunc func(ctx context.Context, t zidentity.Tenant, accessToken string) (zidentity.UserManagement, error)

func (f checkerFunc) CheckUserManagement(ctx context.Context, t zidentity.Tenant, accessToken string) (zidentity.UserManagement, error) {
	return f(ctx, t, accessToken)
}
