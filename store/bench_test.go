package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
)

// seed writes n connections straight into a store's file.
func seed(b *testing.B, n int) (*store.Store, *storetest.Memory, []store.Connection) {
	b.Helper()
	mem := storetest.NewMemory()
	s := store.New(filepath.Join(b.TempDir(), "zconn"), mem)
	conns := make([]store.Connection, n)
	now := time.Now().UTC()
	for i := range conns {
		conns[i] = store.Connection{
			ID: fmt.Sprintf("id%024d", i), Name: fmt.Sprintf("tenant-%05d", i), Description: "Production tenant for the EU region",
			Vanity: fmt.Sprintf("acme%d", i), Cloud: "production", ClientID: fmt.Sprintf("clientid-%012d", i), AuthMethod: store.AuthSecret,
			SecretExpires: store.NewDate(2027, 3, 31), CreatedAt: now, UpdatedAt: now,
			Verification: &store.Verification{At: now, OK: true, Lifetime: 3600, Products: []string{"ZIAM", "ZIA"}, Roles: []string{"Super Admin"}},
		}
	}
	if err := store.Seed(s, conns); err != nil {
		b.Fatal(err)
	}
	return s, mem, conns
}

// BenchmarkList10000 loads and lists 10,000 connections (target: under
// 20 ms, with no keychain call).
func BenchmarkList10000(b *testing.B) {
	s, mem, _ := seed(b, 10000)
	b.ReportAllocs()
	for b.Loop() {
		// A new Store, as a new zconn process has: nothing decoded yet.
		list, err := store.New(s.Dir(), mem).List()
		if err != nil || len(list) != 10000 {
			b.Fatal(len(list), err)
		}
	}
	if mem.Calls() != 0 {
		b.Fatalf("listing made %d keychain calls; want 0", mem.Calls())
	}
}

// BenchmarkCreateInto1000 saves one connection into a file of 1,000
// (target: under 5 ms plus the fsync).
func BenchmarkCreateInto1000(b *testing.B) {
	s, _, conns := seed(b, 1000)
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		// Keep the file at 1,000 connections.
		if err := store.Seed(s, conns); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		i++
		// A new Store, as zconn add in a new process has.
		if _, err := store.New(s.Dir(), storetest.NewMemory()).Create(ctx, store.Connection{Name: fmt.Sprintf("new-%d", i), Vanity: "acme", ClientID: "cid"}, "secret"); err != nil {
			b.Fatal(err)
		}
	}
}
