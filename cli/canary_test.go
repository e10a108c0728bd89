package cli_test

import (
	"crypto/rsa"
	"errors"
	"net/url"
	"slices"
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
		{"", []string{"token", "--fresh"}, func(h *harness) { h.srv.SetFailure(zidentitytest.EchoSecret) }, false},
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

// TestKeyCanary runs every command with private-key connections, in
// success and failure: no form of a key (a line of its PKCS#1 or PKCS#8
// PEM, its compact stored form) may appear on any output but env's
// standard output, which exports the PKCS#8 PEM alone, nor in the metadata
// file or on a command line.
func TestKeyCanary(t *testing.T) {
	h := newHarness(t)
	rk := h.keyClient(2048)
	next := zidentitytest.Key(t, "cli-canary-next", 2048)
	keyFile := writeKeyFile(t, zidentitytest.PKCS1(rk))
	pkcs8Lines := strings.Split(string(zidentitytest.PKCS8(rk)), "\n")
	steps := []struct {
		stdin string
		args  []string
		setup func(h *harness)
		// prints is true for the commands meant to print the key.
		prints bool
	}{
		{"", keyAddArgs("--private-key-file", keyFile), nil, false},
		{string(zidentitytest.PKCS8(rk)), []string{"add", "--name", "k2", "--tenant", "acme", "--client-id", keyClientID, "--auth", "private-key"}, nil, false},
		{string(zidentitytest.PKCS8(next)), []string{"add", "--name", "k3", "--tenant", "acme", "--client-id", keyClientID, "--auth", "private-key"}, nil, false},
		{string(zidentitytest.PKCS8(rk)), []string{"add", "--name", "k4", "--tenant", "acme", "--client-id", keyClientID, "--auth", "private-key"},
			func(h *harness) { h.srv.SetFailure(zidentitytest.EchoSecret) }, false},
		{"", []string{"list"}, func(h *harness) { h.srv.SetFailure(zidentitytest.OK) }, false},
		{"", []string{"list", "--json"}, nil, false},
		{"", []string{"test", "keyed"}, nil, false},
		{"", []string{"test", "--all", "--json"}, nil, false},
		{"", []string{"test", "--all"}, func(h *harness) { h.srv.SetFailure(zidentitytest.EchoSecret) }, false},
		{"", []string{"token", "keyed"}, func(h *harness) { h.srv.SetFailure(zidentitytest.OK) }, false},
		{"", []string{"env", "keyed"}, nil, true},
		{"", []string{"env", "keyed", "--shell", "powershell"}, nil, true},
		{"", []string{"exec", "keyed", "--", "true"}, nil, false},
		{"", []string{"doctor"}, nil, false},
		{string(zidentitytest.PKCS8(next)), []string{"edit", "keyed", "--rotate-key"}, nil, false},
		{"", []string{"edit", "keyed", "--private-key-file", keyFile, "--zpa-customer-id", "42"}, nil, false},
		{"", []string{"rename", "keyed", "keyed2"}, nil, false},
		{"", []string{"rm", "keyed2", "--yes"}, nil, false},
	}
	for _, s := range steps {
		if s.setup != nil {
			s.setup(h)
		}
		name := strings.Join(s.args, " ")
		noKey(t, "the command line of "+name, name, rk)
		r := h.run(s.stdin, s.args...)
		for _, k := range []*rsa.PrivateKey{rk, next} {
			noKey(t, name+"'s stderr", r.stderr, k)
			if !s.prints || r.code != 0 {
				noKey(t, name+"'s stdout", r.stdout, k)
				continue
			}
			// env prints the PKCS#8 PEM of the saved key, and nothing else of it.
			for _, c := range keyCanaries(t, k) {
				if strings.Contains(r.stdout, c) && (k != rk || !slices.Contains(pkcs8Lines, c)) {
					t.Errorf("%s: a form of the key other than its PKCS#8 PEM is on stdout", name)
				}
			}
		}
		noKey(t, "the metadata file after "+name, h.metadata(), rk)
		noKey(t, "the metadata file after "+name, h.metadata(), next)
	}
}
