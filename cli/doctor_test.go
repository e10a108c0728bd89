package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
)

func TestDoctorAllPass(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	host := strings.TrimPrefix(h.srv.URL, "https://")
	r := h.run("", "doctor")
	r.want(t, 0)
	want := []string{
		"ok   config folder " + h.dir,
		"ok   metadata file " + h.dir + string(os.PathSeparator) + "connections.json parses: 1 connection",
		"ok   secrets backend opens: memory keychain (the default; choose with --secrets or ZCONN_SECRETS)",
		"ok   secret of prod is in the memory keychain",
		"ok   no proxy variables set: ZIdentity is reached directly",
		"note ZCONN_ZIDENTITY_URL is set: every identity request goes to " + h.srv.URL + " instead of the tenant's host",
		"note ZCONN_API_URL is not set: the users check goes to ZCONN_ZIDENTITY_URL too",
		"ok   TLS handshake with " + host + " (TLS 1.3, certificate trusted)",
		"ok   clock agrees with " + host + " (",
	}
	got := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	// The last line holds the measured skew, which varies.
	if len(got) != len(want) || strings.Join(got[:len(got)-1], "\n") != strings.Join(want[:len(want)-1], "\n") || !strings.HasPrefix(got[len(got)-1], want[len(want)-1]) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := h.srv.RequestsFor(clientID); n != 0 {
		t.Errorf("doctor sent %d token requests; want none: it never sends a secret", n)
	}
}

func TestDoctorFailures(t *testing.T) {
	tests := []struct {
		name  string
		setup func(h *harness)
		args  []string
		line  string
	}{
		{"secret missing", func(h *harness) {
			c, _ := h.find("prod")
			h.mem.Remove(c.ID)
		}, nil, "FAIL secret of prod is missing from the memory keychain: enter it again with zconn edit prod --rotate-secret"},
		{"keychain fails", func(h *harness) {
			h.mem.Fail("get", &store.SecretError{Op: "reading", Message: "the memory keychain is locked: unlock it"})
		}, nil, "FAIL secrets backend memory keychain (the default; choose with --secrets or ZCONN_SECRETS) does not open: the memory keychain is locked: unlock it"},
		{"clock ahead", func(h *harness) {
			h.now = func() time.Time { return time.Now().Add(10 * time.Minute) }
		}, nil, "FAIL clock is 10m ahead of 127.0.0.1"},
		{"clock behind", func(h *harness) {
			h.now = func() time.Time { return time.Now().Add(-time.Hour) }
		}, nil, "FAIL clock is 1h behind 127.0.0.1"},
		{"unknown connection", nil, []string{"nosuch"}, `FAIL no such connection named "nosuch"`},
		{"server unreachable", func(h *harness) {
			h.env["ZCONN_ZIDENTITY_URL"] = "https://127.0.0.1:1"
		}, nil, "FAIL TLS handshake with 127.0.0.1:1: connect: connection refused: check your network"},
		{"untrusted certificate", func(h *harness) {
			h.env["SSL_CERT_FILE"] = "/nonexistent/ca.pem"
		}, nil, "FAIL SSL_CERT_FILE=/nonexistent/ca.pem cannot be read: fix the path, or unset it"},
		{"corrupt metadata", func(h *harness) {
			_ = os.WriteFile(h.store().Path(), []byte("{"), 0o600)
		}, nil, "FAIL metadata file: cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod"}, canary)
			if tt.setup != nil {
				tt.setup(h)
			}
			r := h.run("", append([]string{"doctor"}, tt.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, "failed: see the FAIL lines for the fixes") {
				t.Errorf("exit %d, stderr %q; want 1 and a summary", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, tt.line) {
				t.Errorf("got\n%s\nwant a line with %q", r.stdout, tt.line)
			}
		})
	}
}

func TestDoctorPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	if err := os.Chmod(h.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := h.run("", "doctor")
	for _, want := range []string{
		"note the config folder " + h.dir + " is open to other users (mode 0755), and zconn leaves folders as they are: restrict it with chmod 700 " + h.dir,
		"FAIL config folder " + h.dir + " is open to other users",
	} {
		if r.code != 1 || !strings.Contains(r.stdout, want) {
			t.Errorf("exit %d, got\n%s\nwant 1 and %q", r.code, r.stdout, want)
		}
	}
	if fi, _ := os.Stat(h.dir); fi.Mode().Perm() != 0o755 {
		t.Errorf("mode = %v; want 0755 kept: doctor only reads", fi.Mode().Perm())
	}
}

// TestDoctorNeverSuggestsAChmodThroughALink links the metadata file to
// an open file elsewhere: doctor says the link is refused, and suggests no
// chmod, which would change the file the link points to.
func TestDoctorNeverSuggestsAChmodThroughALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	h := newHarness(t)
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "dotfiles.json")
	if err := os.WriteFile(target, []byte(`{"version":2,"connections":[]}`), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(h.dir, "connections.json")); err != nil {
		t.Fatal(err)
	}
	r := h.run("", "doctor")
	if r.code != 1 || !strings.Contains(r.stdout, "is a symbolic link") || strings.Contains(r.stdout, "chmod") {
		t.Errorf("exit %d, got\n%s\nwant 1, the link refused and no chmod", r.code, r.stdout)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o666 {
		t.Errorf("the link's target has mode %v; want 0666 kept", fi.Mode().Perm())
	}
}

