// Package zidentitytest runs a fake ZIdentity token endpoint over TLS for
// tests. It checks every request the way ZIdentity must receive it, issues
// JWT-shaped tokens with service-info claims, and answers any failure a test
// asks for.
package zidentitytest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"html"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Failure is an answer the server gives instead of a token.
type Failure int

// The failures the server can answer.
const (
	// OK issues a token when the credentials match.
	OK Failure = iota
	// Reject answers 401 invalid_client.
	Reject
	// RejectBadRequest answers 400 invalid_client.
	RejectBadRequest
	// Forbid answers 403, as for a disabled client.
	Forbid
	// RateLimit answers 429 with Retry-After: 30.
	RateLimit
	// ServerError answers 503.
	ServerError
	// NotFound answers 404.
	NotFound
	// NotJSON answers 200 with an HTML page.
	NotJSON
	// NoAccessToken answers 200 with JSON that holds no access_token.
	NoAccessToken
	// Oversized answers 200 with a body over 1 MiB.
	Oversized
	// Redirect answers 302 to another host.
	Redirect
	// EchoSecret answers 401 with the secret in error_description, as a
	// careless server might.
	EchoSecret
	// NotAJWT issues an opaque access token that is not a JWT.
	NotAJWT

	// The Echo failures answer 401 with the secret (or, for a private-key
	// client, the assertion) in error_description, dressed as a careless
	// or hostile server or proxy might dress it. EchoLocation and
	// EchoClaims echo it elsewhere.

	// EchoSpaced doubles every space of the secret and hides a zero-width
	// space and an escape sequence in it, which cleaning would fold back.
	EchoSpaced
	// EchoJSON quotes the secret as JSON, with \u escapes and \/.
	EchoJSON
	// EchoHTML escapes the secret as HTML.
	EchoHTML
	// EchoPercent percent-encodes the secret as a query value (upper-case
	// hex) and as a path (lower-case hex).
	EchoPercent
	// EchoBase64 encodes the secret alone in padded standard base64.
	EchoBase64
	// EchoBase64URL encodes the secret one byte into a longer run, in
	// unpadded URL-safe base64.
	EchoBase64URL
	// EchoBase64Basic encodes "u:" and the secret, as in a Basic
	// authorization header: the secret starts two bytes into the run.
	EchoBase64Basic
	// EchoUpper upper-cases the secret.
	EchoUpper
	// EchoPrefix quotes the first half of the secret and two characters
	// more.
	EchoPrefix
	// EchoLocation answers 302 with a Location header that holds the
	// percent-encoded secret and cannot be parsed, so that net/http's
	// error quotes it.
	EchoLocation
	// EchoClaims issues a token whose claims (prd, rnm, tnt, jti) and
	// token_type hold the secret in several forms, beside a genuine ZIAM
	// entry.
	EchoClaims
)

// Service is one service-info entry of the tokens the server issues.
type Service struct {
	Product string
	Role    string
}

// DefaultServices are the services a client gets unless told otherwise:
// ZIAM, which user management needs, and ZIA.
var DefaultServices = []Service{{"ZIAM", "Super Admin"}, {"ZIA", "Super Admin"}}

// Client is an API client the server knows.
type Client struct {
	ID       string
	Secret   string
	Services []Service
	// Lifetime is expires_in; zero means one hour.
	Lifetime time.Duration
	// Failure, when not OK, is what this client always gets.
	Failure Failure
	// Delay holds each answer to this client back.
	Delay time.Duration
}

// Server is a fake ZIdentity token endpoint.
type Server struct {
	// URL is the base URL, for ZCONN_ZIDENTITY_URL.
	URL string
	ts  *httptest.Server
	tb  testing.TB

	mu        sync.Mutex
	clients   map[string]*Client
	failure   Failure
	delay     time.Duration
	expiresAs string
	requests  map[string]int
	total     int
	problems  []string
}

// New starts a server that is closed when the test ends. Any request that
// breaks the protocol (method, content type, a form field) fails the test.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{tb: tb, clients: map[string]*Client{}, requests: map[string]int{}}
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	// Handshakes that a test makes fail on purpose are not news.
	s.ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.ts.StartTLS()
	s.URL = s.ts.URL
	tb.Cleanup(func() {
		s.ts.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, p := range s.problems {
			tb.Errorf("zidentitytest: %s", p)
		}
	})
	return s
}

// AddClient registers an API client; it replaces one with the same ID.
func (s *Server) AddClient(c Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Services == nil {
		c.Services = DefaultServices
	}
	s.clients[c.ID] = &c
}

