package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/cli"
	"github.com/zconn/zconn/store"
)

// seedMany writes n connections straight into the metadata file.
func seedMany(b *testing.B, h *harness, n int) {
	b.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	conns := make([]store.Connection, n)
	for i := range conns {
		conns[i] = store.Connection{
			ID: fmt.Sprintf("id%024d", i), Name: fmt.Sprintf("tenant-%05d", i), Description: "Production tenant for the EU region",
			Vanity: fmt.Sprintf("acme%d", i), Cloud: "production", ClientID: fmt.Sprintf("clientid-%012d", i), AuthMethod: store.AuthSecret,
			SecretExpires: store.NewDate(2027, 3, 31), CreatedAt: now, UpdatedAt: now, Default: i == 0,
			Verification: &store.Verification{At: now.Add(-time.Hour), OK: true, Lifetime: 3600, Products: []string{"ZIAM", "ZIA"}, Roles: []string{"Super Admin"}},
		}
	}
	data, err := json.Marshal(map[string]any{"version": store.SchemaVersion, "connections": conns})
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(h.dir, store.FileName), data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkList1000 runs zconn list over 1,000 connections through the
// whole command (target: under 10 ms, with no keychain call and no
// request).
func BenchmarkList1000(b *testing.B) {
	for _, args := range [][]string{{"list", "--json"}, {"list"}} {
		b.Run(strings.Join(args, " "), func(b *testing.B) {
			h := newHarness(b)
			seedMany(b, h, 1000)
			var stdout, stderr bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				stdout.Reset()
				o := h.options(strings.NewReader(""), &stdout, &stderr, args...)
				if code := cli.Execute(context.Background(), o); code != 0 {
					b.Fatalf("exit %d: %s", code, stderr.String())
				}
			}
			if n := strings.Count(stdout.String(), "tenant-"); n != 1000 {
				b.Fatalf("listed %d connections; want 1000", n)
			}
			if h.mem.Calls() != 0 || h.opened.Load() != 0 || h.srv.Requests() != 0 {
				b.Fatal("list touched the keychain or the network")
			}
		})
	}
}
