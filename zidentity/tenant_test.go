package zidentity

import (
	"strings"
	"testing"
)

func TestParseTenant(t *testing.T) {
	tests := []struct {
		in   string
		want Tenant
	}{
		{"acme", Tenant{Vanity: "acme"}},
		{"ACME", Tenant{Vanity: "acme"}},
		{"  acme  ", Tenant{Vanity: "acme"}},
		{"acme-corp2", Tenant{Vanity: "acme-corp2"}},
		{"acme-admin", Tenant{Vanity: "acme"}},
		{"acme.zslogin.net", Tenant{"acme", Production}},
		{"acme.zslogin.net.", Tenant{"acme", Production}},
		{"https://acme.zslogin.net/", Tenant{"acme", Production}},
		{"https://acme-admin.zslogin.net/#/home", Tenant{"acme", Production}},
		{"acme-admin.zslogin.net/admin/api/v1/users", Tenant{"acme", Production}},
		{"acme.zsloginbeta.net", Tenant{"acme", Beta}},
		{"https://acme.zsloginalpha.net", Tenant{"acme", "alpha"}},
		{"acme.zidentitygov.us", Tenant{"acme", GovUS}},
		{"acme.zidentitygov.net", Tenant{"acme", Gov}},
		{"https://acme.zslogin.net/oauth2/v1/token", Tenant{"acme", Production}},
		{"HTTPS://ACME.ZSLOGIN.NET:443/oauth2/v1/token?x=1", Tenant{"acme", Production}},
		{"\t https://acme.zslogin.net \n", Tenant{"acme", Production}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTenant(tt.in)
			if err != nil {
				t.Fatalf("ParseTenant(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseTenant(%q) = %+v; want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseTenantRefuses(t *testing.T) {
	tests := []struct {
		name, in, wantInError string
	}{
		{"empty", "", "enter the tenant"},
		{"spaces only", "   ", "enter the tenant"},
		{"bare ipv4", "10.0.0.1", "IP address"},
		{"ipv4 url", "https://192.168.1.5/", "IP address"},
		{"ipv6 url", "https://[::1]:8443/", "IP address"},
		{"zia cloud", "acme.zscaler.net", "ZIA cloud"},
		{"zia admin url", "https://admin.zscalertwo.net/", "ZIA cloud"},
		{"zscloud", "https://admin.zscloud.net", "ZIA cloud"},
		{"http url", "http://acme.zslogin.net/", "https"},
		{"other scheme", "ftp://acme.zslogin.net", "https"},
		{"other domain", "acme.example.com", "not a ZIdentity domain"},
		{"two labels before domain", "a.acme.zslogin.net", "not a ZIdentity domain"},
		{"underscore", "acme_corp", "letters, digits"},
		{"space inside", "ac me", "acme"},
		{"leading hyphen", "-acme", "letters, digits"},
		{"unicode", "ácme", "letters, digits"},
		{"user info", "https://bob:pw@acme.zslogin.net", "user name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTenant(tt.in)
			if err == nil {
				t.Fatalf("ParseTenant(%q) = %+v; want an error", tt.in, got)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantInError) {
				t.Errorf("error %q; want it to mention %q", msg, tt.wantInError)
			}
			if !strings.Contains(msg, ":") || strings.Contains(msg, "\n") {
				t.Errorf("error %q; want one line that names the fix after a colon", msg)
			}
		})
	}
}

func TestTokenURL(t *testing.T) {
	tests := []struct {
		name    string
		tenant  Tenant
		baseURL string
		want    string
	}{
		{"production by default", Tenant{Vanity: "acme"}, "", "https://acme.zslogin.net/oauth2/v1/token"},
		{"production", Tenant{"acme", Production}, "", "https://acme.zslogin.net/oauth2/v1/token"},
		{"beta", Tenant{"acme", Beta}, "", "https://acme.zsloginbeta.net/oauth2/v1/token"},
		{"other named cloud", Tenant{"acme", "alpha"}, "", "https://acme.zsloginalpha.net/oauth2/v1/token"},
		{"gov", Tenant{"acme", Gov}, "", "https://acme.zidentitygov.net/oauth2/v1/token"},
		{"govus", Tenant{"acme", GovUS}, "", "https://acme.zidentitygov.us/oauth2/v1/token"},
		{"override", Tenant{"acme", Production}, "https://127.0.0.1:8443", "https://127.0.0.1:8443/oauth2/v1/token"},
		{"override with path", Tenant{"acme", Beta}, "https://proxy.test/zid/", "https://proxy.test/zid/oauth2/v1/token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Client{BaseURL: tt.baseURL}
			got, err := c.TokenURL(tt.tenant)
			if err != nil {
				t.Fatalf("TokenURL: %v", err)
			}
			if got != tt.want {
				t.Errorf("TokenURL = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestTokenURLRefusesPlainHTTPOverride(t *testing.T) {
	for _, base := range []string{"http://127.0.0.1:8080", "127.0.0.1:8080", "https://h/?q=1", "https://u:p@h/"} {
		c := &Client{BaseURL: base}
		if got, err := c.TokenURL(Tenant{Vanity: "acme"}); err == nil {
			t.Errorf("TokenURL with base %q = %q; want an error", base, got)
		} else if !strings.Contains(err.Error(), "ZCONN_ZIDENTITY_URL") {
			t.Errorf("error %q; want it to name ZCONN_ZIDENTITY_URL", err)
		}
	}
}

// TestAddressesThatDoNotParseHideTheirPassword: an override or a pasted
// tenant address that is not a URL is refused without the password it
// may hold.
func TestAddressesThatDoNotParseHideTheirPassword(t *testing.T) {
	for _, base := range []string{"https://admin:hunter2@", "https://admin:hunt%zz@host"} {
		c := &Client{BaseURL: base}
		if _, err := c.TokenURL(Tenant{Vanity: "acme"}); err == nil || strings.Contains(err.Error(), "hunt") {
			t.Errorf("TokenURL with base %q: error %v; want one without the password", base, err)
		}
	}
	if _, err := ParseTenant("https://admin:hunt%zz@acme.zslogin.net"); err == nil || strings.Contains(err.Error(), "hunt") {
		t.Errorf("ParseTenant: error %v; want one without the password", err)
	}
}

func TestParseCloud(t *testing.T) {
	tests := []struct {
		in   string
		want Cloud
		ok   bool
	}{
		{"", Production, true},
		{"Production", Production, true},
		{"beta", Beta, true},
		{" GOVUS ", GovUS, true},
		{"alpha", "alpha", true},
		{"zs.net", "", false},
		{"be ta", "", false},
	}
	for _, tt := range tests {
		got, err := ParseCloud(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseCloud(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzParseTenant(f *testing.F) {
	for _, s := range []string{"acme", "https://acme-admin.zslogin.net/#/home", "acme.zsloginbeta.net", "10.0.0.1", "http://x", "a.zscaler.net", "[::1]", "%zz", "https://ac me"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTenant(s)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if !isLabel(got.Vanity) || strings.ToLower(got.Vanity) != got.Vanity {
			t.Fatalf("ParseTenant(%q) gave vanity %q, not a lower-case DNS label", s, got.Vanity)
		}
		c := &Client{}
		u, err := c.TokenURL(got)
		if err != nil || !strings.HasPrefix(u, "https://"+got.Vanity+".") {
			t.Fatalf("TokenURL(%+v) = %q, %v", got, u, err)
		}
		again, err := ParseTenant(u)
		if err != nil || again.Vanity != got.Vanity || again.Cloud.String() != got.Cloud.String() {
			t.Fatalf("round trip of %q through %q gave %+v, %v", s, u, again, err)
		}
	})
}
