//go:build windows

package store

import (
	"io/fs"
	"os"
)

// lockFlags are the flags the lock file is opened with.
const lockFlags = os.O_CREATE | os.O_RDONLY

// openNoFollow opens path for reading, refusing first what is not a
// regular file: Windows has no O_NOFOLLOW, so a link or other reparse
// point is found with Lstat.
func openNoFollow(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &NotRegularFileError{Path: path, Mode: fi.Mode()}
	}
	return os.Open(path)
}

// ownedByUser is true on Windows, where the folder lives in the user's
// profile and its ACL, not an owner's ID, keeps other users out.
func ownedByUser(fs.FileInfo) bool { return true }

// checkFolderAccess accepts the config folder: its ACL, inherited from
// the user's profile, keeps other users out.
func checkFolderAccess(string, fs.FileInfo) error { return nil }

// restrict does nothing on Windows: Unix modes do not apply, and the
// profile's ACL already keeps other users out.
func restrict(string, fs.FileMode) error { return nil }

// OpenToOthers is false on Windows, where access lists, not modes, say
// who may read, and the profile's keeps other users out.
func OpenToOthers(fs.FileInfo) bool { return false }

// openToOthers finds nothing on Windows, for the same reason.
func openToOthers(string, []string) []string { return nil }
