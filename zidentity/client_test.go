package zidentity_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// canary is a recognizable secret that must appear in no error text.
const canary = "zconn-canary-S3cr3t+/=&%20-7f1d"

const clientID = "api-client-1"

func setup(t *testing.T) (*zidentitytest.Server, *zidentity.Client, zidentity.Credentials) {
	t.Helper()
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: clientID, Secret: canary})
	c := &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.HTTPClient(), Timeout: 5 * time.Second}
	return srv, c, zidentity.Credentials{Tenant: zidentity.Tenant{Vanity: "acme"}, ClientID: clientID, ClientSecret: canary}
}

func TestTokenSuccess(t *testing.T) {
	srv, c, cr := setup(t)
	tok, err := c.Token(context.Background(), cr)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if tok.Lifetime != time.Hour {
		t.Errorf("Lifetime = %v; want 1h", tok.Lifetime)
	}
	if tok.TokenType != "Bearer" || tok.AccessToken == "" {
		t.Errorf("token type %q, access token empty %v", tok.TokenType, tok.AccessToken == "")
	}
	if got, want := tok.Claims.Products(), []string{"ZIAM", "ZIA"}; !slices.Equal(got, want) {
		t.Errorf("Products = %v; want %v", got, want)
	}
	if got, want := tok.Claims.Roles(), []string{"Super Admin"}; !slices.Equal(got, want) {
		t.Errorf("Roles = %v; want %v", got, want)
	}
	if !tok.Claims.HasProduct("ziam") {
		t.Error("HasProduct(ziam) = false; want true")
	}
	if tok.Claims.ID == "" || tok.Claims.IssuedAt.IsZero() || tok.Claims.ExpiresAt.Sub(tok.Claims.IssuedAt) != time.Hour {
		t.Errorf("claims jti %q iat %v exp %v; want a jti and exp = iat + 1h", tok.Claims.ID, tok.Claims.IssuedAt, tok.Claims.ExpiresAt)
	}
	if n := srv.Requests(); n != 1 {
		t.Errorf("requests = %d; want exactly 1", n)
	}
	if s := fmt.Sprintf("%v %+v %#v", tok, tok, cr); strings.Contains(s, tok.AccessToken) || strings.Contains(s, canary) {
		t.Errorf("formatting a token or credentials leaks them: %s", s)
	}
}

func TestTokenExpiresInAsString(t *testing.T) {
	srv, c, cr := setup(t)
	srv.SetExpiresInString(true)
	tok, err := c.Token(context.Background(), cr)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if tok.Lifetime != time.Hour {
		t.Errorf("Lifetime = %v; want 1h", tok.Lifetime)
	}
}

func TestTokenWithoutZIAM(t *testing.T) {
	srv, c, cr := setup(t)
	srv.AddClient(zidentitytest.Client{ID: clientID, Secret: canary, Services: []zidentitytest.Service{{Product: "ZIA", Role: "Read Only"}}})
	tok, err := c.Token(context.Background(), cr)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if tok.Claims.HasProduct(zidentity.ZIAM) {
		t.Error("HasProduct(ZIAM) = true; want false")
	}
}

func TestTokenNotAJWT(t *testing.T) {
	srv, c, cr := setup(t)
	srv.SetFailure(zidentitytest.NotAJWT)
	tok, err := c.Token(context.Background(), cr)
	if err != nil {
		t.Fatalf("Token with an opaque token: %v", err)
	}
	if tok.Claims.JWT || len(tok.Claims.Services) != 0 {
		t.Errorf("claims of an opaque token = %+v; want none", tok.Claims)
	}
	if tok.Lifetime != time.Hour {
		t.Errorf("Lifetime = %v; want 1h from expires_in", tok.Lifetime)
	}
}

