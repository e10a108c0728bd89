package zidentitytest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// AssertionType is the client_assertion_type a private-key client sends.
const AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// Audience is the audience of token requests and of client assertions.
const Audience = "https://api.zscaler.com"

// MaxAssertionLifetime is the longest an assertion may be valid (exp - iat,
// or exp - now without iat).
const MaxAssertionLifetime = time.Hour

// verifyAssertion checks a client assertion as ZIdentity would: the RS256
// signature against the client's public key, then the header and claims.
// It returns "" when the assertion proves the client, or the description
// of a 401. A wrong signature is a fair answer to a test; an assertion
// that breaks the protocol is also a problem that fails the test.
func (s *Server) verifyAssertion(c Client, assertion string) string {
	s.mu.Lock()
	sdk := s.sdkAssertions
	s.mu.Unlock()

	now := time.Now()
	claims := jwt.MapClaims{}
	// The library checks the signature and the algorithm; the claims are
	// checked below, each with its own message.
	token, err := jwt.ParseWithClaims(assertion, claims, func(*jwt.Token) (any, error) { return c.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	switch {
	case token != nil && token.Header["alg"] != "RS256":
		s.problem("client_assertion does not verify: header alg %v; want RS256", token.Header["alg"])
		return "The client_assertion is invalid"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "The client_assertion signature is invalid"
	case err != nil:
		s.problem("client_assertion does not verify: %v", err)
		return "The client_assertion is invalid"
	}
	var faults []string
	fault := func(format string, args ...any) { faults = append(faults, fmt.Sprintf(format, args...)) }

	for k := range token.Header {
		if k != "alg" && k != "typ" {
			fault("header field %s; the SDKs send only alg and typ", k)
		}
	}
	if typ, _ := token.Header["typ"].(string); typ != "JWT" {
		fault("header typ = %v; want JWT", token.Header["typ"])
	}
	for _, k := range []string{"iss", "sub"} {
		if v, _ := claims[k].(string); v != c.ID {
			fault("claim %s = %v; want the client ID %q", k, claims[k], c.ID)
		}
	}
	if aud, ok := claims["aud"].(string); !ok || aud != Audience {
		fault("claim aud = %#v; want the string %q", claims["aud"], Audience)
	}
	exp, err := claims.GetExpirationTime()
	iat, errIat := claims.GetIssuedAt()
	switch {
	case err != nil || exp == nil:
		fault("claim exp missing or not a number")
	case !exp.After(now):
		fault("claim exp %v is not in the future", exp.Time)
	}
	if !sdk || claims["iat"] != nil {
		switch {
		case errIat != nil || iat == nil:
			fault("claim iat missing or not a number")
		case iat.After(now.Add(time.Minute)):
			fault("claim iat %v is in the future", iat.Time)
		case exp != nil && exp.Sub(iat.Time) > MaxAssertionLifetime:
			fault("claim exp is %v after iat; want at most %v", exp.Sub(iat.Time), MaxAssertionLifetime)
		}
	} else if exp != nil && exp.Sub(now) > MaxAssertionLifetime {
		fault("claim exp is %v away; want at most %v", exp.Sub(now), MaxAssertionLifetime)
	}
	jti, _ := claims["jti"].(string)
	switch {
	case jti == "" && (!sdk || claims["jti"] != nil):
		fault("claim jti missing or empty")
	case jti != "":
		s.mu.Lock()
		reused := s.jtis[jti]
		s.jtis[jti] = true
		s.mu.Unlock()
		if reused {
			fault("claim jti %q was used before: an assertion was replayed", jti)
		}
	}
	if len(faults) > 0 {
		for _, f := range faults {
			s.problem("client_assertion: %s", f)
		}
		return "The client_assertion is invalid: " + strings.Join(faults, "; ")
	}
	return ""
}
