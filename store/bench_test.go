package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
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

// BenchmarkList loads and lists 1, 200 and 10,000 connections as a new
// zconn process does, with no keychain call. Admins keep tens: a command
// on 200 should cost within a few milliseconds of one on 1.
func BenchmarkList(b *testing.B) {
	for _, n := range []int{1, 200, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s, mem, _ := seed(b, n)
			b.ReportAllocs()
			for b.Loop() {
				// A new Store, as a new zconn process has: nothing read yet.
				list, err := store.New(s.Dir(), mem).List()
				if err != nil || len(list) != n {
					b.Fatal(len(list), err)
				}
			}
			if mem.Calls() != 0 {
				b.Fatalf("listing made %d keychain calls; want 0", mem.Calls())
			}
		})
	}
}

// BenchmarkCreateInto saves one connection into a file of 1, 200 and
// 1,000 connections, fsync included.
func BenchmarkCreateInto(b *testing.B) {
	for _, n := range []int{1, 200, 1000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s, _, conns := seed(b, n)
			ctx := context.Background()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				// Keep the file at n connections.
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
		})
	}
}
