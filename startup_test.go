package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// buildStatic builds zconn and an empty Go program, both static
// (CGO_ENABLED=0), into dir, and returns their paths.
func buildStatic(b *testing.B, dir string) (empty, zconn string) {
	b.Helper()
	emptyDir := filepath.Join(dir, "empty")
	if err := os.MkdirAll(emptyDir, 0o755); err != nil {
		b.Fatal(err)
	}
	for name, text := range map[string]string{"go.mod": "module empty\n\ngo 1.26\n", "main.go": "package main\n\nfunc main() {}\n"} {
		if err := os.WriteFile(filepath.Join(emptyDir, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	empty, zconn = filepath.Join(dir, "empty-bin"), filepath.Join(dir, "zconn")
	for _, c := range []struct{ out, dir string }{{empty, emptyDir}, {zconn, "."}} {
		cmd := exec.Command("go", "build", "-trimpath", "-o", c.out, ".")
		cmd.Dir = c.dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("building %s: %v\n%s", c.out, err, out)
		}
	}
	return empty, zconn
}

// runner runs programs in env and times them.
type runner struct {
	b   *testing.B
	env []string
}

func (r runner) run(bin string, args ...string) time.Duration {
	cmd := exec.Command(bin, args...)
	cmd.Env = r.env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		r.b.Fatalf("%s %v: %v: %s", bin, args, err, stderr.String())
	}
	return time.Since(start)
}

// BenchmarkStartupRatio compares `zconn list --json` over 200 connections
// with an empty Go program, both built static (CGO_ENABLED=0), in
// alternating runs, and reports the ratio of their median wall times
// (target: 2.0x or less), with `zconn --version`, which does nothing but
// start, beside them.
func BenchmarkStartupRatio(b *testing.B) {
	dir := b.TempDir()
	empty, zconn := buildStatic(b, dir)
	config := filepath.Join(dir, "config")
	s := store.New(config, storetest.NewMemory())
	for i := range 200 {
		c := store.Connection{Name: fmt.Sprintf("tenant-%03d", i), Description: "EU production", Vanity: fmt.Sprintf("acme%d", i), ClientID: fmt.Sprintf("client-%06d", i)}
		if _, err := s.Create(context.Background(), c, "s"); err != nil {
			b.Fatal(err)
		}
	}
	r := runner{b, []string{"ZCONN_CONFIG_DIR=" + config, "PATH=" + os.Getenv("PATH"), "HOME=" + dir}}
	for range 20 { // warm the page cache
		r.run(empty)
		r.run(zconn, "list", "--json")
	}
	// zconn --version does no work beyond starting: it shows what the
	// dependencies' own initialisation costs.
	var te, tz, tv []time.Duration
	for b.Loop() {
		te = append(te, r.run(empty))
		tz = append(tz, r.run(zconn, "list", "--json"))
		tv = append(tv, r.run(zconn, "--version"))
	}
	me, mz, mv := median(te), median(tz), median(tv)
	b.ReportMetric(float64(me.Microseconds()), "empty-µs")
	b.ReportMetric(float64(mv.Microseconds()), "version-µs")
	b.ReportMetric(float64(mz.Microseconds()), "list-µs")
	b.ReportMetric(float64(mz)/float64(me), "ratio")
}

// BenchmarkCachedTokenRatio compares `zconn token` that hands out the
// token kept in the OS keychain (no request, one keychain read) with an
// empty Go program, as BenchmarkStartupRatio does. It needs the real
// keychain: ZCONN_TEST_KEYRING=1, inside dbus-run-session with an unlocked
// gnome-keyring on Linux (see .ci/run).
func BenchmarkCachedTokenRatio(b *testing.B) {
	if os.Getenv("ZCONN_TEST_KEYRING") != "1" {
		b.Skip("set ZCONN_TEST_KEYRING=1 to use the real keychain")
	}
	srv := zidentitytest.New(b)
	srv.AddClient(zidentitytest.Client{ID: "cid-bench", Secret: canary})
	dir := b.TempDir()
	empty, zconn := buildStatic(b, dir)
	r := runner{b, []string{
		"ZCONN_CONFIG_DIR=" + filepath.Join(dir, "config"), "PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"ZCONN_ZIDENTITY_URL=" + srv.URL, "SSL_CERT_FILE=" + srv.CertFile(),
		"DBUS_SESSION_BUS_ADDRESS=" + os.Getenv("DBUS_SESSION_BUS_ADDRESS"),
	}}
	add := exec.Command(zconn, "add", "--name", "bench", "--tenant", "acme", "--client-id", "cid-bench")
	add.Env, add.Stdin = r.env, strings.NewReader(canary)
	if out, err := add.CombinedOutput(); err != nil {
		b.Fatalf("zconn add: %v\n%s", err, out)
	}
	b.Cleanup(func() {
		rm := exec.Command(zconn, "rm", "bench", "--yes")
		rm.Env = r.env
		_ = rm.Run()
	})
	r.run(zconn, "token") // the one request; every later call reuses its token
	requests := srv.Requests()
	for range 20 {
		r.run(empty)
		r.run(zconn, "token")
	}
	var te, tz []time.Duration
	for b.Loop() {
		te = append(te, r.run(empty))
		tz = append(tz, r.run(zconn, "token"))
	}
	if n := srv.Requests() - requests; n != 0 {
		b.Fatalf("the cached token made %d requests; want none", n)
	}
	me, mz := median(te), median(tz)
	b.ReportMetric(float64(me.Microseconds()), "empty-µs")
	b.ReportMetric(float64(mz.Microseconds()), "token-µs")
	b.ReportMetric(float64(mz)/float64(me), "ratio")
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}
