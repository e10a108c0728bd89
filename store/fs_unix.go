//go:build !windows

package store

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
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

// restrict narrows the permissions of a file or folder of zconn's own to
// perm: a regular file (or, with dir, a folder holding nothing but zconn's
// files) that this user owns, reached without following a link. The mode
// is changed through the open descriptor (fchmod), so a link swapped in
// meanwhile is never followed. Anything else is left as it is; so is a
// path that does not exist.
func restrict(path string, dir bool, perm fs.FileMode) error {
	flags := os.O_RDONLY | noFollow
	if dir {
		flags |= syscall.O_DIRECTORY
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !ownedByUser(fi) || UnixMode(fi.Mode())&^uint32(perm) == 0 {
		return nil
	}
	if dir {
		names, err := f.Readdirnames(-1)
		if err != nil || !allOwn(names) {
			return nil
		}
	} else if !fi.Mode().IsRegular() {
		return nil
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("restricting %s to %04o: %w", path, perm, err)
	}
	return nil
}

// openToOthers describes, for a person, the files and folder of zconn's
// own that others may read: what restrict would narrow on the next save,
// or, for a folder that is not zconn's alone, how to narrow it by hand.
// It changes nothing.
func openToOthers(dir string, files []string) []string {
	var notes []string
	if fi, err := os.Lstat(dir); err == nil {
		link := fi.Mode()&fs.ModeSymlink != 0
		if link {
			fi, err = os.Stat(dir)
		}
		if err == nil && fi.IsDir() && ownedByUser(fi) && UnixMode(fi.Mode())&0o077 != 0 {
			names, _ := readDirNames(dir)
			if !link && allOwn(names) {
				notes = append(notes, fmt.Sprintf("the config folder %s is open to other users (mode %s); zconn restricts it to 0700 when it next saves", dir, ModeString(fi.Mode())))
			} else {
				notes = append(notes, fmt.Sprintf("the config folder %s is open to other users (mode %s), and zconn leaves it as it is, as it holds other files or is a link: restrict it with chmod 700 %s", dir, ModeString(fi.Mode()), dir))
			}
		}
	}
	for _, path := range files {
		fi, err := os.Lstat(path)
		if err == nil && fi.Mode().IsRegular() && ownedByUser(fi) && UnixMode(fi.Mode())&0o077 != 0 {
			notes = append(notes, fmt.Sprintf("%s is open to other users (mode %s); zconn restricts it to 0600 when it next saves", path, ModeString(fi.Mode())))
		}
	}
	return notes
}

// readDirNames returns the names in a folder.
func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
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

// ownFiles are the names of the files zconn keeps in the config folder;
// only Unix restricts a folder that holds nothing else.
var ownFiles = []string{FileName, VaultFileName, lockFileName}

// isOwnName reports whether name is a file zconn keeps in its folder.
func isOwnName(name string) bool {
	for _, f := range ownFiles {
		if name == f {
			return true
		}
	}
	return isTempName(name)
}

// allOwn reports whether every name in a folder is a file zconn keeps.
func allOwn(names []string) bool {
	for _, n := range names {
		if !isOwnName(n) {
			return false
		}
	}
	return true
}
