package sdkconfig

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// billionLaughs is the classic alias bomb: nine levels of nine aliases,
// 9^9 "lol"s once expanded, under a valid zscaler.client.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for c := 'b'; c <= 'i'; c++ {
		p := string(c - 1)
		fmt.Fprintf(&b, "%c: &%c [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", c, c, p, p, p, p, p, p, p, p, p)
	}
	b.WriteString("zscaler:\n  client:\n    clientId: 0oa1\n    clientSecret: " + canary + "\n    vanityDomain: acme\n")
	return b.String()
}

// within fails the test when f has not returned by the deadline, so that a
// read that blocks shows as a failure instead of a hung test run.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still running after %v; want it to return at once", d)
	}
}

func TestHostileFiles(t *testing.T) {
	tests := []struct {
		name      string
		make      func(t *testing.T, dir string) string // returns the path to read
		err       error
		fragments []string
	}{
		{
			name: "named pipe",
			make: func(t *testing.T, dir string) string {
				path := filepath.Join(dir, "zscaler.yaml")
				mkfifo(t, path)
				return path
			},
			err: ErrUnsafe, fragments: []string{"is a named pipe, not a regular file"},
		},
		{
			name: "link to /dev/zero",
			make: func(t *testing.T, dir string) string {
				path := filepath.Join(dir, "zscaler.yaml")
				symlink(t, os.DevNull, path)
				if _, err := os.Stat("/dev/zero"); err == nil {
					_ = os.Remove(path)
					symlink(t, "/dev/zero", path)
				}
				return path
			},
			err: ErrUnsafe, fragments: []string{"device, not a regular file"},
		},
		{
			name: "folder",
			make: func(t *testing.T, dir string) string {
				path := filepath.Join(dir, "zscaler.yaml")
				if err := os.Mkdir(path, 0o700); err != nil {
					t.Fatal(err)
				}
				return path
			},
			err: ErrUnsafe, fragments: []string{"is a folder"},
		},
		{
			name: "huge file",
			make: func(t *testing.T, dir string) string {
				path := filepath.Join(dir, "zscaler.yaml")
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := f.Truncate(1 << 30); err != nil {
					t.Fatal(err)
				}
				if err := f.Close(); err != nil {
					t.Fatal(err)
				}
				return path
			},
			err: ErrUnsafe, fragments: []string{"larger than 1024 KiB"},
		},
		{
			name: "alias bomb",
			make: func(t *testing.T, dir string) string {
				return writeFile(t, dir, "zscaler.yaml", billionLaughs(), 0o600)
			},
			err: ErrUnsafe, fragments: []string{"alias bomb"},
		},
		{
			name: "deep nesting",
			make: func(t *testing.T, dir string) string {
				return writeFile(t, dir, "zscaler.yaml", strings.Repeat("[", 200000)+canary, 0o600)
			},
			err: ErrInvalid, fragments: []string{"max depth"},
		},
		{
			name: "key file is a named pipe",
			make: func(t *testing.T, dir string) string {
				key := filepath.Join(dir, "api.pem")
				mkfifo(t, key)
				return writeFile(t, dir, "zscaler.yaml", "zscaler:\n  client:\n    clientId: 0oa1\n    privateKey: "+key+"\n    vanityDomain: acme\n", 0o600)
			},
			err: ErrUnsafe, fragments: []string{"line 4", "the key file", "is a named pipe"},
		},
		{
			name: "key file links to /dev/zero",
			make: func(t *testing.T, dir string) string {
				key := filepath.Join(dir, "api.pem")
				symlink(t, os.DevNull, key)
				return writeFile(t, dir, "zscaler.yaml", "zscaler:\n  client:\n    clientId: 0oa1\n    privateKey: "+key+"\n    vanityDomain: acme\n", 0o600)
			},
			err: ErrUnsafe, fragments: []string{"device, not a regular file"},
		},
		{
			name: "huge key file",
			make: func(t *testing.T, dir string) string {
				key := writeFile(t, dir, "api.pem", "-----BEGIN PRIVATE KEY-----\n"+strings.Repeat("A", MaxKeySize)+"\n", 0o600)
				return writeFile(t, dir, "zscaler.yaml", "zscaler:\n  client:\n    clientId: 0oa1\n    privateKey: "+key+"\n    vanityDomain: acme\n", 0o600)
			},
			err: ErrUnsafe, fragments: []string{"larger than 64 KiB"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.make(t, dir)
			var err error
			within(t, 20*time.Second, func() { _, err = FromFile(path, dir, dir) })
			checkErr(t, err, tt.err, tt.fragments...)
			if !strings.HasPrefix(err.Error(), path) {
				t.Errorf("got %q; want it to start with %q", err.Error(), path)
			}
			// Removal refuses the same files, just as fast.
			within(t, 20*time.Second, func() { err = RemoveSecret(path, sha256.Sum256(nil)) })
			if err == nil {
				t.Errorf("got RemoveSecret success; want an error")
			}
			assertNoSecret(t, err)
		})
	}
}

func symlink(t *testing.T, target, path string) {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
}

// BenchmarkAliasBomb measures how long the billion laughs takes to refuse.
func BenchmarkAliasBomb(b *testing.B) {
	data := []byte(billionLaughs())
	for b.Loop() {
		if _, err := parseFile(data, "bomb.yaml"); err == nil {
			b.Fatal("got no error; want the bomb refused")
		}
	}
}

// BenchmarkRemoveSecret measures the rewrite of the SDK example in memory.
func BenchmarkRemoveSecret(b *testing.B) {
	data := []byte(sdkExample)
	for b.Loop() {
		if _, err := stripSecret(data, "zscaler.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
