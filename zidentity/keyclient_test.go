package zidentity_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// keySetup starts the fake with a private-key client registered under the
// public half of the "a" key of the given size.
func keySetup(t *testing.T, bits int) (*zidentitytest.Server, *zidentity.Client, *rsa.PrivateKey) {
	t.Helper()
	rk := zidentitytest.Key(t, "a", bits)
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: clientID, PublicKey: &rk.PublicKey})
	return srv, &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.HTTPClient(), Timeout: 10 * time.Second}, rk
}

func keyCredentials(t *testing.T, pemText []byte) zidentity.Credentials {
	t.Helper()
	k, err := zidentity.ParsePrivateKey(pemText)
	if err != nil {
		t.Fatalf("ParsePrivateKey: %v", err)
	}
	return zidentity.Credentials{Tenant: zidentity.Tenant{Vanity: "acme"}, ClientID: clientID, PrivateKey: k}
}

// TestTokenWithPrivateKey signs in with keys of each size in each PEM
// form; the fake verifies every assertion against the public key and
// fails the test on any breach of the protocol.
func TestTokenWithPrivateKey(t *testing.T) {
	for _, bits := range []int{2048, 3072, 4096} {
		for form, encode := range map[string]func(*rsa.PrivateKey) []byte{"pkcs1": zidentitytest.PKCS1, "pkcs8": zidentitytest.PKCS8} {
			t.Run(fmt.Sprintf("%d %s", bits, form), func(t *testing.T) {
				srv, c, rk := keySetup(t, bits)
				cr := keyCredentials(t, encode(rk))
				tok, err := c.Token(context.Background(), cr)
				if err != nil {
					t.Fatalf("Token: %v", err)
				}
				if !tok.Claims.HasProduct(zidentity.ZIAM) || tok.AudienceOmitted {
					t.Errorf("token products %v, audience omitted %v; want ZIAM, audience sent", tok.Claims.Products(), tok.AudienceOmitted)
				}
				if n := srv.Requests(); n != 1 {
					t.Errorf("requests = %d; want 1", n)
				}
			})
		}
	}
}

// TestTokenWithWrongKey signs with a key whose public half the client does
// not hold: rejected, with the fix for keys, and no retry.
func TestTokenWithWrongKey(t *testing.T) {
	srv, c, _ := keySetup(t, 2048)
	cr := keyCredentials(t, zidentitytest.PKCS8(zidentitytest.Key(t, "b", 2048)))
	_, err := c.Token(context.Background(), cr)
	assertFailure(t, err, zidentity.Rejected, "public half")
	assertNamesNoFlag(t, err)
	if msg := err.Error(); !strings.Contains(msg, "private key was rejected") {
		t.Errorf("message %q; want it to say the private key was rejected", msg)
	}
	if n := srv.Requests(); n != 1 {
		t.Errorf("requests = %d; want 1 (no retry)", n)
	}
}

func TestTokenRefusesSecretAndKeyTogether(t *testing.T) {
	srv, c, rk := keySetup(t, 2048)
	cr := keyCredentials(t, zidentitytest.PKCS8(rk))
	cr.ClientSecret = canary
	_, err := c.Token(context.Background(), cr)
	assertFailure(t, err, zidentity.Invalid, "not both")
	if n := srv.Requests(); n != 0 {
		t.Errorf("requests = %d; want none", n)
	}
}

