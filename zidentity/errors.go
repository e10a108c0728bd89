package zidentity

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Category says what kind of failure an Error is, for the TUI and the
// commands to switch on.
type Category int

// The failure categories.
const (
	// Unknown is a failure zconn has no better word for.
	Unknown Category = iota
	// Invalid means the request could not be made from what was given.
	Invalid
	// Rejected means the client ID or secret was refused (400, 401).
	Rejected
	// Forbidden means the API client is disabled or may not do this (403).
	Forbidden
	// RateLimited means too many requests (429).
	RateLimited
	// ServiceError means ZIdentity failed (5xx).
	ServiceError
	// UnexpectedStatus is any other status, such as 404 for a wrong path.
	UnexpectedStatus
	// Redirected means the endpoint answered with a redirect, which zconn
	// does not follow.
	Redirected
	// TenantNotFound means DNS has no such host.
	TenantNotFound
	// CannotConnect means the host or proxy could not be reached.
	CannotConnect
	// TLSFailure means the server's certificate is not trusted.
	TLSFailure
	// Timeout means no answer came in time.
	Timeout
	// Canceled means the caller gave up.
	Canceled
	// Malformed means the answer is not a token response.
	Malformed
	// TooLarge means the answer exceeded MaxBodySize.
	TooLarge
	// UnknownCloud means the tenant's cloud is not Known and the caller
	// did not allow it, so nothing was sent. Error.Host is where the
	// request would have gone.
	UnknownCloud
	// InvalidRequest means ZIdentity refused the request itself (400
	// invalid_request), not the credentials; some tenants refuse the
	// audience so.
	InvalidRequest
)

var categoryNames = [...]string{
	Unknown:          "unknown",
	Invalid:          "invalid",
	Rejected:         "rejected",
	Forbidden:        "forbidden",
	RateLimited:      "rate_limited",
	ServiceError:     "service_error",
	UnexpectedStatus: "unexpected_status",
	Redirected:       "redirected",
	TenantNotFound:   "tenant_not_found",
	CannotConnect:    "cannot_connect",
	TLSFailure:       "tls",
	Timeout:          "timeout",
	Canceled:         "canceled",
	Malformed:        "malformed",
	TooLarge:         "too_large",
	UnknownCloud:     "unknown_cloud",
	InvalidRequest:   "invalid_request",
}

// String returns the category's stable lower_snake_case name, as scripts
// read it in JSON.
func (c Category) String() string {
	if int(c) < len(categoryNames) {
		return categoryNames[c]
	}
	return "unknown"
}

// Network reports whether the failure lies between zconn and ZIdentity
// rather than in the credentials: saving without verifying is then a fair
// offer.
func (c Category) Network() bool {
	switch c {
	case TenantNotFound, CannotConnect, TLSFailure, Timeout, ServiceError, RateLimited:
		return true
	}
	return false
}

