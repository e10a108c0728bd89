package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
)

// unknownCloud is a harness whose requests go to the tenants' own hosts
// (all answered by the fake ZIdentity), as without ZCONN_ZIDENTITY_URL.
func unknownCloud(t *testing.T) *harness {
	h := newHarness(t)
	delete(h.env, "ZCONN_ZIDENTITY_URL")
	h.anyHost = true
	return h
}

// TestAddUnknownCloudNeedsConfirming: add refuses a cloud zconn does not
// know unless --allow-unknown-cloud confirms it, also without verifying.
func TestAddUnknownCloudNeedsConfirming(t *testing.T) {
	const refusal = "zconn: acme.zsloginevil.net is not in a ZIdentity cloud zconn knows (production, beta, gov, govus), so nothing was sent to it: check the cloud, or confirm that this host is your tenant's: if it is, add --allow-unknown-cloud"
	tests := []struct {
		name string
		args []string
	}{
		{"tenant address", []string{"add", "--name", "prod", "--tenant", "acme.zsloginevil.net", "--client-id", clientID}},
		{"cloud flag", addArgs("--cloud", "evil")},
		{"cloud flag, not verified", addArgs("--cloud", "evil", "--no-verify")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := unknownCloud(t)
			h.run(canary, tt.args...).want(t, 2, refusal)
			if h.srv.Requests() != 0 || h.mem.Len() != 0 || h.metadata() != "" {
				t.Errorf("%d requests, %d secrets, metadata %q; want nothing sent or saved", h.srv.Requests(), h.mem.Len(), h.metadata())
			}
			r := h.run(canary, append(tt.args, "--allow-unknown-cloud")...)
			r.want(t, 0)
			c, err := h.find("prod")
			if err != nil || !c.AllowUnknownCloud || c.Cloud != "evil" {
				t.Fatalf("saved %+v, %v; want the cloud evil, confirmed", c, err)
			}
			if verified := !strings.Contains(strings.Join(tt.args, " "), "--no-verify"); verified != (h.srv.RequestsFor(clientID) == 1) {
				t.Errorf("%d token requests; want %v", h.srv.RequestsFor(clientID), verified)
			}
		})
	}
}

// TestKnownCloudsNeedNoConfirming: production, beta, gov and govus, and
// any cloud while ZCONN_ZIDENTITY_URL sends every request elsewhere, are
// used as before, and --allow-unknown-cloud records nothing for them.
func TestKnownCloudsNeedNoConfirming(t *testing.T) {
	for _, cloud := range []string{"production", "beta", "gov", "govus"} {
		t.Run(cloud, func(t *testing.T) {
			h := unknownCloud(t)
			h.run(canary, addArgs("--cloud", cloud, "--allow-unknown-cloud")...).want(t, 0)
			if c, _ := h.find("prod"); c.AllowUnknownCloud {
				t.Error("a known cloud was recorded as confirmed")
			}
			h.run("", "token", "prod").want(t, 0)
		})
	}
	t.Run("ZCONN_ZIDENTITY_URL", func(t *testing.T) {
		h := newHarness(t)
		h.run(canary, addArgs("--cloud", "evil")...).want(t, 0)
		h.run("", "token", "prod").want(t, 0)
		h.run("", "env", "prod").want(t, 0)
	})
}

// TestSavedUnknownCloudNeedsConfirming: a connection with an unknown cloud
// and no confirmation (a hand-edited file) is used by no command until
// zconn edit --allow-unknown-cloud confirms it.
func TestSavedUnknownCloudNeedsConfirming(t *testing.T) {
	const refusal = "acme.zsloginevil.net is not in a ZIdentity cloud zconn knows (production, beta, gov, govus), so nothing was sent to it: check the cloud, or confirm that this host is your tenant's: if it is, confirm it once with zconn edit prod --allow-unknown-cloud"
	h := unknownCloud(t)
	h.seed(store.Connection{Name: "prod", Cloud: "evil"}, canary)
	for _, args := range [][]string{
		{"test", "prod"}, {"test"}, {"token", "prod"}, {"env", "prod"}, {"exec", "prod", "--", "sh", "-c", "echo ran"},
		{"edit", "prod", "--rotate-secret"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := h.run(canary, args...)
			r.want(t, 2, refusal)
			if strings.Contains(r.stdout, canary) || strings.Contains(r.stdout, "ran") {
				t.Errorf("stdout %q; want neither the secret nor the command's output", r.stdout)
			}
		})
	}
	if h.srv.Requests() != 0 {
		t.Errorf("%d requests; want none", h.srv.Requests())
	}
	if c, _ := h.find("prod"); c.Verification != nil {
		t.Errorf("recorded %+v; want nothing recorded", c.Verification)
	}
	h.run("", "edit", "prod", "--allow-unknown-cloud").want(t, 0)
	h.run("", "token", "prod").want(t, 0)
	h.run("", "test", "prod").want(t, 0)
	if h.srv.RequestsFor(clientID) != 2 {
		t.Errorf("%d token requests; want 2 once confirmed", h.srv.RequestsFor(clientID))
	}
	h.run("", "edit", "prod", "--allow-unknown-cloud=false").want(t, 0)
	h.run("", "token", "prod").want(t, 2, refusal)
}

// TestAddUnknownCloudBeforeTheKey: for a private-key client too, an
// unknown cloud is refused before the key is read, from a file or
// standard input.
func TestAddUnknownCloudBeforeTheKey(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	tests := []struct {
		name, stdin string
		flags       []string
	}{
		{"key file", "", []string{"--private-key-file", missing}},
		{"key on standard input", "not a key", []string{"--auth", "private-key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := unknownCloud(t)
			r := h.run(tt.stdin, append(addArgs("--cloud", "evil"), tt.flags...)...)
			r.want(t, 2, "acme.zsloginevil.net is not in a ZIdentity cloud zconn knows")
			if strings.Contains(r.stderr, "private key") || strings.Contains(r.stderr, missing) {
				t.Errorf("stderr %q; want the cloud refused before the key is read", r.stderr)
			}
			if h.srv.Requests() != 0 || h.mem.Calls() != 0 || h.metadata() != "" {
				t.Errorf("%d requests, %d keychain calls, metadata %q; want nothing sent, opened or saved", h.srv.Requests(), h.mem.Calls(), h.metadata())
			}
		})
	}
}
