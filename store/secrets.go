package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Secrets holds client secrets by connection ID. Every method honors the
// context's deadline and cancellation.
type Secrets interface {
	// Set stores or replaces the secret of a connection.
	Set(ctx context.Context, id, secret string) error
	// Get returns the secret, or an error that wraps ErrSecretNotFound.
	Get(ctx context.Context, id string) (string, error)
	// Delete removes the secret, or returns an error that wraps
	// ErrSecretNotFound.
	Delete(ctx context.Context, id string) error
	// Backend names where the secrets live, for people to read, such as
	// "Secret Service" or "encrypted vault ~/.config/zconn/vault.age".
	Backend() string
}

// ErrSecretNotFound means the backend holds no secret for the connection.
var ErrSecretNotFound = errors.New("secret not found")

// ErrTimeout means a secrets backend did not answer in time.
var ErrTimeout = errors.New("timed out")

// ErrNoSessionBus means the Secret Service cannot be reached because no
// D-Bus session bus is running for this login (as over SSH): zconn never
// starts one, as such a bus and its keyring would outlive it.
var ErrNoSessionBus = errors.New("no D-Bus session bus")

// SecretErrorKind says what kind of failure a SecretError is, for the front
// ends to add their own fix.
type SecretErrorKind int

// The kinds of SecretError.
const (
	// KindOther is a failure zconn has no better word for.
	KindOther SecretErrorKind = iota
	// KindNotFound means the backend holds no secret for the connection.
	KindNotFound
	// KindTimeout means the backend did not answer in time.
	KindTimeout
	// KindCanceled means the caller gave up.
	KindCanceled
	// KindNoBus means there is no D-Bus session bus to reach the Secret
	// Service on.
	KindNoBus
	// KindNoService means no Secret Service runs on the session bus.
	KindNoService
	// KindLocked means the keychain is locked.
	KindLocked
	// KindTooLarge means the secret is larger than the backend holds.
	KindTooLarge
	// KindUnsupported means the system has no keychain zconn can use.
	KindUnsupported
	// KindWrongPassphrase means the passphrase does not open the vault.
	KindWrongPassphrase
)

// Unreachable reports whether a failure of this kind says that no
// keychain can be reached here at all: no session bus, no Secret Service,
// none on this system.
func (k SecretErrorKind) Unreachable() bool {
	return k == KindNoBus || k == KindNoService || k == KindUnsupported
}

// VaultAvoids reports whether the encrypted vault avoids a failure of
// this kind: a keychain that cannot be reached, or one that is locked.
func (k SecretErrorKind) VaultAvoids() bool { return k.Unreachable() || k == KindLocked }

// SecretError is a failure of a secrets backend: what happened, in one
// line, and its kind.
type SecretError struct {
	// Op is what was being done: "saving", "reading", "deleting".
	Op string
	// Kind says what kind of failure it is.
	Kind SecretErrorKind
	// Message is the one line a person reads.
	Message string
	// Err is the cause, such as ErrSecretNotFound or ErrTimeout.
	Err error
}

// Error returns the one-line message.
func (e *SecretError) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *SecretError) Unwrap() error { return e.Err }

// withTimeout runs f in its own goroutine and gives up when ctx ends or
// timeout passes. A backend call that hangs (an unlock prompt nobody
// answers) is left behind rather than waited for.
func withTimeout[T any](ctx context.Context, timeout time.Duration, f func() (T, error)) (T, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return zero, fmt.Errorf("%w after %s", ErrTimeout, timeout)
		}
		return zero, ctx.Err()
	}
}

// Probe checks that a backend answers, by reading a secret that does not
// exist.
func Probe(ctx context.Context, s Secrets) error {
	_, err := s.Get(ctx, "zconn-probe")
	if errors.Is(err, ErrSecretNotFound) {
		return nil
	}
	return err
}
