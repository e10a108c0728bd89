package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// factory builds, on first use, what the commands share: the store, the
// secrets backend and the manager. Nothing here runs at start-up.
type factory struct {
	sys System
	// secretsFlag is --secrets.
	secretsFlag string
	// ownNotices is set by the commands that show the store's notices
	// themselves (the TUI, doctor) rather than on standard error.
	ownNotices bool
	notices    []string

	st      *store.Store
	secrets *lazySecrets
}

func newFactory(sys System) *factory { return &factory{sys: sys} }

// store returns the store over the config folder. Its secrets backend is
// opened only when a secret is first read or written.
func (f *factory) store() (*store.Store, error) {
	if f.st != nil {
		return f.st, nil
	}
	dir, err := store.DefaultDir(f.sys.Getenv)
	if err != nil {
		return nil, err
	}
	f.secrets = &lazySecrets{open: f.openBackend, saved: f.rememberChoice}
	f.st = store.New(dir, f.secrets)
	f.st.Now = f.sys.Now
	// A config folder or file open to others is restricted again; say so,
	// here or, for the TUI, on its screen.
	f.notices, err = f.st.Notices()
	if err != nil {
		f.notices = append(f.notices, err.Error())
	}
	if !f.ownNotices {
		for _, n := range f.notices {
			fmt.Fprintln(f.sys.Stderr, "zconn: note: "+n)
		}
	}
	return f.st, nil
}

// openSecrets opens the secrets backend now, so that a bad setting (such
// as ZCONN_KEYCHAIN_TIMEOUT) is reported before any work is done.
func (f *factory) openSecrets(ctx context.Context) (store.Secrets, error) {
	if _, err := f.store(); err != nil {
		return nil, err
	}
	return f.secrets.get(ctx)
}

// manager returns a manager whose token requests give up after timeout.
// The ZIdentity client, and its HTTP client, are built on the first token
// request; commands that will make one call verifying first, so that a bad
// ZCONN_ZIDENTITY_URL stops them before any work.
func (f *factory) manager(timeout time.Duration) (*manager.Manager, error) {
	st, err := f.store()
	if err != nil {
		return nil, err
	}
	v := &lazyVerifier{build: func() (*zidentity.Client, error) {
		base, err := f.baseURL()
		if err != nil {
			return nil, err
		}
		return &zidentity.Client{HTTPClient: f.httpClient(), BaseURL: base, Timeout: timeout, Now: f.sys.Now}, nil
	}}
	m := manager.New(st, v)
	m.Now = f.sys.Now
	return m, nil
}

// verifying returns a manager for a command that requests tokens, after
// checking ZCONN_ZIDENTITY_URL.
func (f *factory) verifying(timeout time.Duration) (*manager.Manager, error) {
	if _, err := f.baseURL(); err != nil {
		return nil, err
	}
	return f.manager(timeout)
}

// httpClient returns the injected HTTP client or builds zconn's own.
func (f *factory) httpClient() *http.Client {
	if f.sys.HTTPClient != nil {
		return f.sys.HTTPClient
	}
	return zidentity.NewHTTPClient()
}

// baseURL returns ZCONN_ZIDENTITY_URL, checked, or "" when it is not set.
func (f *factory) baseURL() (string, error) {
	raw := f.sys.Getenv("ZCONN_ZIDENTITY_URL")
	if raw == "" {
		return "", nil
	}
	u, err := zidentity.ParseBaseURL(raw)
	if err != nil {
		return "", usage(err)
	}
	return u.String(), nil
}

// resolve returns the connection named name, or the default connection when
// name is empty.
func (f *factory) resolve(name string) (store.Connection, error) {
	st, err := f.store()
	if err != nil {
		return store.Connection{}, err
	}
	if name != "" {
		return st.Find(name)
	}
	c, err := st.Default()
	if errors.Is(err, store.ErrNoDefault) {
		return c, usage(err)
	}
	return c, err
}

// secretOf returns the connection named name (the default one when name
// is empty) and its secret.
func (f *factory) secretOf(ctx context.Context, name string) (store.Connection, string, error) {
	conn, err := f.resolve(name)
	if err != nil {
		return conn, "", err
	}
	m, err := f.manager(zidentity.DefaultTimeout)
	if err != nil {
		return conn, "", err
	}
	if _, err := f.openSecrets(ctx); err != nil {
		return conn, "", err
	}
	secret, err := m.Secret(ctx, conn)
	return conn, secret, err
}

