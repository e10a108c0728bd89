//go:build !windows

package store_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
)

// modeOf returns a path's mode, not following a link.
func modeOf(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode()
}

// within runs f and fails the test if it has not returned by the
// deadline: what it guards must never wait on a pipe.
func within(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return: it waits on the file", what)
		return nil
	}
}

// TestUnsafeFolderIsRefusedAndLeftAlone points the store at folders that
// other users can write to, or that another user owns: every read and
// write refuses them, naming the fix, and nothing in them changes.
func TestUnsafeFolderIsRefusedAndLeftAlone(t *testing.T) {
	tests := []struct {
		name    string
		mode    fs.FileMode
		owner   int // -1: this user
		mention []string
	}{
		{"shared like /tmp", 0o777 | fs.ModeSticky, -1, []string{"shared folder (mode 1777)", "ZCONN_CONFIG_DIR"}},
		{"sticky only", 0o755 | fs.ModeSticky, -1, []string{"has the sticky bit (mode 1755)", "chmod 700"}},
		{"sticky, group-writable", 0o775 | fs.ModeSticky, -1, []string{"shared folder (mode 1775) where other users can create files"}},
		{"world-writable", 0o777, -1, []string{"writable by every user (mode 0777)", "chmod 700"}},
		{"another user's", 0o755, 65534, []string{"belongs to another user (uid 65534)", "ZCONN_CONFIG_DIR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "shared")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if tt.owner >= 0 {
				if err := os.Chown(dir, tt.owner, tt.owner); err != nil {
					t.Skipf("cannot give a folder to another user here: %v", err)
				}
			}
			if err := os.Chmod(dir, tt.mode); err != nil {
				t.Fatal(err)
			}
			before := modeOf(t, dir)
			mem := storetest.NewMemory()
			s := store.New(dir, mem)
			ctx := context.Background()

			notes, nerr := s.Notices()
			_, lerr := s.List()
			_, cerr := s.Create(ctx, conn("prod"), canary)
			v := store.NewVault(s, func(context.Context, bool) (string, error) { return "pw", nil })
			v.WorkFactor = 10
			_, gerr := v.Get(ctx, "a")
			serr := v.Set(ctx, "a", canary)
			if nerr != nil || len(notes) != 0 {
				t.Errorf("Notices = %q, %v; want nothing: the reads and writes say why they refuse", notes, nerr)
			}
			for op, err := range map[string]error{"List": lerr, "Create": cerr, "vault Get": gerr, "vault Set": serr} {
				var unsafe *store.UnsafeFolderError
				if !errors.As(err, &unsafe) {
					t.Errorf("%s err = %v; want an UnsafeFolderError", op, err)
					continue
				}
				for _, m := range append(tt.mention, dir, "changes nothing") {
					if !strings.Contains(err.Error(), m) {
						t.Errorf("%s err = %q; want it to mention %q", op, err, m)
					}
				}
			}
			if got := modeOf(t, dir); got != before {
				t.Errorf("folder mode = %v; want it left at %v", got, before)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("the folder holds %v; want nothing written in it", entries)
			}
			if mem.Calls() != 0 {
				t.Errorf("the keychain was called %d times; want none", mem.Calls())
			}
		})
	}
}

// TestFolderWithOtherFilesIsNotRestricted: a folder open to others is
// not zconn's to change, whatever it holds; zconn's own file in it still
// is. See also TestPermissions and TestHardLinkedFileIsNotRestricted.
func TestFolderWithOtherFilesIsNotRestricted(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if _, err := s.Create(ctx, conn("prod"), canary); err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(filepath.Join(s.Dir(), "notes.txt"), []byte("mine"), 0o644))
	must(t, os.Chmod(s.Dir(), 0o755))
	must(t, os.Chmod(s.Path(), 0o644))
	notes, err := s.Notices()
	if err != nil || len(notes) != 2 || !strings.Contains(notes[0], "leaves folders as they are") || !strings.Contains(notes[0], "chmod 700 "+s.Dir()) {
		t.Fatalf("Notices = %q, %v; want the folder left as it is, with the chmod to run, and the file", notes, err)
	}
	if _, err := s.Create(ctx, conn("stage"), canary); err != nil {
		t.Fatal(err)
	}
	if got := modeOf(t, s.Dir()).Perm(); got != 0o755 {
		t.Errorf("folder mode = %v; want 0755 kept", got)
	}
	if got := modeOf(t, s.Path()).Perm(); got != 0o600 {
		t.Errorf("file mode = %v; want 0600", got)
	}
}