// TestAssertionAsTheSDKsSendIt captures two token requests and reads
// their assertions: the form fields and the JWT header are those of
// Zscaler's Go SDK, the claims are the SDK's plus iat and a fresh jti.
func TestAssertionAsTheSDKsSendIt(t *testing.T) {
	var mu sync.Mutex
	var forms []url.Values
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		forms = append(forms, r.PostForm)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"t","token_type":"Bearer","expires_in":3600}`))
	}))
	defer srv.Close()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	c := &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.Client(), Now: func() time.Time { return now }}
	rk := zidentitytest.Key(t, "a", 2048)
	cr := keyCredentials(t, zidentitytest.PKCS1(rk))
	for range 2 {
		if _, err := c.Token(context.Background(), cr); err != nil {
			t.Fatalf("Token: %v", err)
		}
	}
	var jtis []string
	for i, form := range forms {
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range form {
				if !yield(k) {
					return
				}
			}
		})
		if want := []string{"audience", "client_assertion", "client_assertion_type", "client_id", "grant_type"}; !slices.Equal(keys, want) {
			t.Errorf("request %d form fields %v; want %v", i, keys, want)
		}
		for k, want := range map[string]string{"grant_type": "client_credentials", "client_id": clientID, "audience": zidentity.Audience,
			"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"} {
			if got := form.Get(k); got != want {
				t.Errorf("form %s = %q; want %q", k, got, want)
			}
		}
		assertion := form.Get("client_assertion")
		parts := strings.Split(assertion, ".")
		if len(parts) != 3 {
			t.Fatalf("assertion has %d parts; want a JWS compact serialization", len(parts))
		}
		header, _ := base64.RawURLEncoding.DecodeString(parts[0])
		if string(header) != `{"alg":"RS256","typ":"JWT"}` {
			t.Errorf("assertion header %s; want the Go SDK's {\"alg\":\"RS256\",\"typ\":\"JWT\"}", header)
		}
		claims := jwt.MapClaims{}
		_, err := jwt.ParseWithClaims(assertion, claims, func(*jwt.Token) (any, error) { return &rk.PublicKey, nil },
			jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return now }))
		if err != nil {
			t.Fatalf("assertion does not verify with the public key: %v", err)
		}
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var raw map[string]any
		_ = json.Unmarshal(payload, &raw)
		want := map[string]any{"iss": clientID, "sub": clientID, "aud": zidentity.Audience,
			"iat": float64(now.Unix()), "exp": float64(now.Add(10 * time.Minute).Unix())}
		for k, v := range want {
			if raw[k] != v {
				t.Errorf("claim %s = %#v; want %#v", k, raw[k], v)
			}
		}
		jti, _ := raw["jti"].(string)
		if len(jti) < 16 {
			t.Errorf("claim jti = %q; want a random identifier", jti)
		}
		jtis = append(jtis, jti)
		if len(raw) != len(want)+1 {
			t.Errorf("claims %v; want exactly iss, sub, aud, iat, exp and jti", raw)
		}
	}
	if len(jtis) == 2 && jtis[0] == jtis[1] {
		t.Errorf("both assertions have jti %q; want a fresh one each time", jtis[0])
	}
}

// TestAudienceRefusal covers tenants that refuse the audience: a retry
// without it that succeeds and says so, later requests that skip it
// directly, and refusals that are not about the audience.
func TestAudienceRefusal(t *testing.T) {
	type starter func(t *testing.T) (*zidentitytest.Server, *zidentity.Client, zidentity.Credentials)
	secret := func(t *testing.T) (*zidentitytest.Server, *zidentity.Client, zidentity.Credentials) {
		return setup(t)
	}
	key := func(t *testing.T) (*zidentitytest.Server, *zidentity.Client, zidentity.Credentials) {
		srv, c, rk := keySetup(t, 2048)
		return srv, c, keyCredentials(t, zidentitytest.PKCS8(rk))
	}
	for name, start := range map[string]starter{"secret": secret, "private key": key} {
		t.Run(name+" refused then retried", func(t *testing.T) {
			srv, c, cr := start(t)
			srv.SetRefuseAudience(clientID, true)
			tok, err := c.Token(context.Background(), cr)
			if err != nil {
				t.Fatalf("Token: %v", err)
			}
			if !tok.AudienceOmitted {
				t.Error("AudienceOmitted = false; want true after the tenant refused the audience")
			}
			if got, without := srv.RequestsFor(clientID), srv.RequestsWithoutAudience(clientID); got != 2 || without != 1 {
				t.Errorf("requests = %d, %d without audience; want 2, 1", got, without)
			}
		})
		t.Run(name+" skipped when known", func(t *testing.T) {
			srv, c, cr := start(t)
			srv.SetRefuseAudience(clientID, true)
			cr.OmitAudience = true
			tok, err := c.Token(context.Background(), cr)
			if err != nil {
				t.Fatalf("Token: %v", err)
			}
			if !tok.AudienceOmitted {
				t.Error("AudienceOmitted = false; want true")
			}
			if got, without := srv.RequestsFor(clientID), srv.RequestsWithoutAudience(clientID); got != 1 || without != 1 {
				t.Errorf("requests = %d, %d without audience; want exactly 1, without audience", got, without)
			}
		})
		t.Run(name+" invalid_request either way", func(t *testing.T) {
			srv, c, cr := start(t)
			srv.SetClientFailure(clientID, zidentitytest.InvalidRequest)
			_, err := c.Token(context.Background(), cr)
			assertFailure(t, err, zidentity.InvalidRequest, "not a wrong secret or key")
			assertNamesNoFlag(t, err)
			e := err.(*zidentity.Error)
			if e.Code != "invalid_request" || !strings.Contains(e.Description, "malformed") || !e.AudienceOmitted {
				t.Errorf("error code %q, description %q, audience omitted %v; want invalid_request, the server's words, true", e.Code, e.Description, e.AudienceOmitted)
			}
			if got := zidentity.CategoryOf(err).String(); got != "invalid_request" {
				t.Errorf("category name = %q; want invalid_request", got)
			}
			if n := srv.RequestsFor(clientID); n != 2 {
				t.Errorf("requests = %d; want 2 (one retry without the audience)", n)
			}
		})
		t.Run(name+" invalid_client not retried", func(t *testing.T) {
			srv, c, cr := start(t)
			srv.SetClientFailure(clientID, zidentitytest.Reject)
			_, err := c.Token(context.Background(), cr)
			assertFailure(t, err, zidentity.Rejected, "rejected")
			if n := srv.RequestsFor(clientID); n != 1 {
				t.Errorf("requests = %d; want 1 (no retry)", n)
			}
		})
	}
}

// TestAssertionEchoedIsRedacted: an assertion is a credential for ten
// minutes, so a server that echoes it gets it redacted as a secret.
func TestAssertionEchoedIsRedacted(t *testing.T) {
	for name, f := range map[string]zidentitytest.Failure{"plain": zidentitytest.EchoSecret, "prefix": zidentitytest.EchoPrefix, "percent": zidentitytest.EchoPercent} {
		t.Run(name, func(t *testing.T) {
			var assertion string
			srv, c, rk := keySetup(t, 2048)
			srv.SetFailure(f)
			c.HTTPClient = capture(srv.HTTPClient(), func(form url.Values) { assertion = form.Get("client_assertion") })
			_, err := c.Token(context.Background(), keyCredentials(t, zidentitytest.PKCS8(rk)))
			if assertion == "" {
				t.Fatal("no assertion was sent")
			}
			assertErrorHoldsNoSecret(t, err, assertion)
		})
	}
}

// capture returns a client that hands each request's form to f.
func capture(hc *http.Client, f func(url.Values)) *http.Client {
	c := *hc
	next := c.Transport
	c.Transport = roundTripper(func(r *http.Request) (*http.Response, error) {
		body, _ := r.GetBody()
		b := new(strings.Builder)
		buf := make([]byte, 64<<10)
		n, _ := body.Read(buf)
		b.Write(buf[:n])
		form, _ := url.ParseQuery(b.String())
		f(form)
		return next.RoundTrip(r)
	})
	return &c
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
