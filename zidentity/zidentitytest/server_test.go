package zidentitytest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// TestServerChecksTheProtocol sends requests that break the protocol and
// checks that the fake notices each breach. The breaches are cleared before
// the test ends, as they are intended.
func TestServerChecksTheProtocol(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		ctype   string
		form    url.Values
		wantMsg string
	}{
		{"get", http.MethodGet, "", nil, "method GET"},
		{"json body", http.MethodPost, "application/json", url.Values{"grant_type": {"client_credentials"}}, "content type"},
		{"no audience", http.MethodPost, "application/x-www-form-urlencoded", url.Values{"grant_type": {"client_credentials"}, "client_id": {"a"}, "client_secret": {"b"}}, "audience"},
		{"wrong grant", http.MethodPost, "application/x-www-form-urlencoded", url.Values{"grant_type": {"password"}, "client_id": {"a"}, "client_secret": {"b"}, "audience": {"https://api.zscaler.com"}}, "grant_type"},
		{"extra field", http.MethodPost, "application/x-www-form-urlencoded", url.Values{"grant_type": {"client_credentials"}, "client_id": {"a"}, "client_secret": {"b"}, "audience": {"https://api.zscaler.com"}, "scope": {"x"}}, "unexpected form field scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			req, _ := http.NewRequest(tt.method, s.URL+"/oauth2/v1/token", strings.NewReader(tt.form.Encode()))
			req.Header.Set("Accept", "application/json")
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			resp, err := s.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			problems := s.Problems()
			if !strings.Contains(strings.Join(problems, "\n"), tt.wantMsg) {
				t.Errorf("problems = %q; want one mentioning %q", problems, tt.wantMsg)
			}
			s.mu.Lock()
			s.problems = nil
			s.mu.Unlock()
		})
	}
}

func TestServerIssuesTokensToKnownClients(t *testing.T) {
	s := New(t)
	s.AddClient(Client{ID: "id", Secret: "sec"})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"sec"}, "audience": {"https://api.zscaler.com"}}
	post := func() int {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/oauth2/v1/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		resp, err := s.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(); got != http.StatusOK {
		t.Errorf("status = %d; want 200", got)
	}
	s.SetSecret("id", "rotated")
	if got := post(); got != http.StatusUnauthorized {
		t.Errorf("status after rotation = %d; want 401", got)
	}
	if got := s.RequestsFor("id"); got != 2 {
		t.Errorf("RequestsFor = %d; want 2", got)
	}
}

// post sends a token request with the form and returns the status.
func post(t *testing.T, s *Server, form url.Values) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func assertionForm(assertion string) url.Values {
	return url.Values{
		"grant_type": {"client_credentials"}, "client_id": {"kid"}, "audience": {Audience},
		"client_assertion_type": {AssertionType}, "client_assertion": {assertion},
	}
}

// sign returns an assertion for client "kid" with the claims changed by
// edit and the header by editHeader.
func sign(t *testing.T, k *rsa.PrivateKey, method jwt.SigningMethod, edit func(jwt.MapClaims), editHeader func(map[string]any)) string {
	t.Helper()
	now := time.Now()
	claims := jwt.MapClaims{"iss": "kid", "sub": "kid", "aud": Audience, "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(), "jti": rand.Text()}
	if edit != nil {
		edit(claims)
	}
	tok := jwt.NewWithClaims(method, claims)
	if editHeader != nil {
		editHeader(tok.Header)
	}
	var key any = k
	if method == jwt.SigningMethodHS256 {
		key = []byte("shared")
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestServerVerifiesAssertions sends assertions that are wrong in one way
// each and checks that the fake refuses them, and records a breach for
// those zconn must never send.
func TestServerVerifiesAssertions(t *testing.T) {
	k := Key(t, "a", 2048)
	other := Key(t, "b", 2048)
	tests := []struct {
		name    string
		sdk     bool
		make    func(t *testing.T) string
		status  int
		problem string
	}{
		{"good", false, func(t *testing.T) string { return sign(t, k, jwt.SigningMethodRS256, nil, nil) }, 200, ""},
		{"wrong key", false, func(t *testing.T) string { return sign(t, other, jwt.SigningMethodRS256, nil, nil) }, 401, ""},
		{"hs256", false, func(t *testing.T) string { return sign(t, k, jwt.SigningMethodHS256, nil, nil) }, 401, "does not verify"},
		{"ps256", false, func(t *testing.T) string { return sign(t, k, jwt.SigningMethodPS256, nil, nil) }, 401, "does not verify"},
		{"kid in header", false, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, nil, func(h map[string]any) { h["kid"] = "x" })
		}, 401, "header field kid"},
		{"wrong iss", false, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, func(c jwt.MapClaims) { c["iss"] = "other" }, nil)
		}, 401, "claim iss"},
		{"wrong sub", false, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, func(c jwt.MapClaims) { c["sub"] = "other" }, nil)
		}, 401, "claim sub"},
		{"aud as a list", false, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, func(c jwt.MapClaims) { c["aud"] = []string{Audience} }, nil)
		}, 401, "claim aud"},
		{"expired", false, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Minute).Unix() }, nil)
		}, 401, "not in the future"},
		{"lives too long", false, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(2 * time.Hour).Unix() }, nil)
		}, 401, "after iat"},
		{"no iat", false, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, func(c jwt.MapClaims) { delete(c, "iat") }, nil)
		}, 401, "claim iat"},
		{"no jti", false, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, func(c jwt.MapClaims) { delete(c, "jti") }, nil)
		}, 401, "claim jti"},
		{"as the sdks sign", true, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, func(c jwt.MapClaims) { delete(c, "jti"); delete(c, "iat") }, nil)
		}, 200, ""},
		{"sdk style lives too long", true, func(t *testing.T) string {
			return sign(t, k, jwt.SigningMethodRS256, func(c jwt.MapClaims) {
				delete(c, "jti")
				delete(c, "iat")
				c["exp"] = time.Now().Add(2 * time.Hour).Unix()
			}, nil)
		}, 401, "away"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			s.AddClient(Client{ID: "kid", PublicKey: &k.PublicKey})
			s.AcceptSDKAssertions(tt.sdk)
			if got := post(t, s, assertionForm(tt.make(t))); got != tt.status {
				t.Errorf("status = %d; want %d (problems %q)", got, tt.status, s.Problems())
			}
			problems := strings.Join(s.Problems(), "\n")
			if (tt.problem == "") != (problems == "") || !strings.Contains(problems, tt.problem) {
				t.Errorf("problems = %q; want one mentioning %q", problems, tt.problem)
			}
			s.mu.Lock()
			s.problems = nil
			s.mu.Unlock()
		})
	}
}

