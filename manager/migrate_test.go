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
	if err == nil || !strings.Contains(err.Error(), "3 of 5") || !strings.Contains(err.Error(), "run the same command again") {
		t.Fatalf("Migrate with a failure midway = %v; want 3 of 5 not moved, and how to finish", err)
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
	err := manager.Migrate(context.Background(), []store.Connection{{ID: "id", Name: "prod"}}, storetest.NewMemory(), storetest.NewMemory(), nil)
	if err == nil {
		t.Fatal("Migrate of a secret found nowhere succeeded")
	}
}
