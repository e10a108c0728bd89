package zidentity

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"
)

func unsignedJWT(payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + enc.EncodeToString([]byte(payload)) + ".sig"
}

func TestParseTokenResponse(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		lifetime time.Duration
		products []string
	}{
		{"number", `{"access_token":"abc","token_type":"Bearer","expires_in":3600}`, time.Hour, nil},
		{"string", `{"access_token":"abc","expires_in":"600"}`, 10 * time.Minute, nil},
		{"float", `{"access_token":"abc","expires_in":59.0}`, 59 * time.Second, nil},
		{"missing expires_in uses claims", `{"access_token":"` + unsignedJWT(`{"iat":1000,"exp":1600}`) + `"}`, 10 * time.Minute, nil},
		{"service-info list", `{"access_token":"` + unsignedJWT(`{"service-info":[{"prd":"ZIAM","rnm":"Admin","tnt":"t"},{"prd":"ZPA","rnm":"Admin"}]}`) + `","expires_in":60}`, time.Minute, []string{"ZIAM", "ZPA"}},
		{"service-info as string", `{"access_token":"` + unsignedJWT(`{"service-info":"[{\"prd\":\"ZIA\",\"rnm\":\"R\"}]"}`) + `","expires_in":60}`, time.Minute, []string{"ZIA"}},
		{"service-info single object", `{"access_token":"` + unsignedJWT(`{"service-info":{"prd":"ZDX","rnm":"R"}}`) + `","expires_in":60}`, time.Minute, []string{"ZDX"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := parseTokenResponse([]byte(tt.body))
			if err != nil {
				t.Fatalf("parseTokenResponse: %v", err)
			}
			if tok.Lifetime != tt.lifetime {
				t.Errorf("Lifetime = %v; want %v", tok.Lifetime, tt.lifetime)
			}
			if got := tok.Claims.Products(); !slices.Equal(got, tt.products) {
				t.Errorf("Products = %v; want %v", got, tt.products)
			}
		})
	}
}

func TestParseTokenResponseRefuses(t *testing.T) {
	for name, body := range map[string]string{
		"html":             "<html>",
		"empty":            "",
		"no token":         `{"token_type":"Bearer"}`,
		"blank token":      `{"access_token":"  "}`,
		"bad expires_in":   `{"access_token":"a","expires_in":"soon"}`,
		"negative expires": `{"access_token":"a","expires_in":-5}`,
		"array":            `[1,2]`,
		// What no access token holds (RFC 6750's b64token): printed by
		// zconn token, it could drive the terminal or split a header.
		"escape sequence":    `{"access_token":"eyJtok\u001b]0;pwned\u0007.x.y","expires_in":60}`,
		"C1 control":         `{"access_token":"eyJtok\u009b2J.x.y","expires_in":60}`,
		"line break":         `{"access_token":"eyJtok\r\nX-Evil: 1","expires_in":60}`,
		"space":              `{"access_token":"eyJtok two","expires_in":60}`,
		"no-break space":     `{"access_token":"eyJtok\u00a0two","expires_in":60}`,
		"bidi override":      `{"access_token":"eyJtok\u202etwo","expires_in":60}`,
		"invalid UTF-8":      "{\"access_token\":\"eyJtok\xff\",\"expires_in\":60}",
		"surrounding spaces": `{"access_token":" eyJtok ","expires_in":60}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseTokenResponse([]byte(body))
			if CategoryOf(err) != Malformed {
				t.Fatalf("err = %v; want a Malformed error", err)
			}
			if msg := err.Error(); strings.Contains(msg, "eyJtok") || strings.Contains(msg, "\n") {
				t.Errorf("err = %q; want one line that does not quote the token", msg)
			}
		})
	}
}

func TestParseClaimsTolerance(t *testing.T) {
	for _, tok := range []string{"opaque", "a.b", "a.!!!.c", unsignedJWT("not json"), unsignedJWT(`{"exp":"soon","service-info":42}`)} {
		c := ParseClaims(tok)
		if len(c.Services) != 0 || !c.ExpiresAt.IsZero() {
			t.Errorf("ParseClaims(%q) = %+v; want no claims", tok, c)
		}
	}
}

func FuzzParseTokenResponse(f *testing.F) {
	f.Add([]byte(`{"access_token":"abc","expires_in":3600}`))
	f.Add([]byte(`{"access_token":"` + unsignedJWT(`{"service-info":[{"prd":"ZIAM","rnm":"Admin"}],"iat":1,"exp":2}`) + `","expires_in":"60"}`))
	f.Add([]byte(`{"access_token":"a.eyJzZXJ2aWNlLWluZm8iOiJbXSJ9.c"}`))
	f.Add([]byte(`<html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		tok, err := parseTokenResponse(body)
		if err != nil {
			if CategoryOf(err) != Malformed {
				t.Fatalf("error %v is not Malformed", err)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if strings.TrimSpace(tok.AccessToken) == "" {
			t.Fatal("accepted an answer without an access token")
		}
		if tok.Lifetime < 0 {
			t.Fatalf("negative lifetime %v", tok.Lifetime)
		}
	})
}
