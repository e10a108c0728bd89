package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
)

// fixedPassphrase answers every prompt with p and counts the prompts.
type fixedPassphrase struct {
	mu      sync.Mutex
	p       string
	asked   int
	created int
}

func (f *fixedPassphrase) get(_ context.Context, create bool) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked++
	if create {
		f.created++
	}
	return f.p, nil
}

func newVault(t testing.TB, dir, pass string) (*store.Vault, *fixedPassphrase) {
	t.Helper()
	fp := &fixedPassphrase{p: pass}
	v := store.NewVault(store.New(dir, nil), fp.get)
	v.WorkFactor = 10
	return v, fp
}

func TestVaultRoundTrip(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	v, fp := newVault(t, dir, "correct horse")
	if _, err := v.Get(ctx, "a"); !errors.Is(err, store.ErrSecretNotFound) || fp.asked != 0 {
		t.Fatalf("Get on no vault = %v after %d prompts; want not found, no prompt", err, fp.asked)
	}
	if err := v.Set(ctx, "a", canary); err != nil {
		t.Fatal(err)
	}
	if fp.created != 1 {
		t.Errorf("a new vault asked %d times to create a passphrase; want 1", fp.created)
	}
	if err := v.Set(ctx, "b", "second"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(v.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("vault mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	raw, _ := os.ReadFile(v.Path())
	if bytes.Contains(raw, []byte(canary)) || bytes.Contains(raw, []byte("second")) {
		t.Fatal("a secret is readable in the vault's bytes")
	}
	if !bytes.HasPrefix(raw, []byte("age-encryption.org/v1")) {
		t.Errorf("the vault is not an age file: %q", raw[:min(len(raw), 30)])
	}
	// A fresh process with the passphrase reads both.
	other, ofp := newVault(t, dir, "correct horse")
	for id, want := range map[string]string{"a": canary, "b": "second"} {
		if got, err := other.Get(ctx, id); err != nil || got != want {
			t.Errorf("Get(%s) = %q, %v; want %q", id, got, err, want)
		}
	}
	if ofp.asked != 1 {
		t.Errorf("reading twice asked for the passphrase %d times; want once", ofp.asked)
	}
	if err := other.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Get(ctx, "a"); !errors.Is(err, store.ErrSecretNotFound) {
		t.Errorf("Get after another process deleted it = %v; want not found", err)
	}
}

// TestVaultOpenBeforeItExists: Open on a vault not yet created asks for
// the passphrase that will create it, once, and writes nothing; a
// passphrase it cannot have is its error, before any secret is written.
func TestVaultOpenBeforeItExists(t *testing.T) {
	ctx := context.Background()
	v, fp := newVault(t, t.TempDir(), "correct horse")
	if err := v.Open(ctx); err != nil || fp.asked != 1 || fp.created != 1 {
		t.Fatalf("Open = %v after %d prompts (%d to create); want nil after one prompt to create", err, fp.asked, fp.created)
	}
	if v.Exists() {
		t.Error("Open created the vault; want nothing written")
	}
	if err := v.Set(ctx, "a", canary); err != nil || fp.asked != 1 {
		t.Errorf("Set = %v after %d prompts; want nil and no prompt after Open's", err, fp.asked)
	}

	none := store.NewVault(store.New(t.TempDir(), nil), func(context.Context, bool) (string, error) {
		return "", errors.New("no passphrase here")
	})
	if err := none.Open(ctx); err == nil || err.Error() != "no passphrase here" {
		t.Errorf("Open without a passphrase = %v; want the passphrase's error", err)
	}
}

func TestVaultWrongPassphraseChangesNothing(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	v, _ := newVault(t, dir, "right")
	v.Set(ctx, "a", canary)
	before, _ := os.ReadFile(v.Path())
	wrong, _ := newVault(t, dir, "wrong")
	_, err := wrong.Get(ctx, "a")
	if !errors.Is(err, store.ErrWrongPassphrase) || !strings.Contains(err.Error(), "ZCONN_PASSPHRASE") || strings.Contains(err.Error(), canary) {
		t.Fatalf("Get with a wrong passphrase = %v; want ErrWrongPassphrase naming the fix", err)
	}
	if err := wrong.Set(ctx, "b", "x"); !errors.Is(err, store.ErrWrongPassphrase) {
		t.Fatalf("Set with a wrong passphrase = %v; want ErrWrongPassphrase", err)
	}
	if after, _ := os.ReadFile(v.Path()); !bytes.Equal(before, after) {
		t.Error("a wrong passphrase changed the vault")
	}
}

func TestVaultCorruptIsNeverOverwritten(t *testing.T) {
	ctx := context.Background()
	for name, content := range map[string][]byte{
		"not age":   []byte("hello, not a vault"),
		"truncated": nil, // filled below with a cut age file
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			v, _ := newVault(t, dir, "pw")
			if content == nil {
				v.Set(ctx, "a", "x")
				full, _ := os.ReadFile(v.Path())
				content = full[:len(full)-10]
				v, _ = newVault(t, dir, "pw")
			}
			os.MkdirAll(dir, 0o700)
			os.WriteFile(v.Path(), content, 0o600)
			var corrupt *store.VaultCorruptError
			if _, err := v.Get(ctx, "a"); !errors.As(err, &corrupt) || !strings.Contains(err.Error(), "left as it is") {
				t.Errorf("Get = %v; want VaultCorruptError", err)
			}
			if err := v.Set(ctx, "b", canary); !errors.As(err, &corrupt) {
				t.Errorf("Set = %v; want VaultCorruptError", err)
			}
			if after, _ := os.ReadFile(v.Path()); !bytes.Equal(after, content) {
				t.Error("the corrupt vault was overwritten")
			}
		})
	}
}

// TestVaultParallelWriters runs eight processes that each save a secret
// into one vault at once, as parallel CI jobs running zconn add do; every
// one must succeed and every secret must be there afterwards. The scrypt
// work factor is lowered for speed, and the lock timeout by the same
// factor, so that a writer holding the lock across its scrypt work would
// make the others give up just as it does at the defaults.
func TestVaultParallelWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	const procs, each, work = 8, 1, 14
	lockTimeout := store.DefaultLockTimeout >> (store.DefaultVaultWorkFactor - work)
	var wg sync.WaitGroup
	for p := 0; p < procs; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperVaultWriter$")
			cmd.Env = append(os.Environ(), "ZCONN_TEST_VAULT_DIR="+dir, "ZCONN_TEST_VAULT_PREFIX=p"+strconv.Itoa(p),
				"ZCONN_TEST_VAULT_COUNT="+strconv.Itoa(each), "ZCONN_TEST_VAULT_WORK="+strconv.Itoa(work),
				"ZCONN_TEST_VAULT_LOCK_TIMEOUT="+lockTimeout.String())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("process %d: %v\n%s", p, err, out)
			}
		}(p)
	}
	wg.Wait()
	v, _ := newVault(t, dir, "shared")
	for p := 0; p < procs; p++ {
		for i := 0; i < each; i++ {
			id := fmt.Sprintf("p%d-%d", p, i)
			if got, err := v.Get(context.Background(), id); err != nil || got != "s-"+id {
				t.Errorf("secret %s = %q, %v; want it kept", id, got, err)
			}
		}
	}
}

