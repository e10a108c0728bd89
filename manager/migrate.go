package manager

import (
	"context"
	"errors"
	"fmt"

	"github.com/zconn/zconn/store"
)

// Migration says where Migrate moves the secrets.
type Migration struct {
	// To is the backend the secrets go to.
	To store.Secrets
	// From is the other backend, where a secret not yet in To is taken
	// from; nil when there is none to look in (such as a vault that was
	// never created).
	From store.Secrets
	// FromInUse is true when From is the backend zconn read secrets from
	// until now, false when To is. Should both hold a secret for one
	// connection and the two differ (a secret rotated while the other
	// backend was chosen), the copy in the backend in use is kept, as the
	// one zconn has been using, and the other is dropped.
	FromInUse bool
}

// MigrateResult is what happened to one connection's secret.
type MigrateResult struct {
	Connection store.Connection
	// Moved is true when the secret was copied into the destination, or
	// an earlier, interrupted run had copied it, and the original is now
	// removed.
	Moved bool
	// Already is true when the secret was in the destination alone:
	// nothing was done.
	Already bool
	// Differed is true when both backends held a secret for the
	// connection and the two differed; the one in the backend in use was
	// kept (see Migration.FromInUse).
	Differed bool
	Err      error
}

// Migrate moves every connection's secret into mg.To, taking it from
// where it is: a secret already in mg.To stays there, and one in mg.From
// is copied, read back and compared, and only then removed from mg.From,
// so an interruption at any point leaves every secret readable from one
// backend or the other; running Migrate again finishes the move. each,
// when not nil, hears about every connection in turn. The error says how
// many could not be moved.
func Migrate(ctx context.Context, conns []store.Connection, mg Migration, each func(MigrateResult)) error {
	failed := 0
	for _, c := range conns {
		r := migrateOne(ctx, c, mg)
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

func migrateOne(ctx context.Context, c store.Connection, mg Migration) MigrateResult {
	r := MigrateResult{Connection: c}
	fail := func(format string, a ...any) MigrateResult {
		r.Err = fmt.Errorf(format, a...)
		return r
	}
	inTo, err := mg.To.Get(ctx, c.ID)
	hasTo := err == nil
	if err != nil && !errors.Is(err, store.ErrSecretNotFound) {
		return fail("reading the secret of %s from the %s: %w", store.Quote(c.Name), mg.To.Backend(), err)
	}
	var inFrom string
	hasFrom := false
	if mg.From != nil {
		inFrom, err = mg.From.Get(ctx, c.ID)
		switch {
		case err == nil:
			hasFrom = true
		case errors.Is(err, store.ErrSecretNotFound):
		case hasTo && unreachable(err):
			// The secret is in To, and no copy can be in a keychain that
			// cannot be reached here.
		default:
			return fail("reading the secret of %s from the %s (nothing was changed for it): %w", store.Quote(c.Name), mg.From.Backend(), err)
		}
	}
	r.Differed = hasTo && hasFrom && inTo != inFrom
	switch {
	case !hasTo && !hasFrom:
		missing := &MissingSecretError{Name: c.Name, Backend: mg.To.Backend()}
		if mg.From == nil {
			r.Err = missing
			return r
		}
		return fail("%w, nor from the %s", missing, mg.From.Backend())
	case hasTo && !hasFrom:
		r.Already = true
		if err == nil || errors.Is(err, store.ErrSecretNotFound) {
			dropTokens(ctx, c.ID, mg.To, mg.From)
		} else {
			dropTokens(ctx, c.ID, mg.To)
		}
		return r
	case hasFrom && (!hasTo || (r.Differed && mg.FromInUse)):
		if err := mg.To.Set(ctx, c.ID, inFrom); err != nil {
			return fail("copying the secret of %s: %w", store.Quote(c.Name), err)
		}
		got, err := mg.To.Get(ctx, c.ID)
		if err != nil || got != inFrom {
			if err == nil {
				err = errors.New("the copy differs from the original")
			}
			return fail("checking the copy of the secret of %s (the original stays): %w", store.Quote(c.Name), err)
		}
	}
	// The secret is now in To, whether copied just now, by an earlier run
	// that was interrupted, or kept there as the copy in use.
	if err := mg.From.Delete(ctx, c.ID); err != nil && !errors.Is(err, store.ErrSecretNotFound) {
		return fail("removing the original secret of %s (the copy is in place; both now hold it): %w", store.Quote(c.Name), err)
	}
	dropTokens(ctx, c.ID, mg.To, mg.From)
	r.Moved = true
	return r
}
