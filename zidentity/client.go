package zidentity

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Audience is the audience every token request names, as Zscaler's SDKs do.
const Audience = "https://api.zscaler.com"

// TokenPath is the path of the token endpoint on a tenant's host.
const TokenPath = "/oauth2/v1/token"

// DefaultTimeout bounds a token request when Client.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// MaxBodySize is the most zconn reads of any response body.
const MaxBodySize = 1 << 20

// AuthMethod is how an API client proves itself, by the names scripts read
// in JSON.
type AuthMethod string

// The ways an API client proves itself.
const (
	// AuthSecret is a client secret (Client Authentication > Secret).
	AuthSecret AuthMethod = "secret"
	// AuthPrivateKey is a private key whose public half, as a certificate
	// or public key, the portal holds.
	AuthPrivateKey AuthMethod = "private_key"
)

// Credentials are what an API client proves itself with: a client secret
// or a private key, never both.
type Credentials struct {
	Tenant       Tenant
	ClientID     string
	ClientSecret string
	// PrivateKey, when set, proves the client with a signed assertion in
	// place of ClientSecret.
	PrivateKey *PrivateKey
	// OmitAudience leaves the audience out of the request, for a tenant
	// known to refuse it (a Token with AudienceOmitted said so before).
	// Without it a request that a tenant refuses for its audience is sent
	// once more without.
	OmitAudience bool
	// AllowUnknownCloud lets the request go to a tenant whose cloud is not
	// Known (such as acme.zsloginalpha.net). Without it such a request is
	// refused with an UnknownCloud error before anything is sent: anyone
	// may own zslogin<name>.net, so a mistyped cloud would hand the
	// credentials to a stranger. Set it only after the person confirmed
	// the host. It does not matter when Client.BaseURL replaces the host.
	AllowUnknownCloud bool
}

// Method returns how the credentials prove the client.
func (c Credentials) Method() AuthMethod {
	if c.PrivateKey != nil {
		return AuthPrivateKey
	}
	return AuthSecret
}

// String describes the credentials without the secret or key, so that
// printing them by mistake cannot leak either.
func (c Credentials) String() string {
	what := "secret"
	if c.Method() == AuthPrivateKey {
		what = "private key"
	}
	return fmt.Sprintf("client %s at %s (%s redacted)", c.ClientID, c.Tenant.Host(), what)
}

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// LogValue keeps the secret and the key out of structured logs.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("host", c.Tenant.Host()), slog.String("auth", string(c.Method())))
}

// Client requests tokens from ZIdentity. The zero value is ready to use.
type Client struct {
	// HTTPClient sends the requests; nil means NewHTTPClient().
	HTTPClient *http.Client
	// BaseURL, when set, replaces https://<vanity>.<domain> for every
	// request (ZCONN_ZIDENTITY_URL). It must be https.
	BaseURL string
	// APIBaseURL, when set, replaces the cloud's OneAPI base (APIBaseURL)
	// for the users check (ZCONN_API_URL). It must be https. When only
	// BaseURL is set, the users check goes there too.
	APIBaseURL string
	// Timeout bounds each request; zero means DefaultTimeout.
	Timeout time.Duration
	// Now is the clock used to read Retry-After dates; nil means time.Now.
	Now func() time.Time
}

// TokenURL returns the token endpoint for the tenant.
func (c *Client) TokenURL(t Tenant) (string, error) {
	if c.BaseURL != "" {
		u, err := ParseBaseURL(c.BaseURL)
		if err != nil {
			return "", err
		}
		return u.String() + TokenPath, nil
	}
	if !isLabel(t.Vanity) {
		return "", errors.New("enter the tenant: the vanity domain, such as acme for acme.zslogin.net")
	}
	return "https://" + t.Host() + TokenPath, nil
}

