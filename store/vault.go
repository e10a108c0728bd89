package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/zconn/zconn/internal/humanpath"
)

// VaultFileName is the encrypted vault's name in the config folder.
const VaultFileName = "vault.age"

// DefaultVaultWorkFactor is the scrypt work factor (2^18) of new vaults,
// age's own default: about a second of work to try one passphrase.
const DefaultVaultWorkFactor = 18

// Passphrase returns the vault's passphrase. create is true when no vault
// exists yet and the passphrase will make one, so a prompt should ask
// twice.
type Passphrase func(ctx context.Context, create bool) (string, error)

// ErrWrongPassphrase means the passphrase does not open the vault.
var ErrWrongPassphrase = errors.New("wrong passphrase")

// VaultCorruptError means the vault decrypted (or failed to) in a way
// that is not a wrong passphrase; zconn never overwrites such a file.
type VaultCorruptError struct {
	// Path names the vault's file as people read it (Vault.Backend).
	Path string
	Err  error
}

// Error names the file and the fix.
func (e *VaultCorruptError) Error() string {
	return fmt.Sprintf("cannot read the vault %s (%v): it is left as it is; restore it from a backup, or move it aside to start an empty one", e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *VaultCorruptError) Unwrap() error { return e.Err }

// vaultContent is what the vault holds once decrypted.
type vaultContent struct {
	Version int               `json:"version"`
	Secrets map[string]string `json:"secrets"`
}

// maxVaultAttempts bounds how many times a save starts again because
// another zconn changed the vault meanwhile. Each attempt that loses the
// race means another one won, so eight writers at once need at most eight.
const maxVaultAttempts = 32

// Vault keeps secrets in one file, encrypted with age under a passphrase
// (scrypt), for systems without an OS keychain. Writes are atomic. The
// store's lock is held only to check that the file did not change since
// it was read and to replace it: the scrypt work, about a second each way,
// happens outside it, so that parallel writers do not queue behind it.
type Vault struct {
	path       string
	lock       func(context.Context) (func(), error)
	checkDir   func() error
	passphrase Passphrase
	// WorkFactor is the scrypt work factor of what the vault writes; zero
	// means DefaultVaultWorkFactor.
	WorkFactor int
	// Home is the home folder, for Backend to name a vault under it with ~
	// (humanpath.Tilde); empty names its full path.
	Home string

	mu   sync.Mutex
	pass string
	// sum and content are the last ciphertext read or written and what
	// it holds, so an unchanged file is not decrypted again.
	sum     [32]byte
	content *vaultContent
}

// NewVault returns the vault in the store's folder. Nothing is read until
// a secret is asked for.
func NewVault(s *Store, passphrase Passphrase) *Vault {
	return &Vault{
		path: filepath.Join(s.Dir(), VaultFileName), lock: s.Lock, passphrase: passphrase,
		checkDir: func() error { return checkFolder(s.Dir()) },
	}
}

// Path returns the vault file's path.
func (v *Vault) Path() string { return v.path }

// Backend names the vault and its file, for people to read: a file under
// Home as ~/...
func (v *Vault) Backend() string { return "encrypted vault " + v.shown() }

// shown names the vault's file for people: under Home as ~/...
func (v *Vault) shown() string { return humanpath.Tilde(v.path, v.Home) }

// Exists reports whether the vault file exists.
func (v *Vault) Exists() bool {
	_, err := os.Lstat(v.path)
	return err == nil
}

// Open gets the passphrase now, so that a command asks for it once, before
// any work, and stops there when it cannot have it. A vault that exists is
// read and decrypted, asking for the passphrase if needed: it tells whether
// the passphrase is right without changing anything. For a vault not yet
// created, the passphrase that will create it is asked for (twice, at a
// prompt) unless it is already set; nothing is written.
func (v *Vault) Open(ctx context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.Exists() {
		if v.pass != "" {
			return nil
		}
		return v.ask(ctx, true)
	}
	_, err := v.load(ctx)
	return err
}

// SetPassphrase sets the passphrase instead of asking for it, as when a
// person typed it into the TUI.
func (v *Vault) SetPassphrase(p string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.pass, v.content = p, nil
}

// Get returns a secret.
func (v *Vault) Get(ctx context.Context, id string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	c, err := v.load(ctx)
	if err != nil {
		return "", err
	}
	s, ok := c.Secrets[id]
	if !ok {
		return "", &SecretError{Op: "reading", Kind: KindNotFound, Err: ErrSecretNotFound,
			Message: "the encrypted vault holds no secret for this connection"}
	}
	return s, nil
}

// Set stores or replaces a secret. The vault gives back exactly the bytes
// it was given; text that is not valid UTF-8, which its JSON would change,
// is refused rather than changed.
func (v *Vault) Set(ctx context.Context, id, secret string) error {
	if !utf8.ValidString(secret) {
		return &SecretError{Op: "saving", Message: "the secret is not valid UTF-8 text, which the encrypted vault cannot keep exactly: enter the client secret again"}
	}
	return v.change(ctx, func(c *vaultContent) error {
		c.Secrets[id] = secret
		return nil
	})
}

// Delete removes a secret.
func (v *Vault) Delete(ctx context.Context, id string) error {
	return v.change(ctx, func(c *vaultContent) error {
		if _, ok := c.Secrets[id]; !ok {
			return &SecretError{Op: "deleting", Kind: KindNotFound, Err: ErrSecretNotFound, Message: "the encrypted vault holds no secret for this connection"}
		}
		delete(c.Secrets, id)
		return nil
	})
}

// vaultFile is the vault file as read: its bytes, or that it is missing.
type vaultFile struct {
	exists bool
	data   []byte
}

// same reports whether two reads found the same file.
func (f vaultFile) same(g vaultFile) bool { return f.exists == g.exists && bytes.Equal(f.data, g.data) }

// change runs a read-modify-write of the vault. It reads, decrypts,
// changes and encrypts without the store's lock, then takes the lock only
// to check that the file is still the one it read and to replace it; when
// another zconn changed it meanwhile, it starts again from the new file.
func (v *Vault) change(ctx context.Context, f func(*vaultContent) error) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	// Ask for the passphrase first: a prompt can take a person a while.
	if v.pass == "" {
		if err := v.ask(ctx, !v.Exists()); err != nil {
			return err
		}
	}
	for attempt := 1; ; attempt++ {
		read, err := v.readFile()
		if err != nil {
			return err
		}
		c, err := v.decrypt(ctx, read)
		if err != nil {
			return err
		}
		next := &vaultContent{Version: 1, Secrets: maps.Clone(c.Secrets)}
		if next.Secrets == nil {
			next.Secrets = map[string]string{}
		}
		if err := f(next); err != nil {
			return err
		}
		plain, err := json.Marshal(next)
		if err != nil {
			return fmt.Errorf("encoding the vault: %w", err)
		}
		data, err := v.encrypt(plain)
		if err != nil {
			return fmt.Errorf("encrypting the vault (nothing was changed): %w: choose a passphrase that is not empty", err)
		}
		saved, err := v.replace(ctx, read, data)
		if err != nil {
			return err
		}
		if saved {
			v.sum, v.content = sha256.Sum256(data), next
			return nil
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("saving the vault (nothing was changed): %w", err)
		}
		if attempt == maxVaultAttempts {
			return fmt.Errorf("saving the vault: other zconn processes changed it %d times while this one saved, and nothing was changed: try again", attempt)
		}
	}
}

