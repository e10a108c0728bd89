package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
)

// BenchmarkStartupRatio compares `zconn list --json` over 200 connections
// with an empty Go program, both built static (CGO_ENABLED=0), in
// alternating runs, and reports the ratio of their median wall times
// (target: 1.5x or less).
func BenchmarkStartupRatio(b *testing.B) {
	dir := b.TempDir()
	build := func(out, pkg string, env ...string) string {
		b.Helper()
		bin := filepath.Join(dir, out)
		cmd := exec.Command("go", "build", "-trimpath", "-o", bin, pkg)
		cmd.Env = append(os.Environ(), append([]string{"CGO_ENABLED=0"}, env...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("building %s: %v\n%s", pkg, err, out)
		}
		return bin
	}
	emptyDir := filepath.Join(dir, "empty")
	os.MkdirAll(emptyDir, 0o755)
	os.WriteFile(filepath.Join(emptyDir, "go.mod"), []byte("module empty\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(emptyDir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	empty := filepath.Join(dir, "empty-bin")
	cmd := exec.Command("go", "build", "-trimpath", "-o", empty, ".")
	cmd.Dir = emptyDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the empty program: %v\n%s", err, out)
	}
	zconn := build("zconn", ".")

	config := filepath.Join(dir, "config")
	s := store.New(config, storetest.NewMemory())
	for i := range 200 {
		c := store.Connection{Name: fmt.Sprintf("tenant-%03d", i), Description: "EU production", Vanity: fmt.Sprintf("acme%d", i), ClientID: fmt.Sprintf("client-%06d", i)}
		if _, err := s.Create(context.Background(), c, "s"); err != nil {
			b.Fatal(err)
		}
	}
	env := []string{"ZCONN_CONFIG_DIR=" + config, "PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	run := func(bin string, args ...string) time.Duration {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s: %v", bin, err)
		}
		return time.Since(start)
	}
	for range 20 { // warm the page cache
		run(empty)
		run(zconn, "list", "--json")
	}
	// zconn --version does no work beyond starting: it shows what the
	// dependencies' own initialisation costs.
	var te, tz, tv []time.Duration
	for b.Loop() {
		te = append(te, run(empty))
		tz = append(tz, run(zconn, "list", "--json"))
		tv = append(tv, run(zconn, "--version"))
	}
	me, mz, mv := median(te), median(tz), median(tv)
	b.ReportMetric(float64(me.Microseconds()), "empty-µs")
	b.ReportMetric(float64(mv.Microseconds()), "version-µs")
	b.ReportMetric(float64(mz.Microseconds()), "list-µs")
	b.ReportMetric(float64(mz)/float64(me), "ratio")
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}
