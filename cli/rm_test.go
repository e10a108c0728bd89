package cli_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
)

func TestRm(t *testing.T) {
	tests := []struct {
		name    string
		tty     bool
		stdin   string
		args    []string
		code    int
		message []string
		removed bool
	}{
		{"yes", false, "", []string{"rm", "prod", "--yes"}, 0, nil, true},
		{"-y", false, "", []string{"rm", "-y", "PROD"}, 0, nil, true},
		{"asks on a terminal", true, "y\n", []string{"rm", "prod"}, 0, []string{"Remove prod (acme.zslogin.net, client ID " + clientID + ") and its secret? [y/N]"}, true},
		{"declined", true, "n\n", []string{"rm", "prod"}, 1, []string{"[y/N] zconn: nothing was removed"}, false},
		{"no answer", true, "", []string{"rm", "prod"}, 1, []string{"[y/N]", "zconn: nothing was removed"}, false},
		{"not a terminal", false, "y\n", []string{"rm", "prod"}, 2, []string{"zconn: standard input is not a terminal, so zconn cannot ask: add --yes to remove prod"}, false},
		{"unknown", false, "", []string{"rm", "nosuch", "--yes"}, 1, []string{`no such connection named "nosuch"`}, false},
		{"no name", false, "", []string{"rm", "--yes"}, 2, []string{"missing the connection's name: usage is zconn rm NAME"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.seed(store.Connection{Name: "prod"}, canary)
			h.tty = tt.tty
			r := h.run(tt.stdin, tt.args...)
			r.want(t, tt.code, tt.message...)
			_, err := h.find("prod")
			_, held := h.mem.Peek(c.ID)
			if gone := errors.Is(err, store.ErrNotFound) && !held; gone != tt.removed {
				t.Errorf("removed %v (metadata %v, secret held %v); want %v", gone, err, held, tt.removed)
			}
			if tt.removed && !strings.Contains(r.stdout, "Removed prod and its secret from the memory keychain.") {
				t.Errorf("stdout %q; want what was removed", r.stdout)
			}
		})
	}
}

func TestRmDefaultSaysChooseAnother(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	h.seed(store.Connection{Name: "a"}, canary)
	h.seed(store.Connection{Name: "b"}, canary)
	r := h.run("", "rm", "prod", "--yes")
	r.want(t, 0)
	if !strings.Contains(r.stdout, "There is no default connection now: choose one with zconn use NAME.") {
		t.Errorf("stdout %q; want a hint to choose a default", r.stdout)
	}
}

func TestRmKeychainFailureKeepsEverything(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	h.mem.Fail("delete", &store.SecretError{Op: "deleting", Message: "the memory keychain is locked: unlock it", Err: errors.New("locked")})
	h.run("", "rm", "prod", "--yes").want(t, 1, "zconn: removing prod: nothing was deleted: the memory keychain is locked: unlock it")
	if _, err := h.find("prod"); err != nil {
		t.Errorf("the connection is gone: %v", err)
	}
}

// TestRmByNameNeverRemovesAnother: in a file written before names could
// not be IDs, one connection is named as another's ID; rm removes the one
// of that name, and only it.
func TestRmByNameNeverRemovesAnother(t *testing.T) {
	h := newHarness(t)
	a := h.seed(store.Connection{Name: "alpha"}, canary)
	b := h.seed(store.Connection{Name: "beta"}, canary)
	path := filepath.Join(h.dir, store.FileName)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["connections"].([]any)[0].(map[string]any)["name"] = b.ID
	if raw, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	h.run("", "rm", b.ID, "--yes").want(t, 0)
	if _, err := h.find("beta"); err != nil {
		t.Errorf("beta: %v; want it kept", err)
	}
	if _, held := h.mem.Peek(b.ID); !held {
		t.Error("beta's secret was removed; want it kept")
	}
	if _, held := h.mem.Peek(a.ID); held {
		t.Error("the secret of the connection named so is still held; want it removed")
	}
}