// Token requests an access token with the client credentials grant, by
// secret or by private key. Every failure is an *Error whose message names
// the fix and never holds the secret or the assertion.
//
// When a request with the audience is refused with 400 invalid_request,
// Token asks once more without it, as some tenants want; the Token then
// has AudienceOmitted set, and the caller should set
// Credentials.OmitAudience for this connection from then on.
func (c *Client) Token(ctx context.Context, cr Credentials) (*Token, error) {
	tokenURL, err := c.TokenURL(cr.Tenant)
	if err != nil {
		return nil, &Error{Category: Invalid, Detail: err.Error()}
	}
	if strings.TrimSpace(cr.ClientID) == "" {
		return nil, &Error{Category: Invalid, Detail: "enter the client ID: copy it from Integration > API Clients"}
	}
	switch {
	case cr.PrivateKey != nil && cr.ClientSecret != "":
		return nil, &Error{Category: Invalid, Detail: "give either a client secret or a private key, not both"}
	case cr.PrivateKey != nil && !cr.PrivateKey.valid():
		return nil, &Error{Category: Invalid, Detail: "enter the private key: the RSA key whose public half the API client holds"}
	case cr.PrivateKey == nil && cr.ClientSecret == "":
		return nil, &Error{Category: Invalid, Detail: "enter the client secret: it was shown once when the API client was created; add a new one in Integration > API Clients if it is lost"}
	}
	host := hostOfURL(tokenURL)
	if c.BaseURL == "" && !cr.Tenant.Cloud.Known() && !cr.AllowUnknownCloud {
		return nil, &Error{Category: UnknownCloud, Host: host}
	}
	audience := !cr.OmitAudience
	tok, err := c.request(ctx, tokenURL, host, cr, audience)
	if audience && CategoryOf(err) == InvalidRequest {
		tok, err = c.request(ctx, tokenURL, host, cr, false)
		audience = false
	}
	if err != nil {
		return nil, err
	}
	tok.AudienceOmitted = !audience
	return tok, nil
}

// request sends one token request, with or without the audience.
func (c *Client) request(ctx context.Context, tokenURL, host string, cr Credentials, audience bool) (*Token, error) {
	timeout := c.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	form := url.Values{
		"grant_type": {"client_credentials"},
		"client_id":  {cr.ClientID},
	}
	credential := cr.ClientSecret
	if cr.PrivateKey != nil {
		assertion, err := cr.PrivateKey.assertion(cr.ClientID, c.now())
		if err != nil {
			return nil, &Error{Category: Invalid, Host: host, Auth: AuthPrivateKey, Detail: "cannot sign the client assertion with the private key"}
		}
		credential = assertion
		form.Set("client_assertion_type", ClientAssertionType)
		form.Set("client_assertion", assertion)
	} else {
		form.Set("client_secret", cr.ClientSecret)
	}
	if audience {
		form.Set("audience", Audience)
	}
	fail := func(e *Error) *Error {
		e.Auth, e.AudienceOmitted = cr.Method(), !audience
		return e
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fail(&Error{Category: Invalid, Host: host, Detail: "cannot build the token request: check the tenant"})
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "zconn")

	red := newRedactor(credential)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, fail(classifyTransport(ctx, err, host, timeout, red))
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := readLimited(resp.Body)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, fail(&Error{Category: TooLarge, Status: resp.StatusCode, Host: host})
		}
		return nil, fail(classifyTransport(ctx, err, host, timeout, red))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fail(classifyStatus(resp, body, host, red, c.now()))
	}
	tok, err := parseTokenResponse(body)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Host, e.Status = host, resp.StatusCode
			return nil, fail(e)
		}
		return nil, err
	}
	red.scrubToken(tok)
	return tok, nil
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return withoutRedirects(c.HTTPClient)
	}
	return NewHTTPClient()
}

// timeout is how long one request may take: Timeout, or DefaultTimeout.
func (c *Client) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// NewHTTPClient returns the client zconn talks to ZIdentity with: proxies
// from the environment (HTTPS_PROXY, NO_PROXY), the system's trusted roots
// plus SSL_CERT_FILE, and no redirects, so the secret never travels to
// another host.
func NewHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyFromEnvironment
	tr.TLSClientConfig = tlsConfig()
	tr.OnProxyConnectResponse = func(_ context.Context, _ *url.URL, _ *http.Request, resp *http.Response) error {
		if resp.StatusCode != http.StatusOK {
			return &proxyError{status: resp.StatusCode}
		}
		return nil
	}
	return withoutRedirects(&http.Client{Transport: tr})
}

// withoutRedirects returns hc, or a copy of it, that hands 3xx answers back
// instead of following them.
func withoutRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

var errTooLarge = errors.New("response too large")

func readLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBodySize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBodySize {
		return nil, errTooLarge
	}
	return b, nil
}

func hostOfURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Host
}