// Error is every failure of a token request.
type Error struct {
	Category Category
	// Status is the HTTP status, when an answer came.
	Status int
	// Code is the RFC 6749 error code, such as invalid_client.
	Code string
	// Description is the server's own message, cleaned and cut.
	Description string
	// RetryAfter is how long the server asked to wait (429).
	RetryAfter time.Duration
	// Host is the host that was asked.
	Host string
	// Location is where a redirect pointed.
	Location string
	// Detail adds what zconn knows about the cause.
	Detail string
	// Timeout is the limit that ran out (Timeout).
	Timeout time.Duration
	// Err is the underlying error, if any. It never holds the secret.
	Err error
	// Auth is how the failed request proved the client.
	Auth AuthMethod
	// AudienceOmitted means the failed request was sent without the
	// audience (after a refusal of it, or as the credentials asked).
	AudienceOmitted bool
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Error returns one line that says what happened and names the fix.
func (e *Error) Error() string {
	host := e.Host
	if host == "" {
		host = "the token endpoint"
	}
	server := ""
	if e.Code != "" || e.Description != "" {
		server = " (" + strings.Trim(e.Code+": "+e.Description, ": ") + ")"
	}
	switch e.Category {
	case Invalid:
		return e.Detail
	case UnknownCloud:
		return fmt.Sprintf("%s is not in a ZIdentity cloud zconn knows (%s), so nothing was sent to it: check the cloud, or confirm that this host is your tenant's", host, KnownCloudList(", "))
	case InvalidRequest:
		return fmt.Sprintf("ZIdentity at %s refused the token request as invalid%s, which is not a wrong secret or key: check the tenant and the client ID", host, server)
	case Rejected:
		if e.Auth == AuthPrivateKey {
			return "the client ID or private key was rejected" + server + ": check the client ID, and that the API client in Integration > API Clients holds this key's public half (its certificate or public key)"
		}
		return "the client ID or secret was rejected" + server + ": copy both again from Integration > API Clients in the ZIdentity portal, or add a new secret there"
	case Forbidden:
		return "the API client is disabled or not allowed" + server + ": set its status to Active in Integration > API Clients and check its scopes"
	case RateLimited:
		wait := "a minute"
		if e.RetryAfter > 0 {
			wait = e.RetryAfter.Round(time.Second).String()
		}
		return "ZIdentity is limiting requests (429)" + server + ": wait " + wait + " and try again"
	case ServiceError:
		return fmt.Sprintf("ZIdentity at %s failed with status %d%s: try again in a few minutes", host, e.Status, server)
	case UnexpectedStatus:
		return fmt.Sprintf("%s answered with status %d%s: check the tenant and cloud", host, e.Status, server)
	case Redirected:
		to := ""
		if e.Location != "" {
			to = " to " + e.Location
		}
		return fmt.Sprintf("%s answered with a redirect%s, which zconn does not follow so the secret goes to no other host: check the tenant and cloud", host, to)
	case TenantNotFound:
		return fmt.Sprintf("no tenant at %s (the name does not resolve): check the vanity domain, the part before .zslogin.net in your portal's address, and the cloud", host)
	case CannotConnect:
		return fmt.Sprintf("cannot connect to %s%s: check your network, firewall and HTTPS_PROXY", host, detail(e.Detail))
	case TLSFailure:
		return fmt.Sprintf("the certificate of %s is not trusted%s: TLS inspection on your network may be the cause; %s", host, detail(e.Detail), trustHint())
	case Timeout:
		limit := ""
		if e.Timeout > 0 {
			limit = " within " + e.Timeout.String()
		}
		return fmt.Sprintf("no answer from %s%s: check your network and proxy", host, limit)
	case Canceled:
		return "verification canceled"
	case Malformed:
		return fmt.Sprintf("%s sent an answer zconn cannot read%s: check the tenant, the cloud and ZCONN_ZIDENTITY_URL", host, detail(e.Detail))
	case TooLarge:
		return fmt.Sprintf("%s sent more than 1 MiB: it is not a ZIdentity token endpoint; check the tenant and ZCONN_ZIDENTITY_URL", host)
	}
	return fmt.Sprintf("the token request to %s failed%s: try again", host, detail(e.Detail))
}

func detail(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func trustHint() string {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return "add its root CA to the system's trusted certificates, or point SSL_CERT_FILE at a PEM file that holds it"
	}
	return "point SSL_CERT_FILE at a PEM file that holds its root CA (or install the CA in the system's store)"
}

// CategoryOf returns the category of err, Unknown if it is not an *Error.
func CategoryOf(err error) Category {
	var e *Error
	if errors.As(err, &e) {
		return e.Category
	}
	return Unknown
}

// classifyStatus turns a non-2xx answer into an *Error.
func classifyStatus(resp *http.Response, body []byte, host string, r *redactor, now time.Time) *Error {
	e := &Error{Status: resp.StatusCode, Host: host}
	var oauth struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
		Message     string          `json:"message"`
	}
	if json.Unmarshal(body, &oauth) == nil {
		var code string
		if json.Unmarshal(oauth.Error, &code) == nil && isErrorCode(code) {
			e.Code = r.quote(code)
		}
		e.Description = r.quote(firstNonEmpty(oauth.Description, oauth.Message))
	}
	switch s := resp.StatusCode; {
	case s == http.StatusBadRequest && strings.EqualFold(e.Code, "invalid_request"):
		e.Category = InvalidRequest
	case s == http.StatusBadRequest || s == http.StatusUnauthorized:
		e.Category = Rejected
	case s == http.StatusForbidden:
		e.Category = Forbidden
	default:
		o := otherStatus(resp, host, r, now)
		e.Category, e.RetryAfter, e.Location = o.Category, o.RetryAfter, o.Location
	}
	return e
}

// otherStatus classifies an answer that is neither a success nor one the
// request's own API explains (the token's 400, 401 and 403; the users
// API's 401 and 403): rate limited, a service error, a redirect (whose
// host it names, parsed), or an unexpected status.
func otherStatus(resp *http.Response, host string, r *redactor, now time.Time) *Error {
	e := &Error{Status: resp.StatusCode, Host: host}
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests:
		e.Category = RateLimited
		e.RetryAfter = retryAfter(resp.Header, now)
	case s >= 500:
		e.Category = ServiceError
	case s >= 300 && s < 400:
		e.Category = Redirected
		if loc, err := resp.Location(); err == nil && isHostPort(loc.Host) {
			e.Location = r.quote(loc.Host)
		}
	default:
		e.Category = UnexpectedStatus
	}
	return e
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// retryAfter reads Retry-After (seconds or an HTTP date), then
// X-Ratelimit-Reset (seconds).
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			return t.Sub(now).Round(time.Second)
		}
	}
	if v := strings.TrimSpace(h.Get("X-Ratelimit-Reset")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < 86400 {
			return time.Duration(n) * time.Second
		}
	}
	return 0
}

