//go:build windows

package store

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// tighten does nothing on Windows: the file lives in the user's profile,
// whose ACL already keeps other users out, and Unix modes do not apply.
func tighten(path string, perm os.FileMode) (string, error) {
	_, err := os.Stat(path)
	return "", err
}

// rename replaces newpath with oldpath. Windows refuses while another
// process (another zconn reading, an antivirus scanning) has newpath open,
// so it tries again for a moment, as cmd/go does.
func rename(oldpath, newpath string) error {
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

// syncDir does nothing on Windows, where folders cannot be synced.
func syncDir(string) {}
