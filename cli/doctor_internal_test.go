package cli

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// TestDoctorFolderThatDoesNotRead injects a failure to read the config
// folder (as an access list or a security module can cause, which the
// tests, run as root, cannot): the folder's check fails and names why.
func TestDoctorFolderThatDoesNotRead(t *testing.T) {
	var out bytes.Buffer
	f := testFactory(t, &out)
	dir, err := f.store()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir.Dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	f.readDir = func(name string) ([]fs.DirEntry, error) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("permission denied")}
	}
	r := &report{w: &out}
	f.doctor(context.Background(), r, "", 0)
	want := "FAIL config folder " + dir.Dir() + " cannot be read (permission denied): check its permissions, or set ZCONN_CONFIG_DIR"
	if r.failed == 0 || !strings.Contains(out.String(), want) {
		t.Errorf("got\n%s\nwant a failure with %q", out.String(), want)
	}
	if strings.Contains(out.String(), "ok   config folder") {
		t.Errorf("got\n%s\nwant no ok line for the folder", out.String())
	}
}

// TestRedactProxy reads each proxy value as net/http does, and shows none
// of its password.
func TestRedactProxy(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"http://user:hunter2@proxy.example:3128", "http://user:xxxxx@proxy.example:3128"},
		{"user:hunter2@proxy.example:3128", "http://user:xxxxx@proxy.example:3128"},
		{"proxy.example:3128", "proxy.example:3128"},
		{"http://proxy.example:3128", "http://proxy.example:3128"},
		{"http://us%zz:hunter2@proxy.example", "…@proxy.example"},
	} {
		if got := redactProxy(tt.in); got != tt.want {
			t.Errorf("redactProxy(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
