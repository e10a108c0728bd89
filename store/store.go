package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// DefaultLockTimeout bounds the wait for another zconn process to finish
// writing the metadata file.
const DefaultLockTimeout = 10 * time.Second

// ErrNotFound means no connection has the name or ID asked for.
var ErrNotFound = errors.New("no such connection")

// ErrNoDefault means no connection is the default and more than one exists.
var ErrNoDefault = errors.New("no default connection")

// ErrNoConnections means no connection is saved at all. It wraps
// ErrNotFound.
var ErrNoConnections = fmt.Errorf("%w: no connections yet", ErrNotFound)

// Store keeps connections in a folder: connections.json for the metadata,
// Secrets for the secrets.
type Store struct {
	dir     string
	secrets Secrets
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// LockTimeout bounds the wait for the cross-process lock; zero means
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// NewID makes connection IDs; nil means random ones.
	NewID func() string
	// write replaces the metadata file; tests inject failures here.
	write func(path string, data []byte) error
}

// New returns a Store over dir and secrets. It touches nothing until used.
func New(dir string, secrets Secrets) *Store {
	return &Store{dir: dir, secrets: secrets, write: writeFileAtomic}
}

// DefaultDir returns the config folder: $ZCONN_CONFIG_DIR, else the user's
// config folder joined with zconn. getenv is os.Getenv in production.
func DefaultDir(getenv func(string) string) (string, error) {
	if d := getenv("ZCONN_CONFIG_DIR"); d != "" {
		return filepath.Abs(d)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config folder: %w: set ZCONN_CONFIG_DIR", err)
	}
	return filepath.Join(base, "zconn"), nil
}

// Dir returns the config folder.
func (s *Store) Dir() string { return s.dir }

// Path returns the metadata file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// Secrets returns the secrets backend.
func (s *Store) Secrets() Secrets { return s.secrets }

// SetSecrets replaces the secrets backend, as when the user picks the vault.
func (s *Store) SetSecrets(sec Secrets) { s.secrets = sec }

// now returns the time to record: UTC, to the second, as the file keeps it.
func (s *Store) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Second)
}

// List returns every connection in the order they were created. It reads
// the metadata file only; it never touches the secrets backend.
func (s *Store) List() ([]Connection, error) {
	doc, err := s.read()
	if err != nil {
		return nil, err
	}
	return doc.Connections, nil
}

// SecretsChoice returns the secrets backend remembered in the metadata
// file ("keychain", "file" or "").
func (s *Store) SecretsChoice() (string, error) {
	doc, err := s.read()
	if err != nil {
		return "", err
	}
	return doc.Secrets, nil
}

// SetSecretsChoice remembers the secrets backend.
func (s *Store) SetSecretsChoice(ctx context.Context, choice string) error {
	return s.modify(ctx, func(doc *document) error {
		doc.Secrets = choice
		return nil
	})
}

// Find returns the connection with that name, ignoring case. It matches
// names only: an ID is accepted only where FindID is used, so a name can
// never select another connection whose ID it happens to spell.
func (s *Store) Find(name string) (Connection, error) {
	conns, err := s.List()
	if err != nil {
		return Connection{}, err
	}
	if i := indexByName(conns, name); i >= 0 {
		return conns[i], nil
	}
	return Connection{}, notFound(name)
}

// FindID returns the connection with that ID.
func (s *Store) FindID(id string) (Connection, error) {
	conns, err := s.List()
	if err != nil {
		return Connection{}, err
	}
	if i := indexByID(conns, id); i >= 0 {
		return conns[i], nil
	}
	return Connection{}, idNotFound(id)
}

func notFound(name string) error {
	return fmt.Errorf("%w named %s", ErrNotFound, Quote(name))
}

func idNotFound(id string) error {
	return fmt.Errorf("%w with the ID %s", ErrNotFound, Quote(id))
}

// indexByName finds a connection by name, ignoring case.
func indexByName(conns []Connection, name string) int {
	return slices.IndexFunc(conns, func(c Connection) bool { return SameName(c.Name, name) })
}

// indexByID finds a connection by ID.
func indexByID(conns []Connection, id string) int {
	return slices.IndexFunc(conns, func(c Connection) bool { return c.ID == id })
}