// TestEmptyFolderIsNotRestricted gives zconn an empty folder open to its
// group, as an admin may make one: saving twice leaves its mode alone.
func TestEmptyFolderIsNotRestricted(t *testing.T) {
	s, _ := newStore(t)
	must(t, os.MkdirAll(s.Dir(), 0o700))
	must(t, os.Chmod(s.Dir(), 0o750))
	for _, name := range []string{"prod", "stage"} {
		if _, err := s.Create(context.Background(), conn(name), canary); err != nil {
			t.Fatal(err)
		}
		if got := modeOf(t, s.Dir()).Perm(); got != 0o750 {
			t.Fatalf("folder mode after saving %s = %v; want 0750 kept", name, got)
		}
	}
}

// TestHardLinkedFileIsNotRestricted gives connections.json a second name
// elsewhere: a save leaves the shared file's mode alone, and replaces the
// name in the folder with a file of zconn's own (0600).
func TestHardLinkedFileIsNotRestricted(t *testing.T) {
	s, _ := newStore(t)
	must(t, os.MkdirAll(s.Dir(), 0o700))
	other := filepath.Join(t.TempDir(), "victim.json")
	must(t, os.WriteFile(other, []byte(`{"version":2,"connections":[]}`), 0o644))
	must(t, os.Chmod(other, 0o644))
	if err := os.Link(other, s.Path()); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	if _, err := s.Create(context.Background(), conn("prod"), canary); err != nil {
		t.Fatal(err)
	}
	if got := modeOf(t, other).Perm(); got != 0o644 {
		t.Errorf("the other name's mode = %v; want 0644 kept", got)
	}
	if got := modeOf(t, s.Path()).Perm(); got != 0o600 {
		t.Errorf("connections.json mode = %v; want 0600", got)
	}
}

// TestLinksAreNeverFollowed links zconn's files elsewhere: reading
// refuses them (the metadata file and the vault alike), nothing reads
// through them or changes their target's mode, and saving neither writes
// the target nor replaces the link.
func TestLinksAreNeverFollowed(t *testing.T) {
	for _, name := range []string{store.FileName, store.VaultFileName} {
		t.Run(name, func(t *testing.T) {
			s, mem := newStore(t)
			ctx := context.Background()
			must(t, os.MkdirAll(s.Dir(), 0o700))
			target := filepath.Join(t.TempDir(), "elsewhere.json")
			content := []byte(`{"version":1,"connections":[]}` + "\n")
			must(t, os.WriteFile(target, content, 0o644))
			must(t, os.Chmod(target, 0o644))
			link := filepath.Join(s.Dir(), name)
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			v := store.NewVault(s, func(context.Context, bool) (string, error) { return "pw", nil })
			v.WorkFactor = 10

			notes, _ := s.Notices()
			var err error
			if name == store.FileName {
				_, err = s.List()
			} else {
				_, err = v.Get(ctx, "a")
			}
			var notRegular *store.NotRegularFileError
			if !errors.As(err, &notRegular) || !strings.Contains(err.Error(), "symbolic link") || !strings.Contains(err.Error(), link) {
				t.Errorf("reading err = %v; want a NotRegularFileError naming the link", err)
			}
			if name == store.FileName {
				_, err = s.Create(ctx, conn("prod"), canary)
			} else {
				err = v.Set(ctx, "a", canary)
			}
			if !errors.As(err, &notRegular) {
				t.Errorf("saving err = %v; want a NotRegularFileError", err)
			}
			if modeOf(t, link)&fs.ModeSymlink == 0 {
				t.Error("the link was replaced; want it left as it is")
			}
			if got, _ := os.ReadFile(target); !bytes.Equal(got, content) {
				t.Errorf("the target now holds %q; want it untouched", got)
			}
			if got := modeOf(t, target).Perm(); got != 0o644 {
				t.Errorf("the target's mode = %v; want 0644 kept (notes %q)", got, notes)
			}
			if name == store.FileName && mem.Len() != 0 {
				t.Errorf("secrets held = %d; want none saved for a refused connection", mem.Len())
			}
		})
	}
}

