package zidentity_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// spacedCanary is a secret with a space and every character the common
// encodings change, so that each echo differs from the plain secret.
const spacedCanary = `zconn-canary S3cr3t+/=&<"'>%20-7f1d`

// leakForms returns the secret and every encoded form of it that must
// never be shown: the forms the fake's Echo failures use, and the base64
// of the secret at each of the three offsets it can take in a longer run.
func leakForms(secret string) map[string]string {
	jsonQ, _ := json.Marshal(secret)
	lowerHex := regexp.MustCompile(`%[0-9A-F]{2}`)
	forms := map[string]string{
		"plain":          secret,
		"spaces doubled": strings.ReplaceAll(secret, " ", "  "),
		"upper case":     strings.ToUpper(secret),
		"lower case":     strings.ToLower(secret),
		"json":           strings.Trim(string(jsonQ), `"`),
		"json slash":     strings.ReplaceAll(strings.Trim(string(jsonQ), `"`), "/", `\/`),
		"html":           html.EscapeString(secret),
		"query":          url.QueryEscape(secret),
		"path":           url.PathEscape(secret),
		"path lower hex": lowerHex.ReplaceAllStringFunc(url.PathEscape(secret), strings.ToLower),
		"prefix":         secret[:max(8, (len(secret)+1)/2)],
	}
	for a := range 3 {
		for name, enc := range map[string]*base64.Encoding{"std": base64.StdEncoding, "url": base64.URLEncoding} {
			s := enc.EncodeToString(append(make([]byte, a), secret...))
			first, last := (8*a+5)/6, 8*(a+len(secret))/6
			forms[fmt.Sprintf("base64 %s at %d", name, a)] = s[first:last]
		}
	}
	return forms
}

// assertNoLeak fails the test if any form of secret appears in text, in
// any case but for base64.
func assertNoLeak(t *testing.T, where, text, secret string) {
	t.Helper()
	for name, form := range leakForms(secret) {
		in := text
		if !strings.HasPrefix(name, "base64") {
			in, form = strings.ToLower(in), strings.ToLower(form)
		}
		if strings.Contains(in, form) {
			t.Errorf("%s holds the secret (%s form %q): %q", where, name, form, text)
		}
	}
}

// assertErrorHoldsNoSecret checks err.Error(), every field of the *Error
// and every error it wraps.
func assertErrorHoldsNoSecret(t *testing.T, err error, secret string) {
	t.Helper()
	var e *zidentity.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T); want *zidentity.Error", err, err)
	}
	assertNoLeak(t, "err.Error()", err.Error(), secret)
	assertNoLeak(t, "%+v", fmt.Sprintf("%+v %#v", err, err), secret)
	for name, field := range map[string]string{"Code": e.Code, "Description": e.Description, "Location": e.Location, "Detail": e.Detail, "Host": e.Host} {
		assertNoLeak(t, "Error."+name, field, secret)
	}
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
		assertNoLeak(t, "a wrapped error", u.Error(), secret)
	}
}

