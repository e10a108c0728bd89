// Package zidentitytest runs a fake ZIdentity over TLS for tests: the token
// endpoint, for secret and private-key clients, and the users endpoint of
// the API. It checks every request the way ZIdentity must receive it
// (verifying client assertions for real), issues JWT-shaped tokens with
// service-info claims, and answers any failure a test asks for.
package zidentitytest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
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
	"slices"
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
	// InvalidRequest answers 400 invalid_request to every request, with the
	// audience or without it.
	InvalidRequest

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

// Client is an API client the server knows: a secret client, or, with
// PublicKey set, a private-key client.
type Client struct {
	ID     string
	Secret string
	// PublicKey makes this a private-key client: its requests must carry a
	// client assertion signed by the matching private key.
	PublicKey *rsa.PublicKey
	// RefuseAudience answers 400 invalid_request to a request that names
	// the audience, as some tenants do, and issues tokens without it.
	RefuseAudience bool
	Services       []Service
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
	// noAudience counts, per client ID, the token requests without the
	// audience; refused remembers the clients told invalid_request.
	noAudience map[string]int
	refused    map[string]bool
	// sdkAssertions accepts assertions without iat and jti.
	sdkAssertions bool
	jtis          map[string]bool
	// issued maps each token the server issued to its services.
	issued       map[string][]Service
	usersStatus  int
	usersTotal   int
	usersByToken map[string]int
}

// New starts a server that is closed when the test ends. Any request that
// breaks the protocol (method, content type, a form field) fails the test.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		tb: tb, clients: map[string]*Client{}, requests: map[string]int{},
		noAudience: map[string]int{}, refused: map[string]bool{}, jtis: map[string]bool{},
		issued: map[string][]Service{}, usersByToken: map[string]int{},
	}
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

// changeClient changes the client with the ID, if there is one.
func (s *Server) changeClient(id string, change func(*Client)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.clients[id]; c != nil {
		change(c)
	}
}

// SetSecret changes a client's secret, as a rotation in the portal does.
func (s *Server) SetSecret(id, secret string) {
	s.changeClient(id, func(c *Client) { c.Secret = secret })
}

// SetPublicKey changes a private-key client's public key, as replacing the
// certificate in the portal does.
func (s *Server) SetPublicKey(id string, pub *rsa.PublicKey) {
	s.changeClient(id, func(c *Client) { c.PublicKey = pub })
}

// SetRefuseAudience makes a client's tenant refuse the audience (400
// invalid_request) or accept it again.
func (s *Server) SetRefuseAudience(id string, on bool) {
	s.changeClient(id, func(c *Client) { c.RefuseAudience = on })
}

// AcceptSDKAssertions accepts client assertions as Zscaler's Go and Python
// SDKs build them, without iat and jti; by default both are required, as
// zconn sends them.
func (s *Server) AcceptSDKAssertions(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sdkAssertions = on
}

// SetClientFailure makes every answer to one client a failure.
func (s *Server) SetClientFailure(id string, f Failure) {
	s.changeClient(id, func(c *Client) { c.Failure = f })
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

// RequestsWithoutAudience returns how many token requests for the client
// left the audience out.
func (s *Server) RequestsWithoutAudience(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.noAudience[id]
}

// Requests returns how many requests reached the server, but for those to
// the users endpoint (UsersRequests).
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
	switch r.URL.Path {
	case TokenPath:
		s.serveToken(w, r)
	case UsersPath:
		s.serveUsers(w, r)
	default:
		s.mu.Lock()
		s.total++
		s.mu.Unlock()
		http.NotFound(w, r)
	}
}

// TokenPath is the path of the token endpoint.
const TokenPath = "/oauth2/v1/token"

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	form, ok := s.checkRequest(w, r)
	id := form.Get("client_id")
	_, withAudience := form["audience"]

	s.mu.Lock()
	s.total++
	s.requests[id]++
	if !withAudience {
		s.noAudience[id]++
	}
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
	told := s.refused[id]
	s.mu.Unlock()

	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			// The client gave up: end the connection without an answer,
			// as a server that never answered would, rather than send an
			// empty 200 that could race the client's own deadline.
			panic(http.ErrAbortHandler)
		}
	}
	if !ok {
		return
	}
	if !withAudience && !client.RefuseAudience && !told {
		s.problem("form field audience missing, though the server never refused it")
	}
	secret := form.Get("client_secret")
	if secret == "" {
		secret = form.Get("client_assertion")
	}
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
	case InvalidRequest:
		s.refuse(w, id, "The request is missing a required parameter or is otherwise malformed")
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
		_, _ = fmt.Fprint(w, "<html><body>Sign in</body></html>")
		return
	case NoAccessToken:
		writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3600})
		return
	case Oversized:
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, `{"access_token":"`+strings.Repeat("a", 1<<20+16)+`"}`)
		return
	case Redirect:
		http.Redirect(w, r, "https://elsewhere.example/oauth2/v1/token", http.StatusFound)
		return
	}
	if c != nil && client.RefuseAudience && withAudience {
		s.refuse(w, id, "audience is not supported")
		return
	}
	if !s.authenticate(w, client, c != nil, form) {
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
	s.mu.Lock()
	s.issued[token] = client.Services
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": token, "token_type": tokenType, "expires_in": expires})
}

// refuse answers 400 invalid_request and remembers that the client was
// told, after which a request without the audience is fair.
func (s *Server) refuse(w http.ResponseWriter, id, desc string) {
	s.mu.Lock()
	s.refused[id] = true
	s.mu.Unlock()
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": desc})
}

// authenticate checks the client's secret or assertion and answers 401
// when it fails.
func (s *Server) authenticate(w http.ResponseWriter, c Client, known bool, form formValues) bool {
	reject := func(desc string) bool {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": desc})
		return false
	}
	_, assertion := form["client_assertion"]
	switch {
	case !known:
		return reject("Client authentication failed")
	case c.PublicKey != nil && !assertion:
		s.problem("client %s authenticates with a private key, but the request holds no client_assertion", c.ID)
		return reject("Client authentication failed")
	case c.PublicKey == nil && assertion:
		return reject("Client authentication failed: the client has no public key")
	case assertion:
		if desc := s.verifyAssertion(c, form.Get("client_assertion")); desc != "" {
			return reject(desc)
		}
		return true
	case form.Get("client_secret") != c.Secret:
		return reject("Client authentication failed")
	}
	return true
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
	if got := r.PostForm.Get("grant_type"); got != "client_credentials" {
		s.problem("form field grant_type = %q; want %q", got, "client_credentials")
	}
	if v, ok := r.PostForm["audience"]; ok && (len(v) != 1 || v[0] != "https://api.zscaler.com") {
		s.problem("form field audience = %q; want %q", v, "https://api.zscaler.com")
	}
	_, assertion := r.PostForm["client_assertion"]
	fields := []string{"client_id", "client_secret"}
	if assertion {
		fields = []string{"client_id", "client_assertion", "client_assertion_type"}
		if got := r.PostForm.Get("client_assertion_type"); got != AssertionType {
			s.problem("form field client_assertion_type = %q; want %q", got, AssertionType)
		}
	}
	for _, k := range fields {
		if len(r.PostForm[k]) != 1 || r.PostForm.Get(k) == "" {
			s.problem("form field %s missing or repeated", k)
		}
	}
	for k := range r.PostForm {
		switch {
		case k == "grant_type" || k == "audience" || k == "client_id":
		case slices.Contains(fields, k):
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
