package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

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

// tokenJSON is token --json's object.
type tokenJSON struct {
	AccessToken string  `json:"access_token"`
	ExpiresAt   *string `json:"expires_at"`
	Cached      bool    `json:"cached"`
}

func (h *harness) tokenJSON(args ...string) (tokenJSON, result) {
	h.t.Helper()
	r := h.run("", append([]string{"token", "--json"}, args...)...)
	var got tokenJSON
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil || strings.Count(r.stdout, "\n") != 1 {
		h.t.Fatalf("token --json printed %q (%v); want one JSON object on one line", r.stdout, err)
	}
	return got, r
}

func TestTokenIsCached(t *testing.T) {
	h := newHarness(t)
	now := time.Now()
	h.now = func() time.Time { return now }
	h.seed(store.Connection{Name: "prod"}, canary)
	first, r := h.tokenJSON()
	r.want(t, 0)
	if first.Cached || first.AccessToken == "" || first.ExpiresAt == nil {
		t.Fatalf("first token --json = %+v; want a new token with its expiry", first)
	}
	if want := now.Add(time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339); *first.ExpiresAt != want {
		t.Errorf("expires_at = %s; want %s", *first.ExpiresAt, want)
	}
	requests, reads := h.srv.Requests(), h.mem.SecretReads()
	r = h.run("", "token")
	r.want(t, 0)
	if r.stdout != first.AccessToken+"\n" {
		t.Errorf("second token printed %q; want the first token", r.stdout)
	}
	if h.srv.Requests() != requests || h.mem.SecretReads() != reads {
		t.Errorf("the second call made %d requests and read the secret %d times; want neither", h.srv.Requests()-requests, h.mem.SecretReads()-reads)
	}
	again, _ := h.tokenJSON("prod")
	if !again.Cached || again.AccessToken != first.AccessToken || *again.ExpiresAt != *first.ExpiresAt {
		t.Errorf("token --json again = %+v; want the first token, cached", again)
	}
	for _, flag := range []string{"--fresh", "--no-cache"} {
		fresh, r := h.tokenJSON(flag)
		r.want(t, 0)
		if fresh.Cached || fresh.AccessToken == first.AccessToken {
			t.Errorf("token %s = %+v; want a new token", flag, fresh)
		}
		if next, _ := h.tokenJSON(); !next.Cached || next.AccessToken != fresh.AccessToken {
			t.Errorf("after %s the cache hands out %+v; want the token %s fetched", flag, next, flag)
		}
	}
	if got := h.srv.Requests() - requests; got != 2 {
		t.Errorf("requests after the first = %d; want 2, one per --fresh", got)
	}
	// 59 seconds before it expires, a new one.
	now = now.Add(time.Hour - 59*time.Second)
	if late, _ := h.tokenJSON(); late.Cached {
		t.Errorf("token 59s before expiry = %+v; want a new one", late)
	}
}

func TestTokenCacheIsDroppedWithTheCredentials(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		kept  bool
	}{
		{"rotate", canary, []string{"edit", "prod", "--rotate-secret"}, false},
		{"edit the description", "", []string{"edit", "prod", "--description", "new"}, true},
		{"rename", "", []string{"rename", "prod", "production"}, true},
		{"remove", "", []string{"rm", "prod", "--yes"}, false},
		{"migrate", "", []string{"secrets", "migrate", "--to", "file"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.env["ZCONN_PASSPHRASE"] = "vault passphrase"
			c := h.seed(store.Connection{Name: "prod"}, canary)
			h.run("", "token").want(t, 0)
			if _, ok := h.mem.PeekToken(c.ID); !ok {
				t.Fatal("token kept no token")
			}
			h.run(tt.stdin, tt.args...).want(t, 0)
			if _, ok := h.mem.PeekToken(c.ID); ok != tt.kept {
				t.Errorf("after %s a token is kept: %v; want %v", strings.Join(tt.args, " "), ok, tt.kept)
			}
		})
	}
}

func TestTokenWithTheVaultKeepsNone(t *testing.T) {
	h := newHarness(t)
	h.env["ZCONN_SECRETS"] = "file"
	h.env["ZCONN_PASSPHRASE"] = "vault passphrase"
	h.run(canary, addArgs()...).want(t, 0)
	requests := h.srv.Requests()
	for i := range 2 {
		got, r := h.tokenJSON()
		r.want(t, 0)
		if got.Cached {
			t.Errorf("call %d with the vault = %+v; want a new token", i+1, got)
		}
	}
	if got := h.srv.Requests() - requests; got != 2 {
		t.Errorf("requests = %d; want 2: the vault keeps no token", got)
	}
}

func TestTokenNoteWhenNotKept(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	h.mem.Fail("token-set", &store.SecretError{Op: "saving", Kind: store.KindTooLarge, Message: "the token takes 9000 bytes, more than the memory keychain holds"})
	r := h.run("", "token")
	r.want(t, 0, "zconn: note: the token could not be kept for the next call: the token takes 9000 bytes, more than the memory keychain holds")
	if strings.Count(r.stdout, ".") != 2 {
		t.Errorf("stdout %q; want the token all the same", r.stdout)
	}
}

func TestTokenLearnsTheAudienceRefusal(t *testing.T) {
	h := newHarness(t)
	h.srv.SetRefuseAudience(clientID, true)
	h.seed(store.Connection{Name: "prod"}, canary)
	h.run("", "token").want(t, 0, "zconn: note: the tenant of prod refuses the audience parameter")
	if c, _ := h.find("prod"); !c.OmitAudience {
		t.Fatal("token did not record that the tenant refuses the audience")
	}
	before := h.srv.Requests()
	h.run("", "token", "--fresh").want(t, 0)
	if got := h.srv.Requests() - before; got != 1 {
		t.Errorf("the next token took %d requests; want 1, without the audience", got)
	}
}

// TestTokenCanary: the access token appears on token's standard output
// and nowhere else: not in the metadata file, not in any other command's
// output, not on standard error.
func TestTokenCanary(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod", SecretExpires: store.NewDate(2027, 1, 2)}, canary)
	h.seed(store.Connection{Name: "lab"}, canary)
	got, r := h.tokenJSON()
	r.want(t, 0)
	tok := got.AccessToken
	if strings.Contains(r.stderr, tok) {
		t.Errorf("token wrote the token on stderr")
	}
	steps := []struct {
		args []string
		// prints is true for the commands meant to print the token.
		prints bool
	}{
		{[]string{"token", "--json"}, true}, {[]string{"token"}, true}, {[]string{"list"}, false}, {[]string{"list", "--json"}, false},
		{[]string{"test"}, false}, {[]string{"test", "--all", "--json"}, false}, {[]string{"env"}, false}, {[]string{"exec", "--", "true"}, false},
		{[]string{"doctor"}, false}, {[]string{"edit", "prod", "--description", "x"}, false}, {[]string{"rename", "prod", "prod2"}, false},
		{[]string{"token", "prod2"}, true}, {[]string{"token", "nosuch"}, false}, {[]string{"use", "lab"}, false}, {[]string{"rm", "prod2", "--yes"}, false},
	}
	for _, s := range steps {
		r := h.run("", s.args...)
		name := strings.Join(s.args, " ")
		if strings.Contains(r.stderr, tok) {
			t.Errorf("%s: the token is on stderr", name)
		}
		if strings.Contains(r.stdout, tok) != s.prints {
			t.Errorf("%s: the token on stdout %v; want %v", name, !s.prints, s.prints)
		}
		if strings.Contains(h.metadata(), tok) {
			t.Fatalf("%s: the token is in the metadata file", name)
		}
	}
}
