package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// TestEndToEndSelectionAndTokenCache runs the built zconn as scripts do:
// ZCONN_CONNECTION selects the connection, zconn run inside zconn exec
// uses exec's connection and refuses another exec, and a second token
// comes from the cache, kept in the OS keychain, without a request (with
// the encrypted vault, where no token is kept, each call asks).
func TestEndToEndSelectionAndTokenCache(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: "cid-prod", Secret: canary})
	srv.AddClient(zidentitytest.Client{ID: "cid-lab", Secret: canary})
	dir := t.TempDir()
	env := e2eEnv(t, srv, dir)
	keychain := e2eKeychain()
	bin := buildZconn(t)
	zconn := func(extra []string, stdin string, args ...string) (string, string, int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(append([]string(nil), env...), extra...)
		cmd.Stdin = strings.NewReader(stdin)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		_ = cmd.Run()
		return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
	}
	e2eSeed(t, dir, store.Connection{Name: "prod", Vanity: "acme", ClientID: "cid-prod"},
		store.Connection{Name: "lab", Vanity: "acme", ClientID: "cid-lab"})
	if keychain {
		// The Secret Service outlives the test; the vault goes with dir.
		t.Cleanup(func() {
			for _, name := range []string{"prod", "lab"} {
				zconn(nil, "", "rm", name, "--yes")
			}
		})
	}
	token := func(extra []string, args ...string) (tok struct {
		AccessToken string `json:"access_token"`
		Cached      bool   `json:"cached"`
	}) {
		t.Helper()
		stdout, stderr, code := zconn(extra, "", append([]string{"token", "--json"}, args...)...)
		if code != 0 || json.Unmarshal([]byte(stdout), &tok) != nil {
			t.Fatalf("zconn token --json %v: exit %d, %q, %s", args, code, stdout, stderr)
		}
		return tok
	}

	before := srv.RequestsFor("cid-lab")
	first := token([]string{"ZCONN_CONNECTION=lab"})
	if srv.RequestsFor("cid-lab") != before+1 || first.Cached {
		t.Fatalf("ZCONN_CONNECTION=lab zconn token: %d requests for lab, cached %v; want one request for lab", srv.RequestsFor("cid-lab")-before, first.Cached)
	}
	second := token([]string{"ZCONN_CONNECTION=lab"})
	if keychain && (!second.Cached || second.AccessToken != first.AccessToken || srv.RequestsFor("cid-lab") != before+1) {
		t.Errorf("second token with the keychain: cached %v, %d requests; want the first token, without a request", second.Cached, srv.RequestsFor("cid-lab")-before)
	}
	if !keychain && (second.Cached || srv.RequestsFor("cid-lab") != before+2) {
		t.Errorf("second token with the vault: cached %v, %d requests; want a new token: the vault keeps none", second.Cached, srv.RequestsFor("cid-lab")-before)
	}

	// Inside zconn exec lab, zconn uses lab, and refuses another exec.
	_, stderr, code := zconn(nil, "", "exec", "lab", "--", bin, "exec", "--", "true")
	if code != 2 || !strings.Contains(stderr, "already inside zconn exec for lab (ZCONN_EXEC is set)") {
		t.Errorf("zconn exec inside zconn exec: exit %d, %q; want 2 and the refusal", code, stderr)
	}
	if keychain {
		// exec keeps the vault's passphrase from its command: this needs
		// the keychain.
		stdout, stderr, code := zconn(nil, "", "exec", "lab", "--", bin, "token")
		if code != 0 || strings.TrimSpace(stdout) != second.AccessToken {
			t.Errorf("zconn token inside zconn exec lab: exit %d, %q, %s; want lab's kept token", code, stdout, stderr)
		}
	}

	if _, stderr, code := zconn([]string{"ZCONN_CONNECTION=nosuch"}, "", "token"); code != 2 || !strings.Contains(stderr, `ZCONN_CONNECTION="nosuch" names no connection`) {
		t.Errorf("ZCONN_CONNECTION=nosuch zconn token: exit %d, %q; want 2, naming the variable", code, stderr)
	}
}