// TestSpecialFilesAreRefused puts what is not a regular file where zconn
// keeps its files: reading refuses each at once, with a clear error,
// instead of waiting on a pipe forever or reading an endless device.
func TestSpecialFilesAreRefused(t *testing.T) {
	tests := []struct {
		name    string
		make    func(t *testing.T, path string)
		mention string
	}{
		{"named pipe", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
		}, "is a named pipe, not a regular file"},
		{"link to an endless device", func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		}, "symbolic link"},
		{"folder", func(t *testing.T, path string) { must(t, os.Mkdir(path, 0o700)) }, "is a folder"},
		{"too large", func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
			if err != nil {
				t.Fatal(err)
			}
			must(t, f.Truncate(store.MaxFileSize+1))
			must(t, f.Close())
		}, "more than the 16 MiB zconn reads"},
	}
	for _, tt := range tests {
		for _, file := range []string{store.FileName, store.VaultFileName} {
			t.Run(tt.name+"/"+file, func(t *testing.T) {
				s, _ := newStore(t)
				must(t, os.MkdirAll(s.Dir(), 0o700))
				path := filepath.Join(s.Dir(), file)
				tt.make(t, path)
				v := store.NewVault(s, func(context.Context, bool) (string, error) { return "pw", nil })
				err := within(t, "reading "+file, func() error {
					if file == store.FileName {
						_, err := s.List()
						return err
					}
					_, err := v.Get(context.Background(), "a")
					return err
				})
				if err == nil || !strings.Contains(err.Error(), tt.mention) || !strings.Contains(err.Error(), path) {
					t.Errorf("err = %v; want one naming %s and saying %q", err, path, tt.mention)
				}
			})
		}
	}
}

// TestStaleTempFilesAreRemovedByWriters leaves behind what writers killed
// mid-save leave: the next writer, holding the lock, removes those that
// are zconn's (its names, regular files of this user) and nothing else;
// a reader removes nothing.
func TestStaleTempFilesAreRemovedByWriters(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if _, err := s.Create(ctx, conn("prod"), canary); err != nil {
		t.Fatal(err)
	}
	path := func(name string) string { return filepath.Join(s.Dir(), name) }
	stale := []string{".connections.json.123.tmp", ".vault.age.4567.tmp"}
	for _, name := range stale {
		must(t, os.WriteFile(path(name), []byte("{\"version\":1,\"conn"), 0o600))
	}
	target := filepath.Join(t.TempDir(), "target")
	must(t, os.WriteFile(target, []byte("not zconn's"), 0o600))
	kept := []string{".connections.json.abc.tmp", "connections.json.1.tmp", ".other.1.tmp", ".connections.json.99.tmp", ".vault.age.98.tmp"}
	for _, name := range kept[:3] {
		must(t, os.WriteFile(path(name), []byte("x"), 0o600))
	}
	must(t, os.Symlink(target, path(kept[3])))
	must(t, os.Mkdir(path(kept[4]), 0o700))
	if os.Geteuid() == 0 {
		other := ".connections.json.77.tmp"
		must(t, os.WriteFile(path(other), []byte("x"), 0o600))
		if os.Chown(path(other), 65534, 65534) == nil {
			kept = append(kept, other)
		}
	}
	exists := func(name string) bool { _, err := os.Lstat(path(name)); return err == nil }

	if _, err := s.List(); err != nil {
		t.Fatal(err)
	}
	for _, name := range stale {
		if !exists(name) {
			t.Errorf("List removed %s; want readers to change nothing", name)
		}
	}
	if _, err := s.Create(ctx, conn("stage"), canary); err != nil {
		t.Fatal(err)
	}
	for _, name := range stale {
		if exists(name) {
			t.Errorf("%s is still there after a save; want it removed", name)
		}
	}
	for _, name := range kept {
		if !exists(name) {
			t.Errorf("%s was removed; want it kept: it is not a stale file of zconn's", name)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "not zconn's" {
		t.Errorf("a link's target changed to %q", b)
	}
}
