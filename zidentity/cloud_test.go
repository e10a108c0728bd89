package zidentity_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// zconnCommand matches a zconn command named in a message, which only the
// front ends may do.
var zconnCommand = regexp.MustCompile(`zconn (add|edit|test|doctor|list|rm|env|exec|import|token|use|rename|secrets)\b`)

func TestCloudKnown(t *testing.T) {
	tests := []struct {
		cloud zidentity.Cloud
		want  bool
	}{
		{"", true},
		{zidentity.Production, true},
		{zidentity.Beta, true},
		{zidentity.Gov, true},
		{zidentity.GovUS, true},
		{"alpha", false},
		{"evil", false},
		{"BETA", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.cloud), func(t *testing.T) {
			if got := tt.cloud.Known(); got != tt.want {
				t.Errorf("Cloud(%q).Known() = %v; want %v", tt.cloud, got, tt.want)
			}
		})
	}
	for _, c := range zidentity.KnownClouds() {
		if !c.Known() {
			t.Errorf("KnownClouds holds %q, which is not Known", c)
		}
	}
}

func TestKnownCloudList(t *testing.T) {
	tests := []struct{ last, want string }{
		{", ", "production, beta, gov, govus"},
		{" and ", "production, beta, gov and govus"},
		{" or ", "production, beta, gov or govus"},
	}
	for _, tt := range tests {
		t.Run(tt.last, func(t *testing.T) {
			if got := zidentity.KnownCloudList(tt.last); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

// TestTokenRefusesUnknownCloud checks that a typo such as
// acme.zsloginevil.net sends nothing unless the caller allowed that cloud,
// and that known clouds and a replaced host are never refused.
func TestTokenRefusesUnknownCloud(t *testing.T) {
	evil, err := zidentity.ParseTenant("acme.zsloginevil.net")
	if err != nil {
		t.Fatalf("ParseTenant: %v", err)
	}
	tests := []struct {
		name     string
		tenant   zidentity.Tenant
		allow    bool
		baseURL  bool
		wantSent bool
	}{
		{"unknown cloud refused", evil, false, false, false},
		{"unknown cloud allowed", evil, true, false, true},
		{"unknown cloud with the host replaced", evil, false, true, true},
		{"production", zidentity.Tenant{Vanity: "acme"}, false, false, true},
		{"beta", zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Beta}, false, false, true},
		{"gov", zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Gov}, false, false, true},
		{"govus", zidentity.Tenant{Vanity: "acme", Cloud: zidentity.GovUS}, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := zidentitytest.New(t)
			srv.AddClient(zidentitytest.Client{ID: clientID, Secret: canary})
			c := &zidentity.Client{HTTPClient: srv.HTTPClientAnyHost(), Timeout: 5 * time.Second}
			if tt.baseURL {
				c.BaseURL, c.HTTPClient = srv.URL, srv.HTTPClient()
			}
			cr := zidentity.Credentials{Tenant: tt.tenant, ClientID: clientID, ClientSecret: canary, AllowUnknownCloud: tt.allow}
			_, err := c.Token(context.Background(), cr)
			if sent := srv.Requests() > 0; sent != tt.wantSent {
				t.Fatalf("request sent = %v; want %v (err %v)", sent, tt.wantSent, err)
			}
			if tt.wantSent {
				if err != nil {
					t.Errorf("Token: %v; want a token", err)
				}
				return
			}
			assertFailure(t, err, zidentity.UnknownCloud, "acme.zsloginevil.net")
			if got := zidentity.CategoryOf(err).String(); got != "unknown_cloud" {
				t.Errorf("category name = %q; want unknown_cloud", got)
			}
			assertNamesNoFlag(t, err)
		})
	}
}

// assertNamesNoFlag fails if err's message names a command-line flag or a
// zconn command: those hints belong to the front ends.
func assertNamesNoFlag(t *testing.T, err error) {
	t.Helper()
	if msg := err.Error(); strings.Contains(msg, " --") || zconnCommand.MatchString(msg) {
		t.Errorf("message %q names a flag or command; want facts only", msg)
	}
}
