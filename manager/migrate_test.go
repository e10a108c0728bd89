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
	err := manager.Migrate(ctx, conns, from, to, nil)
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
	var moved []string
	if err := manager.Migrate(ctx, conns, from, to, func(r manager.MigrateResult) {
		if r.Moved {
			moved = append(moved, r.Connection.Name)
		}
	}); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	readable()
	if len(moved) != 5 || from.Len() != 0 || to.Len() != 5 {
		t.Errorf("moved %v; source holds %d, destination %d; want all 5 moved", moved, from.Len(), to.Len())
	}
}

func TestMigrateKeepsTheOriginalWhenTheCopyDiffers(t *testing.T) {
	ctx := context.Background()
	from := storetest.NewMemory()
	from.Set(ctx, "id", "original")
	to := &lying{Memory: storetest.NewMemory()}
	err := manager.Migrate(ctx, []store.Connection{{ID: "id", Name: "prod"}}, from, to, nil)
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
	err := manager.Migrate(context.Background(), []store.Connection{{ID: "id", Name: "prod"}}, storetest.NewMemory(), storetest.NewMemory(), func(r manager.MigrateResult) {
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
	err := manager.Migrate(ctx, conns, from, storetest.NewMemory(), func(manager.MigrateResult) { cancel() })
	var me *manager.MigrateError
	if !errors.As(err, &me) || !errors.Is(err, context.Canceled) {
		t.Errorf("got %v; want a *MigrateError wrapping context.Canceled", err)
	}
}