// classifyTransport turns an error of sending the request or reading the
// answer into an *Error. Its Detail is always zconn's own wording: the
// text of a transport error can quote what the server sent (a Location
// header, the first line of a malformed answer, names from a certificate),
// and none of that may reach a message.
func classifyTransport(ctx context.Context, err error, host string, timeout time.Duration, r *redactor) *Error {
	e := &Error{Host: host, Err: r.scrub(err)}
	var (
		dnsErr  *net.DNSError
		opErr   *net.OpError
		unknown x509.UnknownAuthorityError
		hostErr x509.HostnameError
		invalid x509.CertificateInvalidError
		verify  *tls.CertificateVerificationError
		record  tls.RecordHeaderError
		proxy   *proxyError
	)
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != context.DeadlineExceeded:
		e.Category = Canceled
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err):
		e.Category, e.Timeout = Timeout, timeout
	case errors.As(err, &proxy):
		e.Category, e.Detail = CannotConnect, "the proxy answered "+strconv.Itoa(proxy.status)
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		e.Category, e.Detail = CannotConnect, "the proxy failed"
		if cause := netCause(err); cause != "" {
			e.Detail += ": " + cause
		}
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		e.Category = TenantNotFound
	case errors.As(err, &dnsErr):
		e.Category, e.Detail = CannotConnect, "the name could not be looked up"
	case errors.As(err, &unknown):
		e.Category, e.Detail = TLSFailure, "signed by an unknown authority"
	case errors.As(err, &hostErr):
		e.Category, e.Detail = TLSFailure, "issued for another host"
	case errors.As(err, &invalid):
		e.Category, e.Detail = TLSFailure, "expired or not valid"
	case errors.As(err, &verify):
		e.Category, e.Detail = TLSFailure, "it could not be verified"
	case errors.As(err, &record):
		e.Category, e.Detail = TLSFailure, "the server does not speak TLS on that port"
	case isBadLocation(err):
		// net/http reads the Location of a redirect before it asks whether
		// to follow it, and quotes the header when it cannot parse it.
		e.Category, e.Err = Redirected, errBadLocation
	case netCause(err) != "":
		e.Category, e.Detail = CannotConnect, netCause(err)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		e.Category, e.Detail = CannotConnect, "the connection closed before the answer was complete"
	default:
		e.Category, e.Detail = CannotConnect, "the answer could not be read as HTTP"
	}
	return e
}

// errBadLocation stands in for net/http's error about an unreadable
// Location header, which quotes the header.
var errBadLocation = errors.New("the redirect's Location header cannot be parsed")

func isBadLocation(err error) bool {
	return strings.Contains(err.Error(), "failed to parse Location header")
}

// netCause names, in fixed words, why a connection failed, or returns "".
func netCause(err error) string {
	var alert tls.AlertError
	var errno syscall.Errno
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		return "network unreachable"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.As(err, &alert):
		return "the server refused the TLS handshake (" + alert.Error() + ")"
	case errors.As(err, &errno):
		return errno.Error()
	}
	return ""
}

// proxyError is a proxy's refusal of a CONNECT request.
type proxyError struct{ status int }

func (e *proxyError) Error() string { return "proxy answered " + strconv.Itoa(e.status) }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// scrub returns err, or a fixed error in its place when its text holds a
// secret in any form redact knows: the standard library never puts a
// request body in an error, but zconn does not rely on it.
func (r *redactor) scrub(err error) error {
	if err == nil || !r.leaks(err.Error()) {
		return err
	}
	return errScrubbed
}

var errScrubbed = errors.New("the error's text quoted the credentials and was dropped")

// isErrorCode reports whether s can be an RFC 6749 error code: a short run
// of printable ASCII without quotes or backslashes.
func isErrorCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// isHostPort reports whether s is a host name or address with an optional
// port, and nothing else a server could slip into a message.
func isHostPort(s string) bool {
	if s == "" || len(s) > 260 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnumByte(c) && strings.IndexByte("-.:[]", c) < 0 {
			return false
		}
	}
	return true
}

func isAlnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
