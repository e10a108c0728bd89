//go:build !windows

package store

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/zconn/zconn/internal/regularfile"
)

// noFollow are the open flags that keep an open from following a
// symbolic link in the last element of the path, and from waiting for the
// writer of a named pipe.
const noFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// lockFlags are the flags the lock file is opened with: created when
// missing, never through a link, never waiting on a named pipe.
const lockFlags = os.O_CREATE | os.O_RDONLY | noFollow

// openNoFollow opens path for reading without following a link in its
// last element and without waiting on a named pipe.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|noFollow, 0)
}

// ownerOf returns the user ID that owns the file.
func ownerOf(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// ownedByUser reports whether this process's user owns the file.
func ownedByUser(fi fs.FileInfo) bool {
	uid, ok := ownerOf(fi)
	return ok && uid == os.Geteuid()
}

// checkFolderAccess refuses a config folder that other users could write
// to, or that another user owns: they could plant or replace zconn's
// files.
func checkFolderAccess(dir string, fi fs.FileInfo) error {
	e := &UnsafeFolderError{Path: dir, Mode: fi.Mode(), Owner: -1}
	if fi.Mode()&(fs.ModeSticky|0o002) != 0 {
		return e
	}
	if uid, ok := ownerOf(fi); ok && uid != os.Geteuid() {
		e.Owner = uid
		return e
	}
	return nil
}

// restrict narrows the permissions of a file of zconn's own to perm: a
// regular file that this user owns, with no other name (hard link)
// elsewhere, reached without following a link. The mode is changed
// through the open descriptor (fchmod), so a link swapped in meanwhile is
// never followed. Anything else is left as it is; so is a path that does
// not exist. Folders are never changed: zconn creates its folder 0700, so
// one that is open to others was made or changed so by someone else.
func restrict(path string, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !ownedByUser(fi) || UnixMode(fi.Mode())&^uint32(perm) == 0 ||
		!fi.Mode().IsRegular() || regularfile.LinkCount(fi) > 1 {
		return nil
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("restricting %s to %04o: %w", path, perm, err)
	}
	return nil
}

// OpenToOthers reports whether fi, the config folder or one of zconn's
// files in it, lets users other than this one in, in a way this user may
// narrow: a folder, or a regular file with no other name elsewhere (whose
// mode is not zconn's to change), that this user owns, with any group or
// other permission. Notices and doctor report by this rule.
func OpenToOthers(fi fs.FileInfo) bool {
	if !ownedByUser(fi) || UnixMode(fi.Mode())&0o077 == 0 {
		return false
	}
	return fi.IsDir() || (fi.Mode().IsRegular() && regularfile.LinkCount(fi) == 1)
}

// openToOthers describes, for a person, the folder and the files of
// zconn's own that others may read: how to narrow the folder by hand, and
// which files restrict narrows on the next save. It changes nothing.
func openToOthers(dir string, files []string) []string {
	var notes []string
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() && OpenToOthers(fi) {
		notes = append(notes, fmt.Sprintf("the config folder %s is open to other users (mode %s), and zconn leaves folders as they are: restrict it with chmod 700 %s", dir, ModeString(fi.Mode()), dir))
	}
	for _, path := range files {
		fi, err := os.Lstat(path)
		if err == nil && !fi.IsDir() && OpenToOthers(fi) {
			notes = append(notes, fmt.Sprintf("%s is open to other users (mode %s); zconn restricts it to 0600 when it next saves", path, ModeString(fi.Mode())))
		}
	}
	return notes
}
