package zidentitytest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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
			resp.Body.Close()
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
		resp.Body.Close()
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