// replace writes data over the vault under the store's lock if the file
// is still as read; it reports false, changing nothing, if it is not.
func (v *Vault) replace(ctx context.Context, read vaultFile, data []byte) (bool, error) {
	unlock, err := v.lock(ctx)
	if err != nil {
		return false, err
	}
	defer unlock()
	now, err := v.readFile()
	if err != nil {
		return false, err
	}
	if !now.same(read) {
		return false, nil
	}
	if err := writeFileAtomic(v.path, data); err != nil {
		return false, fmt.Errorf("saving the vault: %w: check free space and the folder's permissions", err)
	}
	return true, nil
}

// encrypt seals plain under the passphrase with age's scrypt recipient.
func (v *Vault) encrypt(plain []byte) ([]byte, error) {
	r, err := age.NewScryptRecipient(v.pass)
	if err != nil {
		return nil, err
	}
	r.SetWorkFactor(v.workFactor())
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (v *Vault) workFactor() int {
	if v.WorkFactor > 0 {
		return v.WorkFactor
	}
	return DefaultVaultWorkFactor
}

// readFile reads the vault file: a regular file of at most MaxFileSize
// bytes, never through a link, in a folder that only this user can write.
func (v *Vault) readFile() (vaultFile, error) {
	if v.checkDir != nil {
		if err := v.checkDir(); err != nil {
			return vaultFile{}, err
		}
	}
	data, err := readRegular(v.path, MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return vaultFile{}, nil
	}
	var notRegular *NotRegularFileError
	var tooLarge *FileTooLargeError
	if errors.As(err, &notRegular) || errors.As(err, &tooLarge) {
		return vaultFile{}, err
	}
	if err != nil {
		return vaultFile{}, fmt.Errorf("reading the vault %s: %w: check its permissions", v.shown(), err)
	}
	return vaultFile{exists: true, data: data}, nil
}

// load reads the vault file and returns what it holds.
func (v *Vault) load(ctx context.Context) (*vaultContent, error) {
	f, err := v.readFile()
	if err != nil {
		return nil, err
	}
	return v.decrypt(ctx, f)
}

// decrypt returns what a vault file holds, decrypting it only when it
// changed since it was last read. A missing file is an empty vault.
func (v *Vault) decrypt(ctx context.Context, f vaultFile) (*vaultContent, error) {
	if !f.exists {
		return &vaultContent{Version: 1, Secrets: map[string]string{}}, nil
	}
	sum := sha256.Sum256(f.data)
	if v.content != nil && sum == v.sum {
		return v.content, nil
	}
	if v.pass == "" {
		if err := v.ask(ctx, false); err != nil {
			return nil, err
		}
	}
	id, err := age.NewScryptIdentity(v.pass)
	if err != nil {
		return nil, err
	}
	id.SetMaxWorkFactor(22)
	r, err := age.Decrypt(bytes.NewReader(f.data), id)
	if err != nil {
		if errors.Is(err, age.ErrIncorrectIdentity) {
			v.pass = ""
			return nil, &SecretError{Op: "opening", Kind: KindWrongPassphrase, Err: ErrWrongPassphrase,
				Message: "the passphrase does not open the vault " + v.shown() + ": type it again, or fix ZCONN_PASSPHRASE; nothing was changed"}
		}
		return nil, &VaultCorruptError{Path: v.shown(), Err: err}
	}
	plain, err := io.ReadAll(io.LimitReader(r, MaxFileSize))
	if err != nil {
		return nil, &VaultCorruptError{Path: v.shown(), Err: err}
	}
	var c vaultContent
	if err := json.Unmarshal(plain, &c); err != nil || c.Secrets == nil {
		if err == nil {
			err = errors.New("no secrets in it")
		}
		return nil, &VaultCorruptError{Path: v.shown(), Err: err}
	}
	if c.Version > 1 {
		return nil, &VaultCorruptError{Path: v.shown(), Err: fmt.Errorf("written by a newer zconn (version %d): upgrade zconn", c.Version)}
	}
	v.sum, v.content = sum, &c
	return &c, nil
}

func (v *Vault) ask(ctx context.Context, create bool) error {
	if v.passphrase == nil {
		return errors.New("the encrypted vault needs a passphrase: set ZCONN_PASSPHRASE, or run zconn in a terminal")
	}
	p, err := v.passphrase(ctx, create)
	if err != nil {
		return err
	}
	if p == "" {
		return errors.New("the vault's passphrase is empty: type one, or set ZCONN_PASSPHRASE")
	}
	v.pass = p
	return nil
}
