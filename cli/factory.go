package cli

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
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
	// fullPaths is set by the commands that print JSON, whose messages
	// name the vault by its full path rather than with ~.
	fullPaths bool

	st      *store.Store
	secrets *lazySecrets
	// readDir lists a folder; doctor reads the config folder with it.
	readDir func(string) ([]fs.DirEntry, error)
	// answers reads what is typed at the terminal in answer to questions.
	answers *bufio.Reader
}

func newFactory(sys System) *factory { return &factory{sys: sys, readDir: os.ReadDir} }

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
	// A config folder or file open to others: say so (and what zconn
	// restricts on the next save), here or, for the TUI, on its screen.
	f.notices, err = f.st.Notices()
	if err != nil {
		f.notices = append(f.notices, err.Error())
	}
	if !f.ownNotices {
		for _, n := range f.notices {
			say(f.sys.Stderr, "zconn: note: %s", n)
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
		base, api, err := f.overrideURLs()
		if err != nil {
			return nil, err
		}
		return &zidentity.Client{HTTPClient: f.httpClient(), BaseURL: base, APIBaseURL: api, Timeout: timeout, Now: f.sys.Now}, nil
	}}
	m := manager.New(st, v)
	m.Now = f.sys.Now
	m.Other = f.otherBackend
	// A bad ZCONN_ZIDENTITY_URL stops the commands that send (verifying);
	// those that only hand the secret on treat it as not set.
	if base, err := f.baseURL(); err == nil && base != "" {
		m.HostOverride = true
	}
	return m, nil
}

// errVaultLocked is why the vault is not looked into for a missing
// secret: its passphrase would have to be asked for.
var errVaultLocked = errors.New("the encrypted vault is locked: its passphrase is not in ZCONN_PASSPHRASE")

// otherBackend returns the secrets backend not in use, where the manager
// looks for a secret missing from the one in use: the OS keychain when the
// vault is in use, else the vault, if its file exists. The vault is opened
// with ZCONN_PASSPHRASE only; zconn never asks for a passphrase just to
// look.
func (f *factory) otherBackend(ctx context.Context) (store.Secrets, error) {
	inUse, err := f.secrets.get(ctx)
	if err != nil {
		return nil, err
	}
	if _, vault := inUse.(*store.Vault); vault {
		return f.sys.Secrets(ctx)
	}
	st, err := f.store()
	if err != nil {
		return nil, err
	}
	v := f.newVault(st, func(context.Context, bool) (string, error) { return "", errVaultLocked })
	if !v.Exists() {
		return nil, nil
	}
	return v, nil
}

