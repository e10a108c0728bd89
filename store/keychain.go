package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/zconn/zconn/internal/safetext"
)

// KeychainService is the service name of every keychain item zconn writes;
// the account is the connection's ID.
const KeychainService = "zconn"

// DefaultKeychainTimeout bounds each keychain call unless
// ZCONN_KEYCHAIN_TIMEOUT says otherwise.
const DefaultKeychainTimeout = 30 * time.Second

// MaxWindowsSecret is the most the Windows Credential Manager holds.
const MaxWindowsSecret = 2560

// MaxMacOSSecret is, with room to spare, the most the macOS Keychain takes
// through the security tool: its command line, with the secret in base64,
// must fit in 4096 bytes.
const MaxMacOSSecret = 2900

// Keyring is the OS keychain as go-keyring exposes it.
type Keyring interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

type osKeyring struct{}

// Each call first finds the D-Bus session bus where the keychain is
// reached over one, so that go-keyring never starts a bus of its own.

func (osKeyring) Set(s, u, p string) error {
	if err := useSessionBus(); err != nil {
		return err
	}
	return keyring.Set(s, u, p)
}

func (osKeyring) Get(s, u string) (string, error) {
	if err := useSessionBus(); err != nil {
		return "", err
	}
	return keyring.Get(s, u)
}

func (osKeyring) Delete(s, u string) error {
	if err := useSessionBus(); err != nil {
		return err
	}
	return keyring.Delete(s, u)
}

// Keychain keeps secrets in the OS keychain: the macOS Keychain, the Windows
// Credential Manager or the Secret Service.
type Keychain struct {
	// Timeout bounds every call; zero means DefaultKeychainTimeout.
	Timeout time.Duration
	ring    Keyring
}

// NewKeychain returns the OS keychain with the given timeout (zero means
// DefaultKeychainTimeout).
func NewKeychain(timeout time.Duration) *Keychain {
	return &Keychain{Timeout: timeout, ring: osKeyring{}}
}

// NewKeychainWith returns a Keychain over another Keyring. zconn itself
// uses NewKeychain; NewKeychainWith exists for the tests of this package
// and of cli that need the OS keychain's failures (a timeout, a locked or
// absent Secret Service) through the real Keychain's handling of them.
func NewKeychainWith(ring Keyring, timeout time.Duration) *Keychain {
	return &Keychain{Timeout: timeout, ring: ring}
}

func (k *Keychain) timeout() time.Duration {
	if k.Timeout > 0 {
		return k.Timeout
	}
	return DefaultKeychainTimeout
}

// Backend names the OS keychain of this system.
func (k *Keychain) Backend() string { return KeychainName() }

// KeychainName names the OS keychain of this system.
func KeychainName() string {
	switch runtime.GOOS {
	case "darwin":
		return "macOS Keychain"
	case "windows":
		return "Windows Credential Manager"
	}
	return "Secret Service"
}

// Set stores the secret under service zconn, account id.
func (k *Keychain) Set(ctx context.Context, id, secret string) error {
	if err := CheckSecretLen(k, secret); err != nil {
		return &SecretError{Op: "saving", Kind: KindTooLarge, Message: err.Error(), Err: err}
	}
	_, err := withTimeout(ctx, k.timeout(), func() (struct{}, error) {
		return struct{}{}, k.ring.Set(KeychainService, id, secret)
	})
	return k.fail("saving", err, secret)
}

// Get reads the secret of a connection.
func (k *Keychain) Get(ctx context.Context, id string) (string, error) {
	s, err := withTimeout(ctx, k.timeout(), func() (string, error) {
		return k.ring.Get(KeychainService, id)
	})
	if err != nil {
		return "", k.fail("reading", err, "")
	}
	return s, nil
}

// Delete removes the secret of a connection.
func (k *Keychain) Delete(ctx context.Context, id string) error {
	_, err := withTimeout(ctx, k.timeout(), func() (struct{}, error) {
		return struct{}{}, k.ring.Delete(KeychainService, id)
	})
	return k.fail("deleting", err, "")
}

// fail maps a keychain error to a *SecretError that says what happened.
// secret, when known, is kept out of the message.
func (k *Keychain) fail(op string, err error, secret string) error {
	return k.failing(op, "secret", err, secret)
}

