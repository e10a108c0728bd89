package cli_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// TestCanary runs every command, in success and failure, with the canary as
// the secret: it may appear only on env's standard output (and in exec's
// child), never in other output, an error, or the metadata file.
func TestCanary(t *testing.T) {
	steps := []struct {
		stdin string
		args  []string
		setup func(h *harness)
		// prints is true for the one command meant to print the secret.
		prints bool
	}{
		{canary + "\n", addArgs("--description", "d"), nil, false},
		{canary, []string{"add", "--name", "p2", "--tenant", "acme", "--client-id", "wrong-id"}, nil, false},
		{canary, []string{"add", "--name", "p3", "--tenant", "acme", "--client-id", clientID}, func(h *harness) { h.srv.SetFailure(zidentitytest.EchoSecret) }, false},
		{canary, []string{"add", "--name", "p4", "--tenant", "acme", "--client-id", clientID}, func(h *harness) {
			h.srv.SetFailure(zidentitytest.OK)
			h.mem.Fail("set", &store.SecretError{Op: "saving", Message: "the memory keychain is full", Err: errors.New("full")})
		}, false},
		{"", []string{"list"}, func(h *harness) { h.mem.Fail("set", nil) }, false},
		{"", []string{"list", "--json"}, nil, false},
		{"", []string{"test"}, nil, false},
		{"", []string{"test", "--all", "--json"}, nil, false},
		{"", []string{"test", "--all"}, func(h *harness) { h.srv.SetFailure(zidentitytest.EchoSecret) }, false},
		{"", []string{"token"}, func(h *harness) { h.srv.SetFailure(zidentitytest.OK) }, false},
		{"", []string{"token"}, func(h *harness) { h.srv.SetFailure(zidentitytest.EchoSecret) }, false},
		{"", []string{"env"}, nil, true},
		{"", []string{"env", "--shell", "fish"}, nil, true},
		{"", []string{"exec", "--", "true"}, nil, false},
		{"", []string{"exec", "--", "zconn-no-such-command"}, nil, false},
		{"", []string{"doctor"}, func(h *harness) { h.srv.SetFailure(zidentitytest.OK) }, false},
		{canary, []string{"edit", "prod", "--rotate-secret"}, nil, false},
		{"wrong", []string{"edit", "prod", "--rotate-secret"}, nil, false},
		{"", []string{"rename", "prod", "prod2"}, nil, false},
		{"", []string{"use", "prod2"}, nil, false},
		{"", []string{"rm", "prod2", "--yes"}, nil, false},
	}
	h := newHarness(t)
	for _, s := range steps {
		if s.setup != nil {
			s.setup(h)
		}
		r := h.run(s.stdin, s.args...)
		name := strings.Join(s.args, " ")
		for _, form := range []string{canary, url.QueryEscape(canary)} {
			if strings.Contains(r.stderr, form) {
				t.Errorf("%s: the secret is on stderr: %q", name, r.stderr)
			}
			if strings.Contains(r.stdout, form) != (s.prints && r.code == 0) {
				t.Errorf("%s: secret on stdout %v; want %v: %q", name, strings.Contains(r.stdout, form), s.prints, r.stdout)
			}
		}
		if strings.Contains(h.metadata(), canary) {
			t.Fatalf("%s: the secret is in the metadata file", name)
		}
	}
}