// failures returns one case per error category the fake can produce.
func failures() []struct {
	name     string
	failure  zidentitytest.Failure
	category zidentity.Category
	mention  string
} {
	return []struct {
		name     string
		failure  zidentitytest.Failure
		category zidentity.Category
		mention  string
	}{
		{"rejected 401", zidentitytest.Reject, zidentity.Rejected, "invalid_client"},
		{"rejected 400", zidentitytest.RejectBadRequest, zidentity.Rejected, "Integration > API Clients"},
		{"forbidden", zidentitytest.Forbid, zidentity.Forbidden, "Active"},
		{"rate limited", zidentitytest.RateLimit, zidentity.RateLimited, "wait 30s"},
		{"service error", zidentitytest.ServerError, zidentity.ServiceError, "503"},
		{"not found", zidentitytest.NotFound, zidentity.UnexpectedStatus, "404"},
		{"not json", zidentitytest.NotJSON, zidentity.Malformed, "not JSON"},
		{"no access token", zidentitytest.NoAccessToken, zidentity.Malformed, "access_token"},
		{"oversized", zidentitytest.Oversized, zidentity.TooLarge, "1 MiB"},
		{"redirect", zidentitytest.Redirect, zidentity.Redirected, "elsewhere.example"},
		{"secret echoed", zidentitytest.EchoSecret, zidentity.Rejected, "[redacted]"},
	}
}

func TestTokenFailures(t *testing.T) {
	for _, tt := range failures() {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, cr := setup(t)
			srv.SetFailure(tt.failure)
			_, err := c.Token(context.Background(), cr)
			assertFailure(t, err, tt.category, tt.mention)
			if n := srv.Requests(); n != 1 {
				t.Errorf("requests = %d; want exactly 1 (no retry, no redirect followed)", n)
			}
		})
	}
}

func TestTokenWrongSecret(t *testing.T) {
	_, c, cr := setup(t)
	cr.ClientSecret = "not-the-secret"
	_, err := c.Token(context.Background(), cr)
	assertFailure(t, err, zidentity.Rejected, "copy both again")
}

func TestTokenRateLimitWithoutRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.Client(), Now: func() time.Time { return now }}
	_, err := c.Token(context.Background(), zidentity.Credentials{Tenant: zidentity.Tenant{Vanity: "acme"}, ClientID: "x", ClientSecret: canary})
	var e *zidentity.Error
	if !errors.As(err, &e) || e.RetryAfter != 90*time.Second {
		t.Fatalf("err = %v; want RetryAfter 1m30s from an HTTP date", err)
	}
}

func TestTokenServerMessageIsCleanedAndCut(t *testing.T) {
	long := "\x1b]0;owned\x07line1\nline2 " + strings.Repeat("x", 400)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": long})
	}))
	defer srv.Close()
	c := &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.Client()}
	_, err := c.Token(context.Background(), zidentity.Credentials{ClientID: "x", ClientSecret: canary})
	var e *zidentity.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v; want *Error", err)
	}
	if strings.ContainsAny(e.Description, "\x1b\x07\n") {
		t.Errorf("Description %q holds control characters", e.Description)
	}
	if n := len([]rune(e.Description)); n > 200 {
		t.Errorf("Description has %d characters; want at most 200", n)
	}
	if !strings.HasPrefix(e.Description, "line1 line2 xxx") {
		t.Errorf("Description = %q; want the cleaned message", e.Description)
	}
}

func TestTokenTimeout(t *testing.T) {
	srv, c, cr := setup(t)
	srv.SetDelay(time.Minute)
	c.Timeout = 50 * time.Millisecond
	_, err := c.Token(context.Background(), cr)
	assertFailure(t, err, zidentity.Timeout, "within 50ms")
}

func TestTokenCanceled(t *testing.T) {
	srv, c, cr := setup(t)
	srv.SetDelay(time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for srv.Requests() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.Token(ctx, cr)
	assertFailure(t, err, zidentity.Canceled, "canceled")
}

func TestTokenUntrustedCertificate(t *testing.T) {
	srv, _, cr := setup(t)
	c := &zidentity.Client{BaseURL: srv.URL} // system roots only
	_, err := c.Token(context.Background(), cr)
	assertFailure(t, err, zidentity.TLSFailure, "TLS inspection")
	if !strings.Contains(err.Error(), "SSL_CERT_FILE") {
		t.Errorf("error %q; want it to say how to trust a CA with SSL_CERT_FILE", err)
	}
}

func TestTokenConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	c := &zidentity.Client{BaseURL: "https://" + addr}
	_, err = c.Token(context.Background(), zidentity.Credentials{ClientID: "x", ClientSecret: canary})
	assertFailure(t, err, zidentity.CannotConnect, "connection refused")
}

