package zidentity_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

func TestAPIBaseURL(t *testing.T) {
	tests := []struct {
		cloud zidentity.Cloud
		want  string
	}{
		{"", "https://api.zsapi.net"},
		{zidentity.Production, "https://api.zsapi.net"},
		{zidentity.Beta, "https://api.beta.zsapi.net"},
		{"alpha", "https://api.alpha.zsapi.net"},
		{zidentity.Gov, "https://api.zscalergov.net"},
		{zidentity.GovUS, "https://api.zscalergov.us"},
	}
	for _, tt := range tests {
		t.Run(tt.cloud.String(), func(t *testing.T) {
			if got := zidentity.APIBaseURL(tt.cloud); got != tt.want {
				t.Errorf("APIBaseURL(%q) = %q; want %q", tt.cloud, got, tt.want)
			}
		})
	}
}

func TestUsersURL(t *testing.T) {
	beta := zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Beta}
	tests := []struct {
		name, base, api, want string
	}{
		{"by cloud", "", "", "https://api.beta.zsapi.net/ziam/admin/api/v1/users?limit=1"},
		{"api override", "", "https://api.test:8443/x/", "https://api.test:8443/x/ziam/admin/api/v1/users?limit=1"},
		{"identity override only", "https://127.0.0.1:9443", "", "https://127.0.0.1:9443/ziam/admin/api/v1/users?limit=1"},
		{"both overrides", "https://127.0.0.1:9443", "https://api.test", "https://api.test/ziam/admin/api/v1/users?limit=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &zidentity.Client{BaseURL: tt.base, APIBaseURL: tt.api}
			got, err := c.UsersURL(beta)
			if err != nil {
				t.Fatalf("UsersURL: %v", err)
			}
			if got != tt.want {
				t.Errorf("UsersURL = %q; want %q", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"http://api.test", "api.test", "https://api.test/?q=1", "https://u:p@api.test"} {
		c := &zidentity.Client{APIBaseURL: bad}
		if got, err := c.UsersURL(beta); err == nil {
			t.Errorf("UsersURL with %q = %q; want an error", bad, got)
		} else if !strings.Contains(err.Error(), "ZCONN_API_URL") {
			t.Errorf("error %q; want it to name ZCONN_API_URL", err)
		}
	}
}

// usersSetup starts the fake with a client with ZIAM and one without.
func usersSetup(t *testing.T) (*zidentitytest.Server, *zidentity.Client) {
	t.Helper()
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: "admin", Secret: canary})
	srv.AddClient(zidentitytest.Client{ID: "reader", Secret: canary, Services: []zidentitytest.Service{{Product: "ZIA", Role: "Read Only"}}})
	return srv, &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.HTTPClient(), Timeout: 5 * time.Second}
}

func tokenFor(t *testing.T, c *zidentity.Client, id string) string {
	t.Helper()
	tok, err := c.Token(context.Background(), zidentity.Credentials{ClientID: id, ClientSecret: canary})
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	return tok.AccessToken
}

// TestCheckUserManagement reads each answer of the fake's users endpoint.
func TestCheckUserManagement(t *testing.T) {
	tests := []struct {
		name     string
		token    func(t *testing.T, c *zidentity.Client) string
		status   int
		want     zidentity.UserManagement
		category zidentity.Category
	}{
		{"token with ZIAM", func(t *testing.T, c *zidentity.Client) string { return tokenFor(t, c, "admin") }, 0, zidentity.UsersOK, 0},
		{"token without ZIAM", func(t *testing.T, c *zidentity.Client) string { return tokenFor(t, c, "reader") }, 0, zidentity.UsersForbidden, 0},
		{"token not issued", func(*testing.T, *zidentity.Client) string {
			return zidentitytest.Token("admin", zidentitytest.DefaultServices, time.Hour)
		}, 0, zidentity.UsersUnauthorized, 0},
		{"503", func(t *testing.T, c *zidentity.Client) string { return tokenFor(t, c, "admin") }, 503, zidentity.UsersUnavailable, zidentity.ServiceError},
		{"500", func(t *testing.T, c *zidentity.Client) string { return tokenFor(t, c, "admin") }, 500, zidentity.UsersUnavailable, zidentity.ServiceError},
		{"429", func(t *testing.T, c *zidentity.Client) string { return tokenFor(t, c, "admin") }, 429, zidentity.UsersUnavailable, zidentity.RateLimited},
		{"404", func(t *testing.T, c *zidentity.Client) string { return tokenFor(t, c, "admin") }, 404, zidentity.UsersUnavailable, zidentity.UnexpectedStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := usersSetup(t)
			tok := tt.token(t, c)
			srv.SetUsersStatus(tt.status)
			got, err := c.CheckUserManagement(context.Background(), zidentity.Tenant{Vanity: "acme"}, tok)
			if got != tt.want {
				t.Errorf("CheckUserManagement = %q; want %q (%v)", got, tt.want, err)
			}
			if tt.category == 0 && err != nil {
				t.Errorf("err = %v; want nil: %s is an answer, not a failure", err, got)
			}
			if tt.category != 0 {
				if zidentity.CategoryOf(err) != tt.category {
					t.Errorf("category = %v; want %v (%v)", zidentity.CategoryOf(err), tt.category, err)
				}
				assertErrorHoldsNoSecret(t, err, tok)
			}
			if n := srv.UsersRequests(); n != 1 {
				t.Errorf("users requests = %d; want exactly 1", n)
			}
		})
	}
}

