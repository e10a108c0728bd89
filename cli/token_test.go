package cli_test

import (
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

func TestToken(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	r := h.run("", "token")
	r.want(t, 0)
	tok := strings.TrimSuffix(r.stdout, "\n")
	if strings.ContainsAny(tok, " \n") || !strings.HasSuffix(r.stdout, "\n") {
		t.Fatalf("stdout %q; want the token alone on one line", r.stdout)
	}
	if c := zidentity.ParseClaims(tok); !c.JWT || !c.HasProduct("ZIAM") {
		t.Errorf("printed %q; want the access token", tok)
	}
	after, _ := h.find("prod")
	if after.Verification != nil {
		t.Error("token recorded a verification; want nothing recorded")
	}
}

func TestTokenFailures(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		failure zidentitytest.Failure
		code    int
		message string
	}{
		{"rejected", []string{"token", "prod"}, zidentitytest.Reject, 1, "zconn: fetching a token for prod: the client ID or secret was rejected"},
		{"rate limited", []string{"token"}, zidentitytest.RateLimit, 1, "wait 30s and try again"},
		{"unknown", []string{"token", "nope"}, zidentitytest.OK, 1, `no such connection named "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod"}, canary)
			h.srv.SetFailure(tt.failure)
			r := h.run("", tt.args...)
			r.want(t, tt.code, tt.message)
			if r.stdout != "" {
				t.Errorf("stdout %q; want nothing", r.stdout)
			}
		})
	}
}