// TestDoctorNeverSuggestsAChmodOfAHardLinkedFile gives the metadata file
// a second name elsewhere: doctor suggests no chmod, which would change
// the other name's file too, as a save never does.
func TestDoctorNeverSuggestsAChmodOfAHardLinkedFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	other := filepath.Join(t.TempDir(), "dotfiles.json")
	if err := os.Link(filepath.Join(h.dir, "connections.json"), other); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	if err := os.Chmod(other, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := h.run("", "doctor"); strings.Contains(r.stdout, "chmod") {
		t.Errorf("got\n%s\nwant no chmod suggested", r.stdout)
	}
}

// TestDoctorRefusesASharedFolder points ZCONN_CONFIG_DIR at a folder like
// /tmp: doctor says why zconn will not use it, and never suggests (or
// runs) a chmod of it.
func TestDoctorRefusesASharedFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	h := newHarness(t)
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(h.dir, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	r := h.run("", "doctor")
	want := "FAIL the config folder " + h.dir + " is a shared folder (mode 1777)"
	if r.code != 1 || !strings.Contains(r.stdout, want) || strings.Contains(r.stdout, "chmod") {
		t.Errorf("exit %d, got\n%s\nwant 1, %q and no chmod", r.code, r.stdout, want)
	}
	if fi, _ := os.Stat(h.dir); fi.Mode() != os.ModeDir|os.ModeSticky|0o777 {
		t.Errorf("mode = %v; want it left as it was", fi.Mode())
	}
}

func TestDoctorNotes(t *testing.T) {
	h := newHarness(t)
	h.env["HTTPS_PROXY"] = "http://user:hunter2@proxy.example:3128"
	h.env["NO_PROXY"] = "127.0.0.1"
	h.env["ALL_PROXY"] = "socks5://proxy.example:1080"
	delete(h.env, "ZCONN_ZIDENTITY_URL")
	r := h.run("", "doctor")
	for _, want := range []string{
		"ok   config folder " + h.dir + " does not exist yet: zconn creates it on the first save",
		"note HTTPS_PROXY=http://user:xxxxx@proxy.example:3128 is in effect",
		"note NO_PROXY=127.0.0.1 is in effect",
		"note ALL_PROXY is set but zconn does not read it: set HTTPS_PROXY",
		"note no connections, so no token host to reach",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("got\n%s\nwant a line with %q", r.stdout, want)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "hunter2") {
		t.Error("doctor printed the proxy password")
	}
}

func TestCommandsSayWhenPermissionsAreOpen(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	path := filepath.Join(h.dir, store.FileName)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	note := "zconn: note: " + path + " is open to other users (mode 0644); zconn restricts it to 0600 when it next saves"
	h.run("", "list", "--json").want(t, 0, note)
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode after list = %v; want 0644: list only reads", fi.Mode().Perm())
	}
	h.run("", "use", "prod").want(t, 0, note)
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after use = %v; want 0600", fi.Mode().Perm())
	}
}

// TestDoctorFolderItCannotUse: a folder whose owner may not read, write or
// enter it fails, whoever runs the test (root reads any folder, so the
// check looks at the owner's bits as well as trying to read it).
func TestDoctorFolderItCannotUse(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	for _, mode := range []os.FileMode{0o000, 0o300, 0o500, 0o600} {
		t.Run(fmt.Sprintf("%04o", mode), func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod"}, canary)
			if err := os.Chmod(h.dir, mode); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(h.dir, 0o700) })
			r := h.run("", "doctor")
			want := fmt.Sprintf("FAIL config folder %s (mode %04o) does not let you read, write and enter it: run chmod 700 %s", h.dir, mode, h.dir)
			if r.code != 1 || !strings.Contains(r.stdout, want) {
				t.Errorf("exit %d, got\n%s\nwant 1 and %q", r.code, r.stdout, want)
			}
			if strings.Contains(r.stdout, "ok   config folder") {
				t.Errorf("got\n%s\nwant no ok line for the folder", r.stdout)
			}
		})
	}
}

// TestDoctorModesShowSpecialBits: modes are printed in octal, with the
// setuid, setgid and sticky bits showing.
func TestDoctorModesShowSpecialBits(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	path := filepath.Join(h.dir, store.FileName)
	if err := os.Chmod(path, 0o644|os.ModeSetuid|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	r := h.run("", "doctor")
	want := "FAIL metadata file " + path + " is open to other users (mode 6644): run chmod 600 " + path
	if r.code != 1 || !strings.Contains(r.stdout, want) {
		t.Errorf("exit %d, got\n%s\nwant 1 and %q", r.code, r.stdout, want)
	}
}
