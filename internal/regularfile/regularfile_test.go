package regularfile_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zconn/zconn/internal/regularfile"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(file, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		path  func(t *testing.T) string
		limit int64
		want  string
		// check says whether err is the expected one.
		check func(error) bool
		mode  fs.FileMode
	}{
		{name: "regular file", path: func(*testing.T) string { return file }, limit: 10, want: "0123456789"},
		{name: "link to a regular file", path: func(t *testing.T) string {
			link := filepath.Join(t.TempDir(), "link")
			symlink(t, file, link)
			return link
		}, limit: 64, want: "0123456789"},
		{name: "one byte over the limit", path: func(*testing.T) string { return file }, limit: 9,
			check: func(err error) bool { return errors.Is(err, regularfile.ErrTooLarge) }},
		{name: "missing", path: func(t *testing.T) string { return filepath.Join(t.TempDir(), "nothing") }, limit: 64,
			check: func(err error) bool { return errors.Is(err, fs.ErrNotExist) }},
		{name: "folder", path: func(t *testing.T) string { return t.TempDir() }, limit: 64, mode: fs.ModeDir},
		{name: "named pipe", path: func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "fifo")
			mkfifo(t, p)
			return p
		}, limit: 64, mode: fs.ModeNamedPipe},
		{name: "link to a device", path: func(t *testing.T) string {
			if _, err := os.Stat("/dev/zero"); err != nil {
				t.Skip("no /dev/zero here")
			}
			link := filepath.Join(t.TempDir(), "zero")
			symlink(t, "/dev/zero", link)
			return link
		}, limit: 64, mode: fs.ModeCharDevice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path(t)
			type result struct {
				data []byte
				err  error
			}
			done := make(chan result, 1)
			go func() {
				data, _, err := regularfile.Read(path, tt.limit)
				done <- result{data, err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Read still waits after 10s; want an answer at once")
			}
			var nr *regularfile.NotRegularError
			switch {
			case tt.mode != 0:
				if !errors.As(r.err, &nr) || nr.Mode&tt.mode == 0 {
					t.Errorf("got %v; want a NotRegularError of mode %v", r.err, tt.mode)
				}
			case tt.check != nil:
				if !tt.check(r.err) || r.data != nil {
					t.Errorf("got %q, %v; want no data and the expected error", r.data, r.err)
				}
			case r.err != nil || string(r.data) != tt.want:
				t.Errorf("got %q, %v; want %q", r.data, r.err, tt.want)
			}
		})
	}
}

// TestReadChangesNothing checks that reading leaves the file as it was:
// its content, mode and modification time.
func TestReadChangesNothing(t *testing.T) {
	file := filepath.Join(t.TempDir(), "key.pem")
	content := []byte("-----BEGIN PRIVATE KEY-----\n")
	if err := os.WriteFile(file, content, 0o640); err != nil {
		t.Fatal(err)
	}
	past := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(file, past, past); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(file)
	if _, _, err := regularfile.Read(file, 1024); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(file)
	now, _ := os.ReadFile(file)
	if !bytes.Equal(now, content) || after.Mode() != before.Mode() || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("after reading: mode %v, modified %v; want %v, %v and the same content", after.Mode(), after.ModTime(), before.Mode(), before.ModTime())
	}
}

func TestDescribe(t *testing.T) {
	for mode, want := range map[fs.FileMode]string{
		fs.ModeDir:                        "a folder",
		fs.ModeNamedPipe:                  "a named pipe",
		fs.ModeDevice | fs.ModeCharDevice: "a character device",
		fs.ModeDevice:                     "a device",
		fs.ModeSocket:                     "a socket",
		fs.ModeIrregular:                  "not a plain file",
	} {
		if got := regularfile.Describe(mode); got != want {
			t.Errorf("Describe(%v) = %q; want %q", mode, got, want)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
}

func TestExplain(t *testing.T) {
	const what = "private key's PEM file"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"missing", &fs.PathError{Op: "stat", Path: "/x/key.pem", Err: fs.ErrNotExist}, "does not exist: check the path"},
		{"a folder", &regularfile.NotRegularError{Mode: fs.ModeDir}, "is a folder, not a regular file: give the private key's PEM file itself"},
		{"a named pipe", &regularfile.NotRegularError{Mode: fs.ModeNamedPipe}, "is a named pipe, not a regular file: give the private key's PEM file itself"},
		{"too large", regularfile.ErrTooLarge, "is larger than 64 KiB, too large for a private key's PEM file: check the path"},
		{"a read that never ends", &fs.PathError{Op: "read", Path: "/proc/kmsg", Err: os.ErrDeadlineExceeded}, "did not finish reading within 5s, which a private key's PEM file always does: check the path"},
		{"permission denied", &fs.PathError{Op: "open", Path: "/x/key.pem", Err: fs.ErrPermission}, "cannot be read (permission denied): check the file's owner and mode"},
		{"another cause, without the path", &fs.PathError{Op: "read", Path: "/x/key.pem", Err: errors.New("input/output error")}, "cannot be read (input/output error): check the path"},
		{"a cause with escape sequences", errors.New("bad\x1b]0;title\x07 thing"), "cannot be read (bad thing): check the path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := regularfile.Explain(tt.err, 64<<10, what).String(); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
