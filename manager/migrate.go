package manager

import (
	"context"
	"errors"
	"fmt"

	"github.com/zconn/zconn/store"
)

// MigrateResult is what happened to one connection's secret.
type MigrateResult struct {
	Connection store.Connection
	// Moved is true when the secret is now only in the destination,
	// including when an earlier, interrupted run had already moved it.
	Moved bool
	Err   error
}

// Migrate moves every connection's secret from one backend to another.
// Each secret is copied, read back and compared, and only then removed
// from where it was, so an interruption at any point leaves every secret
// readable from one backend or the other; running Migrate again finishes
// the move. each, when not nil, hears about every connection in turn.
// The error says how many could not be moved.
func Migrate(ctx context.Context, conns []store.Connection, from, to store.Secrets, each func(MigrateResult)) error {
	failed := 0
	for _, c := range conns {
		r := MigrateResult{Connection: c}
		r.Moved, r.Err = migrateOne(ctx, c, from, to)
		if r.Err != nil {
			failed++
		}
		if each != nil {
			each(r)
		}
		if ctx.Err() != nil {
			return &MigrateError{Total: len(conns), Failed: failed, Err: ctx.Err()}
		}
	}
	if failed > 0 {
		return &MigrateError{Total: len(conns), Failed: failed}
	}
	return nil
}

// MigrateError means Migrate did not move every secret: some failed, or
// it was interrupted (Err). Every secret is still readable from one
// backend or the other, and migrating again finishes the move.
type MigrateError struct {
	Total, Failed int
	// Err is why it stopped early, such as context.Canceled; nil when it
	// went through every connection.
	Err error
}

// Error says how many secrets were not moved.
func (e *MigrateError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("moving the secrets was interrupted (%v); every secret is still readable from one place or the other", e.Err)
	}
	return fmt.Sprintf("%d of %d secrets could not be moved; every secret is still readable where it was", e.Failed, e.Total)
}

// Unwrap returns why it stopped early.
func (e *MigrateError) Unwrap() error { return e.Err }

func migrateOne(ctx context.Context, c store.Connection, from, to store.Secrets) (bool, error) {
	secret, err := from.Get(ctx, c.ID)
	if errors.Is(err, store.ErrSecretNotFound) {
		// Moved by an earlier run that was interrupted before the end?
		if _, terr := to.Get(ctx, c.ID); terr == nil {
			return true, nil
		}
		return false, fmt.Errorf("%w, nor from the %s", &MissingSecretError{Name: c.Name, Backend: from.Backend()}, to.Backend())
	}
	if err != nil {
		return false, fmt.Errorf("reading the secret of %q: %w", c.Name, err)
	}
	if err := to.Set(ctx, c.ID, secret); err != nil {
		return false, fmt.Errorf("copying the secret of %q: %w", c.Name, err)
	}
	got, err := to.Get(ctx, c.ID)
	if err != nil || got != secret {
		if err == nil {
			err = errors.New("the copy differs from the original")
		}
		return false, fmt.Errorf("checking the copy of the secret of %q (the original stays): %w", c.Name, err)
	}
	if err := from.Delete(ctx, c.ID); err != nil && !errors.Is(err, store.ErrSecretNotFound) {
		return false, fmt.Errorf("removing the original secret of %q (the copy is in place; both now hold it): %w", c.Name, err)
	}
	return true, nil
}