func TestUserManagementNames(t *testing.T) {
	for u, want := range map[zidentity.UserManagement]string{
		zidentity.UsersOK: "ok", zidentity.UsersForbidden: "forbidden", zidentity.UsersUnauthorized: "unauthorized",
		zidentity.UsersUnavailable: "unavailable", zidentity.UsersNotChecked: "not_checked",
	} {
		if u.String() != want {
			t.Errorf("%q.String() = %q; want %q", u, u.String(), want)
		}
	}
	if w := zidentity.UsersForbidden.Warning(); !strings.Contains(w, "Resources > Scopes > ZIAM") {
		t.Errorf("forbidden warning %q; want the portal path to the fix", w)
	}
	if zidentity.UsersOK.Warning() != "" || zidentity.UsersNotChecked.Warning() != "" {
		t.Error("ok and not_checked have warnings; want none")
	}
}

// TestCheckUserManagementFailures covers the network: a refused
// connection, a hang, a redirect, an endless or hostile body.
func TestCheckUserManagementFailures(t *testing.T) {
	const token = "eyJ.tok-" + canary
	serve := func(t *testing.T, h http.HandlerFunc) *zidentity.Client {
		srv := httptest.NewTLSServer(h)
		t.Cleanup(srv.Close)
		return &zidentity.Client{APIBaseURL: srv.URL, HTTPClient: srv.Client(), Timeout: 2 * time.Second}
	}
	t.Run("connection refused", func(t *testing.T) {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := l.Addr().String()
		_ = l.Close()
		c := &zidentity.Client{APIBaseURL: "https://" + addr}
		got, err := c.CheckUserManagement(context.Background(), zidentity.Tenant{Vanity: "acme"}, token)
		if got != zidentity.UsersUnavailable || zidentity.CategoryOf(err) != zidentity.CannotConnect {
			t.Errorf("got %q, %v; want unavailable, cannot_connect", got, err)
		}
		assertErrorHoldsNoSecret(t, err, token)
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		c := serve(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
				// No answer at all, not an empty 200 that could race
				// the client's deadline.
				panic(http.ErrAbortHandler)
			}
		})
		defer close(release)
		c.Timeout = 50 * time.Millisecond
		got, err := c.CheckUserManagement(context.Background(), zidentity.Tenant{Vanity: "acme"}, token)
		if got != zidentity.UsersUnavailable || zidentity.CategoryOf(err) != zidentity.Timeout {
			t.Errorf("got %q, %v; want unavailable, timeout", got, err)
		}
	})
	t.Run("redirect not followed", func(t *testing.T) {
		var followed atomic.Bool
		c := serve(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/elsewhere" {
				followed.Store(true)
			}
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		})
		got, err := c.CheckUserManagement(context.Background(), zidentity.Tenant{Vanity: "acme"}, token)
		if got != zidentity.UsersUnavailable || zidentity.CategoryOf(err) != zidentity.Redirected || followed.Load() {
			t.Errorf("got %q, %v, followed %v; want unavailable, redirected, not followed", got, err, followed.Load())
		}
	})
	t.Run("endless body", func(t *testing.T) {
		c := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			chunk := []byte(strings.Repeat(`{"loginName":"`+zidentitytest.UserCanary+`"},`, 100))
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		})
		got, err := c.CheckUserManagement(context.Background(), zidentity.Tenant{Vanity: "acme"}, token)
		if got != zidentity.UsersOK || err != nil {
			t.Errorf("got %q, %v; want ok without reading the whole body", got, err)
		}
	})
	t.Run("hostile failure", func(t *testing.T) {
		c := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://"+zidentitytest.UserCanary)
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, `{"error":"`+r.Header.Get("Authorization")+`","user":"`+zidentitytest.UserCanary+`"}`)
		})
		got, err := c.CheckUserManagement(context.Background(), zidentity.Tenant{Vanity: "acme"}, token)
		if got != zidentity.UsersUnavailable {
			t.Errorf("got %q; want unavailable", got)
		}
		assertErrorHoldsNoSecret(t, err, token)
		var e *zidentity.Error
		if errors.As(err, &e) && (strings.Contains(err.Error(), zidentitytest.UserCanary) || e.Description != "") {
			t.Errorf("error %q (description %q) shows the answer; want the status only", err, e.Description)
		}
	})
	t.Run("no token", func(t *testing.T) {
		got, err := (&zidentity.Client{}).CheckUserManagement(context.Background(), zidentity.Tenant{Vanity: "acme"}, " ")
		if got != zidentity.UsersNotChecked || zidentity.CategoryOf(err) != zidentity.Invalid {
			t.Errorf("got %q, %v; want not_checked, invalid", got, err)
		}
	})
}