// Default returns the default connection as DefaultIndex chooses it: an
// error wrapping ErrNoConnections when there is none at all, ErrNoDefault
// when none is marked among several.
func (s *Store) Default() (Connection, error) {
	conns, err := s.List()
	if err != nil {
		return Connection{}, err
	}
	if i := DefaultIndex(conns); i >= 0 {
		return conns[i], nil
	}
	if len(conns) == 0 {
		return Connection{}, ErrNoConnections
	}
	return Connection{}, ErrNoDefault
}

// DefaultIndex returns the index of the default connection among conns:
// the one marked as the default, else the only one, else -1. It is the one
// rule for which connection is used when none is named.
func DefaultIndex(conns []Connection) int {
	if i := slices.IndexFunc(conns, func(c Connection) bool { return c.Default }); i >= 0 {
		return i
	}
	if len(conns) == 1 {
		return 0
	}
	return -1
}

// NameTakenError means another connection already has the name.
type NameTakenError struct{ Name string }

// Error names the fix.
func (e *NameTakenError) Error() string {
	return fmt.Sprintf("a connection named %s already exists: choose another name, or edit that one", Quote(e.Name))
}

// NameIsIDError means the name is another connection's ID, ignoring
// case: a name that reads as an ID is too easily taken for the other one.
type NameIsIDError struct {
	Name string
	// Of is the name of the connection whose ID it is.
	Of string
}

// Error names the fix.
func (e *NameIsIDError) Error() string {
	return fmt.Sprintf("the name %s is the ID of the connection %s: choose another name", Quote(e.Name), Quote(e.Of))
}

// CheckName returns a *NameTakenError if a connection other than exceptID
// already has the name, or a *NameIsIDError if the name is the ID of a
// connection other than exceptID, both ignoring case.
func CheckName(conns []Connection, name, exceptID string) error {
	for _, c := range conns {
		if c.ID != exceptID && SameName(c.Name, name) {
			return &NameTakenError{Name: c.Name}
		}
	}
	for _, c := range conns {
		if c.ID != exceptID && c.ID != "" && strings.EqualFold(c.ID, strings.TrimSpace(name)) {
			return &NameIsIDError{Name: strings.TrimSpace(name), Of: c.Name}
		}
	}
	return nil
}

// Create saves a new connection: the secret first, then the metadata. If
// the metadata cannot be written, the secret is removed again. The first
// connection becomes the default.
func (s *Store) Create(ctx context.Context, c Connection, secret string) (Connection, error) {
	if err := c.Validate(); err != nil {
		return Connection{}, err
	}
	if secret == "" {
		return Connection{}, errors.New("enter the client secret: copy it from Integration > API Clients")
	}
	if err := ValidateSecret(secret); err != nil {
		return Connection{}, err
	}
	conns, err := s.List()
	if err != nil {
		return Connection{}, err
	}
	if err := CheckName(conns, c.Name, ""); err != nil {
		return Connection{}, err
	}
	c.RecordVerification(c.Verification)
	now := s.now()
	c.ID = newID()
	if s.NewID != nil {
		c.ID = s.NewID()
	}
	c.CreatedAt, c.UpdatedAt = now, now
	c.Default = false
	// Before the secret is saved under the ID, which would replace the
	// secret of a connection that had it.
	if err := idInUse(conns, c.ID); err != nil {
		return Connection{}, err
	}
	if err := s.secrets.Set(ctx, c.ID, secret); err != nil {
		return Connection{}, fmt.Errorf("saving the secret: %w", err)
	}
	err = s.modify(ctx, func(doc *document) error {
		if err := CheckName(doc.Connections, c.Name, ""); err != nil {
			return err
		}
		if err := idInUse(doc.Connections, c.ID); err != nil {
			return err
		}
		c.Default = len(doc.Connections) == 0
		doc.Connections = append(doc.Connections, c)
		return nil
	})
	if err != nil {
		// Undo the first step; a fresh context, as ctx may be what ended.
		undo, cancel := context.WithTimeout(context.WithoutCancel(ctx), DefaultKeychainTimeout)
		defer cancel()
		if derr := s.secrets.Delete(undo, c.ID); derr != nil && !errors.Is(derr, ErrSecretNotFound) {
			//nolint:errorlint // The failed undo is told, not wrapped: callers act on the save's error.
			return Connection{}, fmt.Errorf("%w (and the secret saved a moment before could not be removed: %v)", err, derr)
		}
		return Connection{}, err
	}
	return c, nil
}

