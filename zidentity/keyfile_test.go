package zidentity_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zconn/zconn/internal/regularfile"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

func TestReadKeyFile(t *testing.T) {
	dir := t.TempDir()
	k := zidentitytest.Key(t, "keyfile", 2048)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("key.pem", zidentitytest.PKCS8(k))
	tests := []struct {
		name string
		path string
		// is is what the error matches; nil for the key.
		is      error
		message string
	}{
		{"a key", good, nil, ""},
		{"missing", filepath.Join(dir, "nope.pem"), fs.ErrNotExist, "the key file does not exist: check the path"},
		{"a folder", dir, nil, "the key file is a folder, not a regular file: give the private key's PEM file itself"},
		{"too large", write("large.pem", []byte(strings.Repeat("x", zidentity.MaxKeyText+1))), regularfile.ErrTooLarge, "the key file is larger than 64 KiB, too large for a private key's PEM file: check the path"},
		{"not a key", write("notes.txt", []byte("hello\n")), zidentity.ErrKeyNotPEM, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := zidentity.ReadKeyFile(tt.path)
			if tt.is == nil && tt.message == "" {
				if err != nil || !key.Public().Equal(&k.PublicKey) {
					t.Fatalf("got %v; want the key", err)
				}
				return
			}
			if err == nil {
				t.Fatal("got a key; want an error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("got %v; want it to match %v", err, tt.is)
			}
			if tt.message != "" && err.Error() != tt.message {
				t.Errorf("got %q; want %q", err, tt.message)
			}
			var kf *zidentity.KeyFileError
			if tt.message != "" && !errors.As(err, &kf) {
				t.Errorf("got %T; want a *KeyFileError", err)
			}
			if strings.Contains(err.Error(), dir) {
				t.Errorf("the error %q names the path; the front end names it", err)
			}
		})
	}
}
