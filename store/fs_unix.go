//go:build !windows

package store

import (
	"fmt"
	"os"
)

// tighten makes sure path has at most perm, and says so when it had to
// narrow it.
func tighten(path string, perm os.FileMode) (notice string, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if fi.Mode().Perm()&^perm == 0 {
		return "", nil
	}
	if err := os.Chmod(path, perm); err != nil {
		return "", fmt.Errorf("%s is readable by others (%v) and could not be restricted: run chmod %o %s", path, fi.Mode().Perm(), perm, path)
	}
	return fmt.Sprintf("%s was open to others (%v): restricted it to %v", path, fi.Mode().Perm(), perm), nil
}

// rename replaces newpath with oldpath atomically.
func rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// syncDir flushes a folder's entries, so a rename survives a crash.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
