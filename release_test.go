package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// stampFlags are the -X flags with which .goreleaser.yaml stamps a release.
var stampFlags = []string{
	"-X github.com/zconn/zconn/cli.version=",
	"-X github.com/zconn/zconn/cli.commit=",
	"-X github.com/zconn/zconn/cli.date=",
}

// TestReleaseStampsVersion links zconn with the -X flags the release
// configuration passes and checks that --version shows what they set: the
// linker ignores -X for a variable that does not exist, so a renamed one
// would otherwise ship releases without a version.
func TestReleaseStampsVersion(t *testing.T) {
	t.Parallel()
	config, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range stampFlags {
		if !strings.Contains(string(config), f) {
			t.Errorf(".goreleaser.yaml does not pass %q", f)
		}
	}
	values := []string{"v9.8.7", "4f2a9c1d0e3b5a6978877665544332211aabbccd", "2026-11-28T12:00:00Z"}
	var ldflags []string
	for i, f := range stampFlags {
		ldflags = append(ldflags, f+values[i])
	}
	bin := filepath.Join(t.TempDir(), "zconn")
	build := exec.Command("go", "build", "-ldflags", strings.Join(ldflags, " "), "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("zconn --version: %v\n%s", err, out)
	}
	if got, want := string(out), "zconn version v9.8.7 (revision 4f2a9c1d0e3b, 2026-11-28T12:00:00Z)\n"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}
