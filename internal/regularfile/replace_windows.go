//go:build windows

package regularfile

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// Rename puts oldpath in newpath's place, as the last step of replacing a
// file with a temporary one written beside it. Windows refuses while
// another process (a reader, an antivirus scanning) has newpath open, so
// it tries again for a moment, as cmd/go does.
func Rename(oldpath, newpath string) error {
	var err error
	for wait := time.Millisecond; wait < 500*time.Millisecond; wait *= 2 {
		if err = os.Rename(oldpath, newpath); err == nil || !transient(err) {
			return err
		}
		time.Sleep(wait)
	}
	return err
}

// transient reports whether err is a sharing conflict that passes.
func transient(err error) bool {
	const errorSharingViolation syscall.Errno = 32
	return errors.Is(err, syscall.ERROR_ACCESS_DENIED) || errors.Is(err, errorSharingViolation)
}

// SyncDir does nothing on Windows, where folders cannot be synced.
func SyncDir(string) {}