// failing is fail for an item that holds what (a "secret", or a "token"
// kept beside it).
func (k *Keychain) failing(op, what string, err error, secret string) error {
	if err == nil {
		return nil
	}
	name := k.Backend()
	e := &SecretError{Op: op, Err: err}
	raw := err.Error()
	if secret != "" {
		raw = strings.ReplaceAll(raw, secret, "[redacted]")
	}
	low := strings.ToLower(raw)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		e.Kind, e.Err = KindNotFound, ErrSecretNotFound
		e.Message = fmt.Sprintf("the %s holds no %s for this connection", name, what)
	case errors.Is(err, ErrTimeout):
		e.Kind = KindTimeout
		e.Message = fmt.Sprintf("the %s did not answer within %s, perhaps waiting for an unlock prompt on another screen: answer it, or allow more time with ZCONN_KEYCHAIN_TIMEOUT; if it answers later, the %s may still happen", name, k.timeout(), op)
	case errors.Is(err, context.Canceled):
		e.Kind = KindCanceled
		e.Message = op + " the " + what + " was canceled"
	case errors.Is(err, keyring.ErrSetDataTooBig):
		tooBig := &SecretTooLargeError{Size: len(secret), Limit: k.MaxSecretLen(), Backend: name}
		e.Kind, e.Err, e.Message = KindTooLarge, tooBig, tooBig.Error()
		if what != "secret" {
			e.Message = fmt.Sprintf("the %s takes %d bytes, more than the %s holds", what, len(secret), name)
		}
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		e.Kind = KindUnsupported
		e.Message = "this system has no OS keychain zconn can use"
	case errors.Is(err, ErrNoSessionBus),
		strings.Contains(low, "couldn't determine address of session bus"),
		strings.Contains(low, "dbus-launch"),
		strings.Contains(low, "dbus_session_bus_address"),
		strings.Contains(low, "/bus: connect"),
		strings.Contains(low, "session bus") && strings.Contains(low, "no such file"):
		if !errors.Is(err, ErrNoSessionBus) {
			e.Err = fmt.Errorf("%w: %w", ErrNoSessionBus, err)
		}
		e.Kind = KindNoBus
		e.Message = "no D-Bus session bus, so the Secret Service cannot be reached: run zconn in a desktop session or under dbus-run-session with a keyring unlocked"
	case strings.Contains(low, "org.freedesktop.secrets"), strings.Contains(low, "serviceunknown"),
		strings.Contains(low, "name has no owner"):
		e.Kind = KindNoService
		e.Message = "no Secret Service is running on the session bus: start gnome-keyring-daemon (or KeePassXC with its Secret Service on)"
	case strings.Contains(low, "locked"), strings.Contains(low, "failed to unlock"),
		strings.Contains(low, "prompt"), strings.Contains(low, "interaction is not allowed"):
		e.Kind = KindLocked
		e.Message = fmt.Sprintf("the %s is locked: unlock it (on Linux: gnome-keyring-daemon --unlock; on macOS: security unlock-keychain) and try again", name)
	default:
		e.Message = fmt.Sprintf("%s the %s in the %s failed (%s): check that the %s is running and unlocked", op, what, name, safetext.Clean(raw, 200), name)
	}
	return e
}

// MaxSecretLen returns the longest secret this keychain holds, or 0 when
// it sets no limit of its own: the Windows Credential Manager refuses
// secrets over 2560 bytes, and the macOS Keychain, through the security
// tool, about 3000.
func (k *Keychain) MaxSecretLen() int { return KeychainLimit(runtime.GOOS) }

// KeychainLimit returns the longest secret the OS keychain of the system
// goos (as runtime.GOOS names it) holds, or 0 for no limit of its own:
// MaxWindowsSecret for the Windows Credential Manager, MaxMacOSSecret for
// the macOS Keychain, none for the Secret Service.
func KeychainLimit(goos string) int {
	switch goos {
	case "windows":
		return MaxWindowsSecret
	case "darwin":
		return MaxMacOSSecret
	}
	return 0
}

// SecretLimit returns the longest secret a backend holds, or 0 for no limit.
func SecretLimit(s Secrets) int {
	if l, ok := s.(interface{ MaxSecretLen() int }); ok {
		return l.MaxSecretLen()
	}
	return 0
}

// SecretTooLargeError means a secret is larger than the backend holds.
type SecretTooLargeError struct {
	// Size is the secret's size in bytes.
	Size int
	// Limit is the most the backend holds, or 0 when it did not say.
	Limit int
	// Backend names the backend.
	Backend string
	// PrivateKey is set when the secret is a private key, already in the
	// compact form it is kept in: no pasting went wrong, the key is too
	// large for this backend, and the encrypted vault holds it.
	PrivateKey bool
}

// Error says the sizes and names the fix.
func (e *SecretTooLargeError) Error() string {
	if e.PrivateKey {
		return fmt.Sprintf("the private key takes %d bytes even in zconn's compact form, but the %s holds at most %d: keep it in the encrypted vault, which holds keys of any size, or use a key of at most 4096 bits", e.Size, e.Backend, e.Limit)
	}
	if e.Limit <= 0 {
		return fmt.Sprintf("the secret has %d bytes, more than the %s holds: check that only the client secret was pasted", e.Size, e.Backend)
	}
	return fmt.Sprintf("the secret has %d bytes but the %s holds at most %d: check that only the client secret was pasted", e.Size, e.Backend, e.Limit)
}

// CheckKeyLen refuses, before anything is sent or saved, a private key
// that the backend cannot hold, with a *SecretTooLargeError whose
// PrivateKey is set. encoded is the key in the compact form it is kept in
// (zidentity.PrivateKey.Encode): 368 bytes for 2048 bits, 540 for 3072 and
// 712 for 4096, which every keychain holds.
func CheckKeyLen(s Secrets, encoded string) error {
	err := CheckSecretLen(s, encoded)
	var tooLarge *SecretTooLargeError
	if errors.As(err, &tooLarge) {
		tooLarge.PrivateKey = true
	}
	return err
}

// CheckSecret refuses, before anything is sent or saved, a client secret
// (already normalized) that ValidateSecret refuses or the backend cannot
// hold (CheckSecretLen).
func CheckSecret(s Secrets, secret string) error {
	if err := ValidateSecret(secret); err != nil {
		return err
	}
	return CheckSecretLen(s, secret)
}

// CheckSecretLen refuses, before anything is sent or saved, a secret the
// backend cannot hold, with a *SecretTooLargeError.
func CheckSecretLen(s Secrets, secret string) error {
	if limit := SecretLimit(s); limit > 0 && len(secret) > limit {
		return &SecretTooLargeError{Size: len(secret), Limit: limit, Backend: s.Backend()}
	}
	return nil
}