// SetSecret changes a client's secret, as a rotation in the portal does.
func (s *Server) SetSecret(id, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.clients[id]; c != nil {
		c.Secret = secret
	}
}

// SetClientFailure makes every answer to one client a failure.
func (s *Server) SetClientFailure(id string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.clients[id]; c != nil {
		c.Failure = f
	}
}

// SetFailure makes every answer a failure (OK restores tokens).
func (s *Server) SetFailure(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = f
}

// SetDelay holds every answer back by d, or until the client gives up.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetExpiresInString makes expires_in arrive as a JSON string.
func (s *Server) SetExpiresInString(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expiresAs = map[bool]string{true: "string"}[on]
}

// Requests returns how many requests reached the server.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// RequestsFor returns how many requests named the client ID.
func (s *Server) RequestsFor(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[id]
}

// HTTPClient returns a client that trusts the server's certificate.
func (s *Server) HTTPClient() *http.Client { return s.ts.Client() }

// HTTPClientAnyHost returns a client that sends a request for any host,
// such as acme.zslogin.net, to this server, so tests see the host names
// people see.
func (s *Server) HTTPClientAnyHost() *http.Client {
	tr := s.ts.Client().Transport.(*http.Transport).Clone()
	addr := s.ts.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	tr.TLSClientConfig.ServerName = "example.com"
	return &http.Client{Transport: tr}
}

// CertFile writes the server's certificate as PEM into a temporary folder
// and returns its path, for SSL_CERT_FILE.
func (s *Server) CertFile() string {
	s.tb.Helper()
	path := filepath.Join(s.tb.TempDir(), "zidentitytest.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ts.Certificate().Raw})
	if err := os.WriteFile(path, block, 0o600); err != nil {
		s.tb.Fatalf("writing the certificate: %v", err)
	}
	return path
}

// Problems returns the protocol breaches seen so far; each also fails the
// test when it ends.
func (s *Server) Problems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.problems...)
}