// TestEchoedSecretIsRedacted has the fake echo the secret in each form a
// careless or hostile server might, and checks that no form of it reaches
// the error or its fields.
func TestEchoedSecretIsRedacted(t *testing.T) {
	tests := []struct {
		name     string
		failure  zidentitytest.Failure
		category zidentity.Category
	}{
		{"plain", zidentitytest.EchoSecret, zidentity.Rejected},
		{"spaces doubled", zidentitytest.EchoSpaced, zidentity.Rejected},
		{"json", zidentitytest.EchoJSON, zidentity.Rejected},
		{"html", zidentitytest.EchoHTML, zidentity.Rejected},
		{"percent", zidentitytest.EchoPercent, zidentity.Rejected},
		{"base64", zidentitytest.EchoBase64, zidentity.Rejected},
		{"base64 url in a run", zidentitytest.EchoBase64URL, zidentity.Rejected},
		{"base64 basic", zidentitytest.EchoBase64Basic, zidentity.Rejected},
		{"upper case", zidentitytest.EchoUpper, zidentity.Rejected},
		{"prefix", zidentitytest.EchoPrefix, zidentity.Rejected},
		{"location header", zidentitytest.EchoLocation, zidentity.Redirected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := zidentitytest.New(t)
			srv.AddClient(zidentitytest.Client{ID: clientID, Secret: spacedCanary})
			srv.SetFailure(tt.failure)
			c := &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.HTTPClient(), Timeout: 5 * time.Second}
			_, err := c.Token(context.Background(), zidentity.Credentials{ClientID: clientID, ClientSecret: spacedCanary})
			if got := zidentity.CategoryOf(err); got != tt.category {
				t.Errorf("category = %v; want %v (%v)", got, tt.category, err)
			}
			assertErrorHoldsNoSecret(t, err, spacedCanary)
			if tt.category == zidentity.Rejected && !strings.Contains(err.Error(), zidentity.Redacted) {
				t.Errorf("error %q; want %s where the secret was", err, zidentity.Redacted)
			}
		})
	}
}

// TestEchoedSecretInClaimsIsRedacted has the fake issue a token whose
// claims and token type hold the secret, and checks that the Token keeps
// none of it while keeping the genuine claims.
func TestEchoedSecretInClaimsIsRedacted(t *testing.T) {
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: clientID, Secret: spacedCanary})
	srv.SetFailure(zidentitytest.EchoClaims)
	c := &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.HTTPClient(), Timeout: 5 * time.Second}
	tok, err := c.Token(context.Background(), zidentity.Credentials{ClientID: clientID, ClientSecret: spacedCanary})
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	var fields []string
	fields = append(fields, tok.TokenType, tok.Claims.ID)
	for _, s := range tok.Claims.Services {
		fields = append(fields, s.Product, s.Role, s.Tenant)
	}
	for _, f := range fields {
		assertNoLeak(t, "a claim", f, spacedCanary)
	}
	assertNoLeak(t, "Products", strings.Join(tok.Claims.Products(), " "), spacedCanary)
	assertNoLeak(t, "Roles", strings.Join(tok.Claims.Roles(), " "), spacedCanary)
	if !tok.Claims.HasProduct(zidentity.ZIAM) {
		t.Errorf("Products = %v; want the genuine ZIAM entry kept", tok.Claims.Products())
	}
	if got := tok.Claims.Services[0]; got != (zidentity.ServiceInfo{Product: "ZIAM", Role: "Super Admin", Tenant: "acme"}) {
		t.Errorf("first service = %+v; want it unchanged", got)
	}
	if got := tok.Claims.Services[1].Product; got != zidentity.Redacted {
		t.Errorf("echoed product = %q; want %q", got, zidentity.Redacted)
	}
}

// TestTransportErrorsQuoteNothing has a server answer with a malformed
// status line that holds the secret: net/http quotes such a line in its
// error, and zconn must not pass it on.
func TestTransportErrorsQuoteNothing(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer func() { _ = conn.Close() }()
		_, _ = buf.WriteString("HTTP/1.1 " + strings.ToUpper(url.QueryEscape(spacedCanary)) + "\r\n\r\n")
		_ = buf.Flush()
	}))
	srv.StartTLS()
	defer srv.Close()
	c := &zidentity.Client{BaseURL: srv.URL, HTTPClient: srv.Client(), Timeout: 5 * time.Second}
	_, err := c.Token(context.Background(), zidentity.Credentials{ClientID: clientID, ClientSecret: spacedCanary})
	if got := zidentity.CategoryOf(err); got != zidentity.CannotConnect {
		t.Errorf("category = %v; want %v (%v)", got, zidentity.CannotConnect, err)
	}
	assertErrorHoldsNoSecret(t, err, spacedCanary)
}