// verifying returns a manager for a command that requests tokens, after
// checking ZCONN_ZIDENTITY_URL and ZCONN_API_URL.
func (f *factory) verifying(timeout time.Duration) (*manager.Manager, error) {
	if _, _, err := f.overrideURLs(); err != nil {
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
	return f.urlSetting("ZCONN_ZIDENTITY_URL", zidentity.ParseBaseURL)
}

// apiURL returns ZCONN_API_URL, checked, or "" when it is not set: the
// base URL of the users check in place of the cloud's API (and of
// ZCONN_ZIDENTITY_URL, which it otherwise goes to).
func (f *factory) apiURL() (string, error) {
	return f.urlSetting("ZCONN_API_URL", zidentity.ParseAPIBaseURL)
}

// overrideURLs returns ZCONN_ZIDENTITY_URL and ZCONN_API_URL, both
// checked; "" for one that is not set.
func (f *factory) overrideURLs() (base, api string, err error) {
	if base, err = f.baseURL(); err != nil {
		return "", "", err
	}
	if api, err = f.apiURL(); err != nil {
		return "", "", err
	}
	return base, api, nil
}

// urlSetting returns the base URL in the variable name, checked by parse
// (a bad one is a usage error), or "" when the variable is not set.
func (f *factory) urlSetting(name string, parse func(string) (*url.URL, error)) (string, error) {
	raw := f.sys.Getenv(name)
	if raw == "" {
		return "", nil
	}
	u, err := parse(raw)
	if err != nil {
		return "", usage(err)
	}
	return u.String(), nil
}

// usersURL returns where the users check of connection c goes, as
// zidentity.Client.UsersURL builds it from ZCONN_API_URL,
// ZCONN_ZIDENTITY_URL and the cloud.
func (f *factory) usersURL(c store.Connection) (*url.URL, error) {
	base, api, err := f.overrideURLs()
	if err != nil {
		return nil, err
	}
	raw, err := (&zidentity.Client{BaseURL: base, APIBaseURL: api}).UsersURL(manager.Tenant(c))
	if err != nil {
		return nil, err
	}
	return url.Parse(raw)
}

// resolve returns the connection named name; without one (only commands
// whose NAME is optional pass none), the one ZCONN_CONNECTION names, else
// the default connection.
func (f *factory) resolve(name string) (store.Connection, error) {
	st, err := f.store()
	if err != nil {
		return store.Connection{}, err
	}
	if name, _, err = f.selectedName(name); err != nil {
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
	// The tools that get the secret would send it to the cloud's host.
	if err := m.CheckCloud(conn); err != nil {
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

// The bounds of ZCONN_KEYCHAIN_TIMEOUT: long enough to answer an unlock
// prompt, short enough that a keychain that never answers is given up on.
const (
	minKeychainTimeout = time.Millisecond
	maxKeychainTimeout = time.Hour
)

// durationSyntax matches what time.ParseDuration reads, so that a
// duration it refuses for its size is told apart from one that is not a
// duration at all. It is compiled on first use, which only a bad
// ZCONN_KEYCHAIN_TIMEOUT reaches, not when zconn starts.
var durationSyntax = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$`)
})

// keychainTimeout reads ZCONN_KEYCHAIN_TIMEOUT: a Go duration such as 45s,
// or a number of seconds, from 1ms to 1h. Empty means the store's default.
func keychainTimeout(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	bad := func(reason string) error {
		return usagef("ZCONN_KEYCHAIN_TIMEOUT=%q %s: set it to seconds or a duration such as 45s, or unset it", s, reason)
	}
	tooLarge := bad("is too large: at most " + shortDuration(maxKeychainTimeout))
	d, err := time.ParseDuration(s)
	switch {
	case err == nil && d <= 0:
		return 0, bad("is not positive")
	case err != nil:
		// strconv reads Inf, NaN and 1e300 too, which no duration holds;
		// beyond a float64 (1e400) it gives ±Inf with ErrRange, which
		// says as much.
		n, nerr := strconv.ParseFloat(s, 64)
		if errors.Is(nerr, strconv.ErrRange) {
			nerr = nil
		}
		switch {
		case nerr == nil && math.IsNaN(n):
			return 0, bad("is not a number")
		case nerr == nil && n <= 0:
			return 0, bad("is not positive")
		case nerr == nil && n > maxKeychainTimeout.Seconds():
			return 0, tooLarge
		case nerr == nil:
			d = time.Duration(n * float64(time.Second))
		case durationSyntax().MatchString(s) && strings.HasPrefix(s, "-"):
			return 0, bad("is not positive")
		case durationSyntax().MatchString(s):
			// A duration in the right form that overflows time.Duration.
			return 0, tooLarge
		default:
			return 0, bad("is not a duration")
		}
	}
	switch {
	case d < minKeychainTimeout:
		return 0, bad("is too short: at least " + shortDuration(minKeychainTimeout))
	case d > maxKeychainTimeout:
		return 0, tooLarge
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

// CheckUserManagement makes the users check with an access token.
func (v *lazyVerifier) CheckUserManagement(ctx context.Context, t zidentity.Tenant, accessToken string) (zidentity.UserManagement, error) {
	v.once.Do(func() { v.c, v.err = v.build() })
	if v.err != nil {
		return zidentity.UsersUnavailable, v.err
	}
	return v.c.CheckUserManagement(ctx, t, accessToken)
}
