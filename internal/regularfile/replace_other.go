//go:build !windows

package regularfile

import "os"

// Rename puts oldpath in newpath's place atomically, as the last step of
// replacing a file with a temporary one written beside it.
func Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// SyncDir flushes a folder's entries, so that a rename in it survives a
// crash.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
