package zidentity

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/zconn/zconn/internal/safetext"
)

// Token is a successful answer of the token endpoint.
type Token struct {
	AccessToken string
	TokenType   string
	// Lifetime is expires_in; when the answer lacks it, the token's own
	// exp - iat.
	Lifetime time.Duration
	// Claims are read from the token for display only: no key set is
	// published, so nothing secure may rest on them.
	Claims Claims
	// AudienceOmitted means the token was issued to a request without the
	// audience: the tenant refused it, or Credentials.OmitAudience said
	// to leave it out. A caller remembers it for the connection.
	AudienceOmitted bool
}

// String describes the token without the token itself.
func (t *Token) String() string {
	return "token (" + t.Lifetime.String() + ", redacted)"
}

// GoString is String, for %#v.
func (t *Token) GoString() string { return t.String() }

// Claims are the parts of a ZIdentity access token worth showing.
type Claims struct {
	// Services lists the token's service-info entries.
	Services  []ServiceInfo
	IssuedAt  time.Time
	ExpiresAt time.Time
	ID        string
	// JWT is false when the token could not be read as a JWT; the other
	// fields are then empty.
	JWT bool
}

// ServiceInfo is one entry of the service-info claim: a product, the role the
// API client holds in it, and the tenant.
type ServiceInfo struct {
	Product string `json:"prd"`
	Role    string `json:"rnm"`
	Tenant  string `json:"tnt"`
}

// Products returns the distinct products the token grants, in order.
func (c Claims) Products() []string {
	return distinct(c.Services, func(s ServiceInfo) string { return s.Product })
}

// Roles returns the distinct role names the token carries, in order.
func (c Claims) Roles() []string {
	return distinct(c.Services, func(s ServiceInfo) string { return s.Role })
}

// HasProduct reports whether the token grants product p (such as "ZIAM"),
// ignoring case.
func (c Claims) HasProduct(p string) bool {
	return slices.ContainsFunc(c.Services, func(s ServiceInfo) bool { return strings.EqualFold(s.Product, p) })
}

func distinct(ss []ServiceInfo, f func(ServiceInfo) string) []string {
	var out []string
	for _, s := range ss {
		if v := f(s); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// ZIAM is the product whose scope lets an API client manage ZIdentity users.
const ZIAM = "ZIAM"

var errBadExpiresIn = errors.New("expires_in is not a number of seconds")

// seconds reads a JSON number or a string holding one.
type seconds int64

func (s *seconds) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(str))
		if len(b) == 0 {
			return nil
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f < 0 || f > 1e9 {
		return errBadExpiresIn
	}
	*s = seconds(f)
	return nil
}

// ValidAccessToken reports whether s can be an access token: not empty,
// and without white space, control characters, escape sequences, invalid
// UTF-8 or bidirectional overrides, none of which a bearer token holds
// (RFC 6750). A token that holds them could drive a terminal it is printed
// to, or split the header it is sent in.
func ValidAccessToken(s string) bool {
	return s != "" && safetext.Printable(s) && !strings.ContainsFunc(s, unicode.IsSpace)
}

type tokenResponse struct {
	AccessToken string  `json:"access_token"`
	TokenType   string  `json:"token_type"`
	ExpiresIn   seconds `json:"expires_in"`
}

// parseTokenResponse reads a 2xx body of the token endpoint.
func parseTokenResponse(body []byte) (*Token, error) {
	var r tokenResponse
	if err := json.Unmarshal(body, &r); err != nil {
		if errors.Is(err, errBadExpiresIn) {
			return nil, &Error{Category: Malformed, Detail: "expires_in is not a number of seconds"}
		}
		return nil, &Error{Category: Malformed, Detail: "the answer is not JSON"}
	}
	if strings.TrimSpace(r.AccessToken) == "" {
		return nil, &Error{Category: Malformed, Detail: "the answer holds no access_token"}
	}
	if !ValidAccessToken(r.AccessToken) {
		return nil, &Error{Category: Malformed, Detail: "its access_token holds spaces or control characters, which no access token holds"}
	}
	t := &Token{
		AccessToken: r.AccessToken,
		TokenType:   r.TokenType,
		Lifetime:    time.Duration(r.ExpiresIn) * time.Second,
		Claims:      ParseClaims(r.AccessToken),
	}
	if t.Lifetime == 0 && t.Claims.JWT && t.Claims.ExpiresAt.After(t.Claims.IssuedAt) && !t.Claims.IssuedAt.IsZero() {
		t.Lifetime = t.Claims.ExpiresAt.Sub(t.Claims.IssuedAt)
	}
	return t, nil
}

// scrubToken replaces every string of the token's answer and claims that
// echoes a secret with Redacted, so that a server cannot get the secret
// saved with a connection or printed with its products and roles. The
// access token itself is left as it came: it is a secret of its own.
func (r *redactor) scrubToken(t *Token) {
	clean := func(s *string) {
		if *s != "" && r.leaks(*s) {
			*s = Redacted
		}
	}
	clean(&t.TokenType)
	clean(&t.Claims.ID)
	for i := range t.Claims.Services {
		sv := &t.Claims.Services[i]
		clean(&sv.Product)
		clean(&sv.Role)
		clean(&sv.Tenant)
	}
}

type jwtClaims struct {
	ServiceInfo json.RawMessage `json:"service-info"`
	Exp         json.Number     `json:"exp"`
	Iat         json.Number     `json:"iat"`
	Jti         string          `json:"jti"`
}

// ParseClaims decodes the claims of a JWT without checking its signature.
// A token that is not a JWT gives Claims with JWT false.
func ParseClaims(token string) Claims {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}
	}
	var raw jwtClaims
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return Claims{}
	}
	c := Claims{JWT: true, ID: raw.Jti, IssuedAt: unixTime(raw.Iat), ExpiresAt: unixTime(raw.Exp)}
	c.Services = parseServiceInfo(raw.ServiceInfo)
	return c
}

// parseServiceInfo accepts the claim as a list of objects, one object, or a
// string holding either, and skips entries it cannot read.
func parseServiceInfo(raw json.RawMessage) []ServiceInfo {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil
		}
		raw = bytes.TrimSpace([]byte(s))
		if len(raw) == 0 {
			return nil
		}
	}
	var list []json.RawMessage
	if raw[0] == '{' {
		list = []json.RawMessage{raw}
	} else if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	var out []ServiceInfo
	for _, item := range list {
		var si ServiceInfo
		if json.Unmarshal(item, &si) == nil && (si.Product != "" || si.Role != "") {
			out = append(out, si)
		}
	}
	return out
}

func unixTime(n json.Number) time.Time {
	f, err := n.Float64()
	if err != nil || f <= 0 || f > 1e11 {
		return time.Time{}
	}
	return time.Unix(int64(f), 0)
}