func (s *Server) problem(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.problems = append(s.problems, fmt.Sprintf(format, args...))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/oauth2/v1/token" {
		s.mu.Lock()
		s.total++
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	form, ok := s.checkRequest(w, r)
	id := form.Get("client_id")

	s.mu.Lock()
	s.total++
	s.requests[id]++
	c := s.clients[id]
	failure, delay, expiresAs := s.failure, s.delay, s.expiresAs
	var client Client
	if c != nil {
		client = *c
		if client.Failure != OK {
			failure = client.Failure
		}
		delay = max(delay, client.Delay)
	}
	s.mu.Unlock()

	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if !ok {
		return
	}
	secret := form.Get("client_secret")
	if desc, ok := echo(failure, secret); ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": desc})
		return
	}
	switch failure {
	case Reject:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed"})
		return
	case EchoLocation:
		w.Header().Set("Location", "https://elsewhere.example/%zz/"+url.PathEscape(secret))
		w.WriteHeader(http.StatusFound)
		return
	case RejectBadRequest:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_client", "error_description": "Invalid client credentials"})
		return
	case Forbid:
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "access_denied", "error_description": "Client is inactive"})
		return
	case RateLimit:
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "rate_limit_exceeded"})
		return
	case ServerError:
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	case NotFound:
		http.NotFound(w, r)
		return
	case NotJSON:
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>Sign in</body></html>")
		return
	case NoAccessToken:
		writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3600})
		return
	case Oversized:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"`+strings.Repeat("a", 1<<20+16)+`"}`)
		return
	case Redirect:
		http.Redirect(w, r, "https://elsewhere.example/oauth2/v1/token", http.StatusFound)
		return
	}
	if c == nil || secret != client.Secret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed"})
		return
	}
	lifetime := client.Lifetime
	if lifetime == 0 {
		lifetime = time.Hour
	}
	var expires any = int64(lifetime.Seconds())
	if expiresAs == "string" {
		expires = strconv.FormatInt(int64(lifetime.Seconds()), 10)
	}
	token := Token(client.ID, client.Services, lifetime)
	tokenType := "Bearer"
	switch failure {
	case NotAJWT:
		token = "opaque-" + randomString(24)
	case EchoClaims:
		token = echoClaimsToken(client.ID, secret, lifetime)
		tokenType = "Bearer " + secret
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": token, "token_type": tokenType, "expires_in": expires})
}

// checkRequest verifies the request as ZIdentity expects it and records any
// breach; it answers 400 itself when the request is unusable.
func (s *Server) checkRequest(w http.ResponseWriter, r *http.Request) (formValues, bool) {
	if r.Method != http.MethodPost {
		s.problem("method %s; want POST", r.Method)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request"})
		return formValues{}, false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		s.problem("content type %q; want application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	}
	if a := r.Header.Get("Accept"); a != "application/json" {
		s.problem("Accept %q; want application/json", a)
	}
	if err := r.ParseForm(); err != nil {
		s.problem("form does not parse: %v", err)
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return formValues{}, false
	}
	if len(r.URL.Query()) > 0 {
		s.problem("query string %q: credentials belong in the body", r.URL.RawQuery)
	}
	want := map[string]string{"grant_type": "client_credentials", "audience": "https://api.zscaler.com"}
	for k, v := range want {
		if got := r.PostForm.Get(k); got != v {
			s.problem("form field %s = %q; want %q", k, got, v)
		}
	}
	for _, k := range []string{"client_id", "client_secret"} {
		if len(r.PostForm[k]) != 1 || r.PostForm.Get(k) == "" {
			s.problem("form field %s missing or repeated", k)
		}
	}
	for k := range r.PostForm {
		switch k {
		case "grant_type", "audience", "client_id", "client_secret":
		default:
			s.problem("unexpected form field %s", k)
		}
	}
	return formValues(r.PostForm), true
}

type formValues map[string][]string

func (f formValues) Get(k string) string {
	if v := f[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Token returns a JWT-shaped access token for the client with the given
// services, issued now. Its signature is random: ZIdentity publishes no key
// set, so zconn reads tokens without checking them.
func Token(clientID string, services []Service, lifetime time.Duration) string {
	now := time.Now().Unix()
	info := make([]map[string]string, len(services))
	for i, sv := range services {
		info[i] = map[string]string{"prd": sv.Product, "rnm": sv.Role, "tnt": "acme"}
	}
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "zidentitytest"})
	claims, _ := json.Marshal(map[string]any{
		"iss":          "https://acme.zslogin.net/oauth2/v1",
		"sub":          clientID,
		"aud":          "https://api.zscaler.com",
		"iat":          now,
		"exp":          now + int64(lifetime.Seconds()),
		"jti":          randomString(16),
		"service-info": info,
	})
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(claims) + "." + randomString(43)
}

// echo returns the error_description of an Echo failure.
func echo(f Failure, secret string) (string, bool) {
	switch f {
	case EchoSecret:
		return "bad secret " + secret + "\x1b[2J", true
	case EchoSpaced:
		spaced := strings.ReplaceAll(secret, " ", "  ")
		half := len(spaced) / 2
		return "bad secret " + spaced[:half] + "\u200b\x1b[0m" + spaced[half:], true
	case EchoJSON:
		q, _ := json.Marshal(map[string]string{"client_secret": secret})
		return strings.ReplaceAll(string(q), "/", `\/`), true
	case EchoHTML:
		return "<p>bad secret " + html.EscapeString(secret) + "</p>", true
	case EchoPercent:
		path := regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(url.PathEscape(secret), strings.ToLower)
		return "see /cb?s=" + url.QueryEscape(secret) + " /p/" + path, true
	case EchoBase64:
		return "ctx " + base64.StdEncoding.EncodeToString([]byte(secret)), true
	case EchoBase64URL:
		return "ctx " + base64.RawURLEncoding.EncodeToString([]byte("{"+secret+"}")), true
	case EchoBase64Basic:
		return "Basic " + base64.StdEncoding.EncodeToString([]byte("u:"+secret)), true
	case EchoUpper:
		return "BAD SECRET " + strings.ToUpper(secret), true
	case EchoPrefix:
		return "the secret begins " + secret[:min(len(secret), (len(secret)+1)/2+2)], true
	}
	return "", false
}

// echoClaimsToken returns a token whose claims echo the secret.
func echoClaimsToken(clientID, secret string, lifetime time.Duration) string {
	now := time.Now().Unix()
	claims := map[string]any{
		"sub": clientID, "iat": now, "exp": now + int64(lifetime.Seconds()),
		"jti": url.QueryEscape(secret),
		"service-info": []map[string]string{
			{"prd": "ZIAM", "rnm": "Super Admin", "tnt": "acme"},
			{"prd": secret, "rnm": base64.StdEncoding.EncodeToString([]byte(secret)), "tnt": strings.ToUpper(secret)},
			{"prd": "ZIA", "rnm": html.EscapeString(secret), "tnt": "x" + secret[:min(len(secret), (len(secret)+1)/2+2)]},
		},
	}
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	payload, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + "." + randomString(43)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}