func TestServerRefusesReplayedAssertion(t *testing.T) {
	k := Key(t, "a", 2048)
	s := New(t)
	s.AddClient(Client{ID: "kid", PublicKey: &k.PublicKey})
	a := sign(t, k, jwt.SigningMethodRS256, nil, nil)
	if got := post(t, s, assertionForm(a)); got != http.StatusOK {
		t.Fatalf("first use: status %d; want 200", got)
	}
	if got := post(t, s, assertionForm(a)); got != http.StatusUnauthorized {
		t.Errorf("replay: status %d; want 401", got)
	}
	if p := strings.Join(s.Problems(), "\n"); !strings.Contains(p, "replayed") {
		t.Errorf("problems = %q; want the replay recorded", p)
	}
	s.mu.Lock()
	s.problems = nil
	s.mu.Unlock()
}

// TestServerRefusesAudience checks the refusal, and that a request without
// the audience is a breach only while the server never refused it.
func TestServerRefusesAudience(t *testing.T) {
	s := New(t)
	s.AddClient(Client{ID: "id", Secret: "sec", RefuseAudience: true})
	with := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"sec"}, "audience": {Audience}}
	without := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"sec"}}
	if got := post(t, s, with); got != http.StatusBadRequest {
		t.Errorf("with audience: status %d; want 400", got)
	}
	if got := post(t, s, without); got != http.StatusOK {
		t.Errorf("without audience: status %d; want 200", got)
	}
	if got := s.RequestsWithoutAudience("id"); got != 1 {
		t.Errorf("RequestsWithoutAudience = %d; want 1", got)
	}
	if p := s.Problems(); len(p) != 0 {
		t.Errorf("problems = %q; want none", p)
	}
}

// TestServerUsersEndpoint checks the answers of the users endpoint to the
// server's tokens with and without ZIAM, to a token it did not issue, and
// a scripted failure.
func TestServerUsersEndpoint(t *testing.T) {
	s := New(t)
	s.AddClient(Client{ID: "admin", Secret: "a"})
	s.AddClient(Client{ID: "reader", Secret: "r", Services: []Service{{"ZIA", "Read Only"}}})
	token := func(id, secret string) string {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "audience": {Audience}}
		req, _ := http.NewRequest(http.MethodPost, s.URL+TokenPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		resp, err := s.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		var body struct {
			AccessToken string `json:"access_token"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return body.AccessToken
	}
	users := func(tok string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+UsersPath+"?limit=1", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		resp, err := s.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	admin, reader := token("admin", "a"), token("reader", "r")
	if got, body := users(admin); got != http.StatusOK || !strings.Contains(body, UserCanary) {
		t.Errorf("ZIAM token: %d %q; want 200 with a user", got, body)
	}
	if got, _ := users(reader); got != http.StatusForbidden {
		t.Errorf("token without ZIAM: %d; want 403", got)
	}
	if got, _ := users(Token("admin", DefaultServices, time.Hour)); got != http.StatusUnauthorized {
		t.Errorf("token not issued here: %d; want 401", got)
	}
	s.SetUsersStatus(http.StatusServiceUnavailable)
	if got, _ := users(admin); got != http.StatusServiceUnavailable {
		t.Errorf("scripted failure: %d; want 503", got)
	}
	if got := s.UsersRequests(); got != 4 {
		t.Errorf("UsersRequests = %d; want 4", got)
	}
}