func TestTokenTenantNotFound(t *testing.T) {
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
		},
	}}
	c := &zidentity.Client{HTTPClient: hc}
	_, err := c.Token(context.Background(), zidentity.Credentials{Tenant: zidentity.Tenant{Vanity: "nosuch", Cloud: zidentity.Beta}, ClientID: "x", ClientSecret: canary})
	assertFailure(t, err, zidentity.TenantNotFound, "nosuch.zsloginbeta.net")
}

func TestTokenProxyRefusal(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			t.Errorf("proxy got %s; want CONNECT", r.Method)
		}
		http.Error(w, "denied", http.StatusForbidden)
	}))
	defer proxy.Close()
	hc := zidentity.NewHTTPClient()
	proxyURL, _ := url.Parse(proxy.URL)
	hc.Transport.(*http.Transport).Proxy = http.ProxyURL(proxyURL)
	c := &zidentity.Client{HTTPClient: hc}
	_, err := c.Token(context.Background(), zidentity.Credentials{Tenant: zidentity.Tenant{Vanity: "acme"}, ClientID: "x", ClientSecret: canary})
	assertFailure(t, err, zidentity.CannotConnect, "proxy answered 403")
}

func TestNewHTTPClientDoesNotFollowRedirects(t *testing.T) {
	hc := zidentity.NewHTTPClient()
	if hc.CheckRedirect == nil || hc.CheckRedirect(nil, nil) != http.ErrUseLastResponse {
		t.Error("NewHTTPClient follows redirects; want them handed back")
	}
	if hc.Transport.(*http.Transport).Proxy == nil {
		t.Error("NewHTTPClient ignores proxy variables; want http.ProxyFromEnvironment")
	}
}

func TestTokenInvalidInput(t *testing.T) {
	srv, c, cr := setup(t)
	for name, mutate := range map[string]func(*zidentity.Credentials){
		"no client id": func(c *zidentity.Credentials) { c.ClientID = " " },
		"no secret":    func(c *zidentity.Credentials) { c.ClientSecret = "" },
	} {
		t.Run(name, func(t *testing.T) {
			cr := cr
			mutate(&cr)
			_, err := c.Token(context.Background(), cr)
			assertFailure(t, err, zidentity.Invalid, "enter the")
		})
	}
	if n := srv.Requests(); n != 0 {
		t.Errorf("requests = %d; want none for invalid input", n)
	}
}

// TestCanaryInNoError runs every failure and checks that the secret is in no
// error text, however the error is formatted or unwrapped.
func TestCanaryInNoError(t *testing.T) {
	for _, tt := range failures() {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, cr := setup(t)
			srv.SetFailure(tt.failure)
			_, err := c.Token(context.Background(), cr)
			assertNoCanary(t, err)
		})
	}
	t.Run("timeout", func(t *testing.T) {
		srv, c, cr := setup(t)
		srv.SetDelay(time.Minute)
		c.Timeout = 20 * time.Millisecond
		_, err := c.Token(context.Background(), cr)
		assertNoCanary(t, err)
	})
	t.Run("untrusted", func(t *testing.T) {
		srv, _, cr := setup(t)
		_, err := (&zidentity.Client{BaseURL: srv.URL}).Token(context.Background(), cr)
		assertNoCanary(t, err)
	})
}

func assertFailure(t *testing.T, err error, want zidentity.Category, mention string) {
	t.Helper()
	var e *zidentity.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T); want *zidentity.Error", err, err)
	}
	if e.Category != want {
		t.Errorf("category = %v; want %v (%v)", e.Category, want, err)
	}
	if zidentity.CategoryOf(err) != want {
		t.Errorf("CategoryOf = %v; want %v", zidentity.CategoryOf(err), want)
	}
	msg := err.Error()
	if !strings.Contains(msg, mention) {
		t.Errorf("message %q; want it to mention %q", msg, mention)
	}
	if strings.ContainsAny(msg, "\n\r\x1b") {
		t.Errorf("message %q is not one clean line", msg)
	}
	assertNoCanary(t, err)
}

func assertNoCanary(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("err = nil; want a failure")
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		for _, s := range []string{e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
			for _, form := range []string{canary, url.QueryEscape(canary)} {
				if strings.Contains(s, form) {
					t.Fatalf("the secret leaks into an error: %s", s)
				}
			}
		}
	}
}
