package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/zidentity"
)

func manyConnections(n int) []store.Connection {
	conns := make([]store.Connection, n)
	for i := range conns {
		conns[i] = store.Connection{
			ID: fmt.Sprintf("id%06d", i), Name: fmt.Sprintf("tenant-%05d", i), Description: "Production tenant for the EU region",
			Vanity: fmt.Sprintf("acme%d", i), ClientID: fmt.Sprintf("clientid-%08d", i), SecretExpires: store.NewDate(2027, 3, 31),
			Verification: &store.Verification{At: clock.Add(-time.Hour), OK: true, Lifetime: 3600},
		}
	}
	return conns
}

func benchApp(b *testing.B, conns []store.Connection) (app, *storetest.Memory) {
	b.Helper()
	mem := storetest.NewMemory()
	s := store.New(filepath.Join(b.TempDir(), "zconn"), mem)
	o := Options{Manager: manager.New(s, &zidentity.Client{}), Now: func() time.Time { return clock }}
	a := newApp(newCommon(context.Background(), o), conns, o)
	m, _ := a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return m.(app), mem
}

// typeInTurn types keys in turn, one per iteration, each with Update and
// View.
func typeInTurn(b *testing.B, a app, keys ...tea.KeyPressMsg) {
	b.Helper()
	i := 0
	for b.Loop() {
		m, _ := a.Update(keys[i%len(keys)])
		a = m.(app)
		_ = a.View()
		i++
	}
}

// BenchmarkListView10000 renders the Connections page with 10,000
// connections (target: under 2 ms; only the visible rows are drawn).
func BenchmarkListView10000(b *testing.B) {
	a, _ := benchApp(b, manyConnections(10000))
	for b.Loop() {
		_ = a.View()
	}
}

// BenchmarkFilterKeystroke10000 types one character into the filter over
// 10,000 connections, Update and View (target: under 5 ms).
func BenchmarkFilterKeystroke10000(b *testing.B) {
	a, _ := benchApp(b, manyConnections(10000))
	m, _ := a.Update(keyMsg("/"))
	a = m.(app)
	typeInTurn(b, a, keyMsg("4"), keyMsg("backspace"))
}

// BenchmarkFormKeystroke types one character into the New Connection
// form, Update and View (target: under 1 ms).
func BenchmarkFormKeystroke(b *testing.B) {
	a, _ := benchApp(b, nil)
	m, _ := a.Update(keyMsg("enter"))
	a = m.(app)
	// Type in the tenant, which re-parses and re-draws the token URL.
	m, _ = a.Update(keyMsg("tab"))
	m, _ = m.Update(keyMsg("tab"))
	a = m.(app)
	typeInTurn(b, a, keyMsg("a"), keyMsg("backspace"))
}

// BenchmarkFirstFrame builds the app from a file of 1,000 connections and
// draws its first frame; the keychain is not touched.
func BenchmarkFirstFrame(b *testing.B) {
	mem := storetest.NewMemory()
	s := store.New(filepath.Join(b.TempDir(), "zconn"), mem)
	for _, c := range manyConnections(1000) {
		if _, err := s.Create(context.Background(), c, "secret"); err != nil {
			b.Fatal(err)
		}
	}
	calls := mem.Calls()
	o := Options{Manager: manager.New(s, &zidentity.Client{}), Now: func() time.Time { return clock }}
	for b.Loop() {
		conns, err := s.List()
		if err != nil {
			b.Fatal(err)
		}
		a := newApp(newCommon(context.Background(), o), conns, o)
		m, _ := a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		_ = m.View()
	}
	if mem.Calls() != calls {
		b.Fatalf("the first frame made %d keychain calls; want none", mem.Calls()-calls)
	}
}