// idInUse refuses a new connection's ID that is already another's ID or
// name.
func idInUse(conns []Connection, id string) error {
	if slices.ContainsFunc(conns, func(o Connection) bool { return o.ID == id || SameName(o.Name, id) }) {
		return fmt.Errorf("the new connection's ID %s is already in use: try again", id)
	}
	return nil
}

// Update changes a connection's metadata with f under the lock and saves
// it. f sees the current connection; an error from f changes nothing.
func (s *Store) Update(ctx context.Context, id string, f func(*Connection) error) (Connection, error) {
	return s.modifyOne(ctx, id, func(conns []Connection, i int) error {
		c := conns[i]
		c.Verification = cloneVerification(c.Verification)
		if err := f(&c); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := CheckName(conns, c.Name, c.ID); err != nil {
			return err
		}
		c.ID, c.CreatedAt = conns[i].ID, conns[i].CreatedAt
		c.UpdatedAt = s.now()
		conns[i] = c
		return nil
	})
}

// modifyOne changes, with f under the lock, the connections of which the
// one with the ID is at index i, then saves them (unless f failed) and
// returns that connection as f left it.
func (s *Store) modifyOne(ctx context.Context, id string, f func(conns []Connection, i int) error) (Connection, error) {
	var out Connection
	err := s.modify(ctx, func(doc *document) error {
		i := indexByID(doc.Connections, id)
		if i < 0 {
			return idNotFound(id)
		}
		if err := f(doc.Connections, i); err != nil {
			return err
		}
		out = doc.Connections[i]
		return nil
	})
	return out, err
}

func cloneVerification(v *Verification) *Verification {
	if v == nil {
		return nil
	}
	c := *v
	c.Products = slices.Clone(v.Products)
	c.Roles = slices.Clone(v.Roles)
	return &c
}

// Record stores the outcome of a verification without touching
// UpdatedAt, which tracks what the admin changed. As RecordVerification
// says, a token issued without the audience also records that the tenant
// refuses it.
func (s *Store) Record(ctx context.Context, id string, v Verification) (Connection, error) {
	return s.modifyOne(ctx, id, func(conns []Connection, i int) error {
		conns[i].RecordVerification(&v)
		return nil
	})
}

// RecordOmitAudience records that the connection's tenant refuses the
// audience parameter (Connection.OmitAudience), as a token request found
// that recorded no verification; like Record, it leaves UpdatedAt alone.
func (s *Store) RecordOmitAudience(ctx context.Context, id string) (Connection, error) {
	return s.modifyOne(ctx, id, func(conns []Connection, i int) error {
		conns[i].OmitAudience = true
		return nil
	})
}

// SetDefault makes the connection the default and no other.
func (s *Store) SetDefault(ctx context.Context, id string) (Connection, error) {
	return s.modifyOne(ctx, id, func(conns []Connection, i int) error {
		for j := range conns {
			conns[j].Default = j == i
		}
		return nil
	})
}

// Secret returns the connection's secret from the backend.
func (s *Store) Secret(ctx context.Context, id string) (string, error) {
	return s.secrets.Get(ctx, id)
}

// ReplaceSecret stores a new secret for an existing connection.
func (s *Store) ReplaceSecret(ctx context.Context, id, secret string) error {
	if secret == "" {
		return errors.New("enter the new client secret")
	}
	if err := ValidateSecret(secret); err != nil {
		return err
	}
	return s.secrets.Set(ctx, id, secret)
}

// DeleteError says which part of a delete failed.
type DeleteError struct {
	// SecretRemoved is true when the secret is gone and only the metadata
	// remains.
	SecretRemoved bool
	Err           error
}

// Error names what is left and the fix.
func (e *DeleteError) Error() string {
	if e.SecretRemoved {
		return fmt.Sprintf("the secret was removed but the connection is still listed (%v): run the delete again", e.Err)
	}
	return fmt.Sprintf("nothing was deleted: %v", e.Err)
}

// Unwrap returns the cause.
func (e *DeleteError) Unwrap() error { return e.Err }

// Delete removes the secret, then the metadata. A secret already missing
// does not stop it. If removing the secret fails, nothing changes.
func (s *Store) Delete(ctx context.Context, id string) error {
	c, err := s.FindID(id)
	if err != nil {
		return err
	}
	if err := s.secrets.Delete(ctx, c.ID); err != nil && !errors.Is(err, ErrSecretNotFound) {
		return &DeleteError{Err: err}
	}
	err = s.modify(ctx, func(doc *document) error {
		doc.Connections = slices.DeleteFunc(doc.Connections, func(o Connection) bool { return o.ID == c.ID })
		return nil
	})
	if err != nil {
		return &DeleteError{SecretRemoved: true, Err: err}
	}
	return nil
}

