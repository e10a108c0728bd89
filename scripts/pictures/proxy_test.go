package pictures

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestProxy(t *testing.T) {
	type seen struct{ method, path, body string }
	got := make(chan seen, 1)
	upstream := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, string(b)}
		_, _ = io.WriteString(w, "from upstream")
	}))
	defer upstream.Close()
	p, err := StartProxy(upstream.URL, upstream.Client().Transport)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Close() }()

	// A client that trusts only the proxy's authority, as zconn does with
	// SSL_CERT_FILE.
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(p.CAPEM) {
		t.Fatal("the proxy's CA does not parse")
	}
	proxyURL, _ := url.Parse(p.URL)
	client := &http.Client{Transport: &http.Transport{
		Proxy:           http.ProxyURL(proxyURL),
		TLSClientConfig: &tls.Config{RootCAs: roots},
	}}

	tests := []struct{ name, url string }{
		{"a tenant's token endpoint", "https://acme.zslogin.net/oauth2/v1/token"},
		{"another cloud", "https://acme.zsloginbeta.net/oauth2/v1/token"},
		{"the API", "https://api.zsapi.net/ziam/admin/api/v1/users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.Post(tt.url, "application/x-www-form-urlencoded", strings.NewReader("grant_type=client_credentials"))
			if err != nil {
				t.Fatalf("POST %s through the proxy: %v", tt.url, err)
			}
			defer func() { _ = resp.Body.Close() }()
			body, _ := io.ReadAll(resp.Body)
			if string(body) != "from upstream" {
				t.Errorf("got answer %q; want the upstream's", body)
			}
			u, _ := url.Parse(tt.url)
			if s := <-got; s != (seen{http.MethodPost, u.Path, "grant_type=client_credentials"}) {
				t.Errorf("upstream got %+v; want the same method, path and body", s)
			}
			if cn := resp.TLS.PeerCertificates[0].Subject.CommonName; cn != u.Hostname() {
				t.Errorf("got a certificate for %q; want one for %q", cn, u.Hostname())
			}
		})
	}

	t.Run("only tunnels", func(t *testing.T) {
		resp, err := http.Get(p.URL + "/oauth2/v1/token")
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("got status %d for a plain request; want 405", resp.StatusCode)
		}
	})
}