// credentialsOf returns the connection named name (the default one when
// name is empty) and what proves it: its secret, or its private key.
func (f *factory) credentialsOf(ctx context.Context, name string) (store.Connection, zidentity.Credentials, error) {
	conn, secret, err := f.secretOf(ctx, name)
	if err != nil {
		return conn, zidentity.Credentials{}, err
	}
	cr, err := manager.Credentials(conn, secret)
	return conn, cr, err
}

// openKeychain opens the OS keychain with the timeout that
// ZCONN_KEYCHAIN_TIMEOUT sets.
func openKeychain(getenv func(string) string) (store.Secrets, error) {
	timeout, err := keychainTimeout(getenv("ZCONN_KEYCHAIN_TIMEOUT"))
	if err != nil {
		return nil, err
	}
	return store.NewKeychain(timeout), nil
}

// keychainTimeout reads ZCONN_KEYCHAIN_TIMEOUT: a Go duration such as 45s,
// or a number of seconds. Empty means the store's default.
func keychainTimeout(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		n, nerr := strconv.ParseFloat(s, 64)
		if nerr != nil {
			return 0, usagef("ZCONN_KEYCHAIN_TIMEOUT=%q is not a duration: set it to seconds or a duration such as 45s, or unset it", s)
		}
		d = time.Duration(n * float64(time.Second))
	}
	if d <= 0 {
		return 0, usagef("ZCONN_KEYCHAIN_TIMEOUT=%q is not positive: set it to seconds or a duration such as 45s, or unset it", s)
	}
	return d, nil
}

// lazySecrets opens the secrets backend on its first use.
type lazySecrets struct {
	open func(context.Context) (store.Secrets, error)
	// saved, when set, runs after a secret was saved.
	saved func(context.Context)

	mu  sync.Mutex
	s   store.Secrets
	err error
}

func (l *lazySecrets) get(ctx context.Context) (store.Secrets, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.s == nil && l.err == nil {
		l.s, l.err = l.open(ctx)
		if l.err == nil && l.s == nil {
			l.err = errors.New("no secrets backend could be opened: run zconn doctor")
		}
	}
	return l.s, l.err
}

// Set stores a secret in the backend.
func (l *lazySecrets) Set(ctx context.Context, id, secret string) error {
	s, err := l.get(ctx)
	if err != nil {
		return err
	}
	if err := s.Set(ctx, id, secret); err != nil {
		return err
	}
	if l.saved != nil {
		l.saved(ctx)
	}
	return nil
}

// Get reads a secret from the backend.
func (l *lazySecrets) Get(ctx context.Context, id string) (string, error) {
	s, err := l.get(ctx)
	if err != nil {
		return "", err
	}
	return s.Get(ctx, id)
}

// Delete removes a secret from the backend.
func (l *lazySecrets) Delete(ctx context.Context, id string) error {
	s, err := l.get(ctx)
	if err != nil {
		return err
	}
	return s.Delete(ctx, id)
}

// replace swaps the backend, as when the TUI switches to the vault.
func (l *lazySecrets) replace(s store.Secrets) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.s, l.err = s, nil
}

// MaxSecretLen returns the backend's limit on a secret, if it is open.
func (l *lazySecrets) MaxSecretLen() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return store.SecretLimit(l.s)
}

// Backend names the backend. It opens nothing: before the backend is
// open it names the OS keychain, which is what zconn opens unless told
// otherwise.
func (l *lazySecrets) Backend() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.s == nil {
		return store.KeychainName()
	}
	return l.s.Backend()
}

// lazyVerifier builds the ZIdentity client on the first token request.
type lazyVerifier struct {
	build func() (*zidentity.Client, error)

	once sync.Once
	c    *zidentity.Client
	err  error
}

// Token requests a token.
func (v *lazyVerifier) Token(ctx context.Context, cr zidentity.Credentials) (*zidentity.Token, error) {
	v.once.Do(func() { v.c, v.err = v.build() })
	if v.err != nil {
		return nil, v.err
	}
	return v.c.Token(ctx, cr)
}
