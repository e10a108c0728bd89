package manager_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
)

// flaky fails every Set after the first n.
type flaky struct {
	*storetest.Memory
	n int
}

func (f *flaky) Set(ctx context.Context, id, s string) error {
	if f.n == 0 {
		return errors.New("the disk went away")
	}
	f.n--
	return f.Memory.Set(ctx, id, s)
}

func TestMigrateInterruptedThenFinished(t *testing.T) {
	ctx := context.Background()
	from := storetest.NewMemory()
	var conns []store.Connection
	for i := 0; i < 5; i++ {
		c := store.Connection{ID: fmt.Sprintf("id%d", i), Name: fmt.Sprintf("c%d", i)}
		from.Set(ctx, c.ID, "secret-"+c.ID)
		conns = append(conns, c)
	}
	to := &flaky{Memory: storetest.NewMemory(), n: 2}
	err := manager.Migrate(ctx, conns, manager.Migration{To: to, From: from, FromInUse: true}, nil)
	var me *manager.MigrateError
	if !errors.As(err, &me) || me.Failed != 3 || me.Total != 5 || !strings.Contains(err.Error(), "3 of 5") {
		t.Fatalf("Migrate with a failure midway = %v; want a *MigrateError: 3 of 5 not moved", err)
	}
	readable := func() {
		t.Helper()
		for _, c := range conns {
			a, aok := from.Peek(c.ID)
			b, bok := to.Peek(c.ID)
			if !(aok && a == "secret-"+c.ID) && !(bok && b == "secret-"+c.ID) {
				t.Errorf("the secret of %s is readable from neither backend", c.Name)
			}
		}
	}
	readable()
	to.n = 100
	var moved, already []string
	if err := manager.Migrate(ctx, conns, manager.Migration{To: to, From: from, FromInUse: true}, func(r manager.MigrateResult) {
		switch {
		case r.Moved:
			moved = append(moved, r.Connection.Name)
		case r.Already:
			already = append(already, r.Connection.Name)
		}
	}); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	readable()
	if strings.Join(moved, ",") != "c2,c3,c4" || strings.Join(already, ",") != "c0,c1" || from.Len() != 0 || to.Len() != 5 {
		t.Errorf("moved %v, already there %v; source holds %d, destination %d; want c2-c4 moved, c0 and c1 there already", moved, already, from.Len(), to.Len())
	}
}

func TestMigrateKeepsTheOriginalWhenTheCopyDiffers(t *testing.T) {
	ctx := context.Background()
	from := storetest.NewMemory()
	from.Set(ctx, "id", "original")
	to := &lying{Memory: storetest.NewMemory()}
	err := manager.Migrate(ctx, []store.Connection{{ID: "id", Name: "prod"}}, manager.Migration{To: to, From: from, FromInUse: true}, nil)
	if err == nil {
		t.Fatal("Migrate trusted a copy that reads back different")
	}
	if s, ok := from.Peek("id"); !ok || s != "original" {
		t.Error("the original was removed")
	}
}

// lying stores something other than it was given.
type lying struct{ *storetest.Memory }

func (l *lying) Set(ctx context.Context, id, s string) error { return l.Memory.Set(ctx, id, s+"!") }

func TestMigrateMissingEverywhere(t *testing.T) {
	var each []manager.MigrateResult
	err := manager.Migrate(context.Background(), []store.Connection{{ID: "id", Name: "prod"}}, manager.Migration{To: storetest.NewMemory(), From: storetest.NewMemory()}, func(r manager.MigrateResult) {
		each = append(each, r)
	})
	if err == nil {
		t.Fatal("Migrate of a secret found nowhere succeeded")
	}
	var missing *manager.MissingSecretError
	if len(each) != 1 || !errors.As(each[0].Err, &missing) || missing.Name != "prod" {
		t.Fatalf("results %+v; want one *MissingSecretError for prod", each)
	}
	if want := `the secret of "prod" is missing from the memory keychain, nor from the memory keychain`; each[0].Err.Error() != want {
		t.Errorf("got %q; want %q", each[0].Err, want)
	}
}

func TestMigrateInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	from := storetest.NewMemory()
	conns := []store.Connection{{ID: "a", Name: "a"}, {ID: "b", Name: "b"}}
	for _, c := range conns {
		from.Set(ctx, c.ID, "s")
	}
	err := manager.Migrate(ctx, conns, manager.Migration{To: storetest.NewMemory(), From: from, FromInUse: true}, func(manager.MigrateResult) { cancel() })
	var me *manager.MigrateError
	if !errors.As(err, &me) || !errors.Is(err, context.Canceled) {
		t.Errorf("got %v; want a *MigrateError wrapping context.Canceled", err)
	}
}

// named is a memory keychain with a name of its own, so that messages
// tell the two backends apart.
type named struct {
	*storetest.Memory
	name string
}

func (n named) Backend() string { return n.name }