// TestHelperVaultWriter is the body of each process of
// TestVaultParallelWriters.
func TestHelperVaultWriter(t *testing.T) {
	dir := os.Getenv("ZCONN_TEST_VAULT_DIR")
	if dir == "" {
		t.Skip("runs only as a child of TestVaultParallelWriters")
	}
	n, _ := strconv.Atoi(os.Getenv("ZCONN_TEST_VAULT_COUNT"))
	work, _ := strconv.Atoi(os.Getenv("ZCONN_TEST_VAULT_WORK"))
	timeout, err := time.ParseDuration(os.Getenv("ZCONN_TEST_VAULT_LOCK_TIMEOUT"))
	if err != nil {
		t.Fatal(err)
	}
	s := store.New(dir, nil)
	s.LockTimeout = timeout
	v := store.NewVault(s, func(context.Context, bool) (string, error) { return "shared", nil })
	v.WorkFactor = work
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%s-%d", os.Getenv("ZCONN_TEST_VAULT_PREFIX"), i)
		if err := v.Set(context.Background(), id, "s-"+id); err != nil {
			t.Fatalf("Set %s: %v", id, err)
		}
	}
}

func benchVault(b *testing.B, workFactor int) {
	dir := b.TempDir()
	ctx := context.Background()
	v, _ := newVault(b, dir, "pw")
	v.WorkFactor = 2
	for i := 0; i < 100; i++ {
		if err := v.Set(ctx, fmt.Sprintf("conn-%03d", i), strings.Repeat("s", 40)); err != nil {
			b.Fatal(err)
		}
	}
	// The last write encrypts all 100 at the work factor measured.
	v.WorkFactor = workFactor
	if err := v.Set(ctx, "conn-000", "again"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		fresh, _ := newVault(b, dir, "pw")
		if _, err := fresh.Get(ctx, "conn-050"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVaultUnlock100 opens a vault of 100 secrets as a new process
// does, at the default scrypt work factor: scrypt dominates by design.
func BenchmarkVaultUnlock100(b *testing.B) { benchVault(b, store.DefaultVaultWorkFactor) }

// BenchmarkVaultUnlock100Scrypt2 is the same with a trivial scrypt work
// factor: everything but scrypt (target: under 5 ms).
func BenchmarkVaultUnlock100Scrypt2(b *testing.B) { benchVault(b, 2) }

// TestVaultBackendNamesItsFile: the vault names its file for people, with
// ~ for the home folder when it is under Home.
func TestVaultBackendNamesItsFile(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, ".config", "zconn")
	tests := []struct {
		name, home, want string
	}{
		{"under the home folder", home, "encrypted vault " + filepath.FromSlash("~/.config/zconn/vault.age")},
		{"no home folder given", "", "encrypted vault " + filepath.Join(dir, store.VaultFileName)},
		{"outside the home folder", filepath.Join(home, "other"), "encrypted vault " + filepath.Join(dir, store.VaultFileName)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := newVault(t, dir, "pw")
			v.Home = tt.home
			if got := v.Backend(); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