// CheckFolder returns an error if the config folder is one zconn refuses
// to read or write in: a *UnsafeFolderError for a folder that other users
// can write to or that another user owns. A folder that does not exist
// yet is fine. It changes nothing.
func (s *Store) CheckFolder() error { return checkFolder(s.dir) }

// Notices returns what a person should know about the config folder:
// zconn's files, or the folder, open to other users: the files the next
// save restricts, the folder to restrict by hand. It reads only, and
// changes nothing.
func (s *Store) Notices() ([]string, error) {
	if err := checkFolder(s.dir); err != nil {
		// Every read and write refuses such a folder, and says why.
		return nil, nil
	}
	return openToOthers(s.dir, []string{s.Path(), filepath.Join(s.dir, VaultFileName)}), nil
}

// modify runs a read-modify-write of the metadata file under the
// cross-process lock. A file that does not parse, or is newer than this
// build, is left untouched.
func (s *Store) modify(ctx context.Context, f func(*document) error) error {
	unlock, err := s.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	doc, err := s.read()
	if err != nil {
		return err
	}
	if err := f(doc); err != nil {
		return err
	}
	doc.Version = SchemaVersion
	if doc.Connections == nil {
		doc.Connections = []Connection{}
	}
	data, err := encodeDocument(doc)
	if err != nil {
		return fmt.Errorf("encoding the connections: %w", err)
	}
	if err := s.write(s.Path(), data); err != nil {
		return fmt.Errorf("saving %s: %w: check free space and the folder's permissions", s.Path(), err)
	}
	return nil
}

// read returns the metadata file's document; a missing file is an empty
// one. The file is read and decoded every time, as another process may
// have changed it.
func (s *Store) read() (*document, error) {
	if err := checkFolder(s.dir); err != nil {
		return nil, err
	}
	path := s.Path()
	data, err := readRegular(path, MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return &document{Version: SchemaVersion}, nil
	}
	var notRegular *NotRegularFileError
	var tooLarge *FileTooLargeError
	if errors.As(err, &notRegular) || errors.As(err, &tooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w: check the permissions of the file and its folder", path, err)
	}
	return decodeDocument(path, data)
}

// Lock takes the cross-process lock of the config folder, creating the
// folder (0700) when needed. Other parts of zconn that write files in the
// folder, such as the vault, hold it while they do, from creating a
// temporary file to renaming it.
//
// Once it holds the lock, it removes the temporary files that writers
// killed mid-save left behind, and restricts zconn's own files to this
// user: only writers change anything, never a folder, and never through a
// link.
func (s *Store) Lock(ctx context.Context) (unlock func(), err error) { return s.lock(ctx) }

func (s *Store) lock(ctx context.Context) (func(), error) {
	if err := checkFolder(s.dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating %s: %w: check the permissions of its parent, or set ZCONN_CONFIG_DIR", s.dir, err)
	}
	// Again: another user may have made the folder in a shared parent
	// between the check and MkdirAll, which then finds it made.
	if err := checkFolder(s.dir); err != nil {
		return nil, err
	}
	timeout := s.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	l := flock.New(filepath.Join(s.dir, lockFileName), flock.SetFlag(lockFlags), flock.SetPermissions(0o600))
	ok, err := l.TryLockContext(ctx, 5*time.Millisecond)
	if !ok || err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, fmt.Errorf("waiting for another zconn writing %s: %w", s.dir, err)
		}
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("another zconn is writing %s and did not finish within %s: wait for it, or close other zconn windows", s.dir, timeout)
		}
		return nil, fmt.Errorf("locking %s: %w: check that the folder is writable, or set ZCONN_CONFIG_DIR", s.dir, err)
	}
	removeStaleTemps(s.dir)
	// Best effort: what cannot be restricted, Notices reports.
	for _, name := range []string{FileName, VaultFileName} {
		_ = restrict(filepath.Join(s.dir, name), 0o600)
	}
	return func() { _ = l.Unlock() }, nil
}

// newID returns a random, URL-safe connection ID.
func newID() string { return strings.ToLower(rand.Text()) }