// TestMigrateTakesEachSecretFromWhereItIs moves secrets that sit in either
// backend, or in both, whichever backend was in use.
func TestMigrateTakesEachSecretFromWhereItIs(t *testing.T) {
	tests := []struct {
		name string
		// to and from are what each backend holds first ("" for nothing).
		to, from  string
		fromInUse bool
		// want is what the destination holds afterwards; the source holds
		// nothing unless failed.
		want             string
		moved, already   bool
		differed, failed bool
	}{
		{"only in the source", "", "s", true, "s", true, false, false, false},
		{"only in the source, destination in use", "", "s", false, "s", true, false, false, false},
		{"only in the destination", "s", "", true, "s", false, true, false, false},
		{"in both, the same (an interrupted run)", "s", "s", true, "s", true, false, false, false},
		{"in both, different, source in use", "old", "new", true, "new", true, false, true, false},
		{"in both, different, destination in use", "new", "old", false, "new", true, false, true, false},
		{"in neither", "", "", true, "", false, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			to, from := named{storetest.NewMemory(), "keychain"}, named{storetest.NewMemory(), "vault"}
			if tt.to != "" {
				to.Set(ctx, "id", tt.to)
			}
			if tt.from != "" {
				from.Set(ctx, "id", tt.from)
			}
			var got manager.MigrateResult
			err := manager.Migrate(ctx, []store.Connection{{ID: "id", Name: "prod"}}, manager.Migration{To: to, From: from, FromInUse: tt.fromInUse}, func(r manager.MigrateResult) { got = r })
			if (err != nil) != tt.failed || (got.Err != nil) != tt.failed {
				t.Fatalf("Migrate = %v, result %v; want failure %v", err, got.Err, tt.failed)
			}
			if got.Moved != tt.moved || got.Already != tt.already || got.Differed != tt.differed {
				t.Errorf("result moved %v, already %v, differed %v; want %v, %v, %v", got.Moved, got.Already, got.Differed, tt.moved, tt.already, tt.differed)
			}
			if s, _ := to.Peek("id"); s != tt.want {
				t.Errorf("destination holds %q; want %q", s, tt.want)
			}
			if s, ok := from.Peek("id"); ok && !tt.failed {
				t.Errorf("source still holds %q; want nothing", s)
			}
			if tt.failed {
				if want := `the secret of "prod" is missing from the keychain, nor from the vault`; got.Err.Error() != want {
					t.Errorf("got %q; want %q", got.Err, want)
				}
			}
		})
	}
}

// TestMigrateWithoutASource moves into a backend when there is no other
// to take from, as when no vault was ever created.
func TestMigrateWithoutASource(t *testing.T) {
	ctx := context.Background()
	to := storetest.NewMemory()
	to.Set(ctx, "a", "s")
	var results []manager.MigrateResult
	err := manager.Migrate(ctx, []store.Connection{{ID: "a", Name: "a"}, {ID: "b", Name: "b"}}, manager.Migration{To: to}, func(r manager.MigrateResult) { results = append(results, r) })
	var missing *manager.MissingSecretError
	if err == nil || len(results) != 2 || !results[0].Already || !errors.As(results[1].Err, &missing) {
		t.Fatalf("Migrate = %v, %+v; want a already there and b missing", err, results)
	}
}

// TestMigrateSourceThatCannotBeRead leaves a connection as it is when the
// source cannot be read, and says why.
func TestMigrateSourceThatCannotBeRead(t *testing.T) {
	ctx := context.Background()
	to, from := storetest.NewMemory(), storetest.NewMemory()
	to.Set(ctx, "id", "s")
	from.Fail("get", &store.SecretError{Op: "reading", Kind: store.KindLocked, Message: "the vault is locked"})
	var got manager.MigrateResult
	err := manager.Migrate(ctx, []store.Connection{{ID: "id", Name: "prod"}}, manager.Migration{To: to, From: from}, func(r manager.MigrateResult) { got = r })
	if err == nil || got.Err == nil || !strings.Contains(got.Err.Error(), "the vault is locked") {
		t.Fatalf("Migrate = %v, %v; want the source's failure", err, got.Err)
	}
	if s, _ := to.Peek("id"); s != "s" {
		t.Errorf("destination holds %q; want it unchanged", s)
	}
}

// TestMigrateFromAKeychainThatCannotBeReached: with no keychain reachable
// (no session bus), a secret already in the destination is there, and one
// that is not cannot be moved, with the keychain's reason.
func TestMigrateFromAKeychainThatCannotBeReached(t *testing.T) {
	ctx := context.Background()
	to, from := storetest.NewMemory(), storetest.NewMemory()
	to.Set(ctx, "a", "s")
	from.Fail("get", &store.SecretError{Op: "reading", Kind: store.KindNoBus, Message: "no D-Bus session bus"})
	var results []manager.MigrateResult
	err := manager.Migrate(ctx, []store.Connection{{ID: "a", Name: "a"}, {ID: "b", Name: "b"}}, manager.Migration{To: to, From: from}, func(r manager.MigrateResult) { results = append(results, r) })
	if err == nil || len(results) != 2 {
		t.Fatalf("Migrate = %v, %+v; want b to fail", err, results)
	}
	if !results[0].Already || results[0].Err != nil {
		t.Errorf("a: %+v; want it there already", results[0])
	}
	if results[1].Err == nil || !strings.Contains(results[1].Err.Error(), "no D-Bus session bus") {
		t.Errorf("b: %v; want the keychain's reason", results[1].Err)
	}
}
