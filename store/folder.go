package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// checkFolder refuses a config folder that is not a folder, or that other
// users could change (checkFolderAccess, by system). A folder that does
// not exist yet is fine; zconn creates it 0700. It changes nothing.
func checkFolder(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking the config folder %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("the config folder %s is not a folder: move it aside, or set ZCONN_CONFIG_DIR", dir)
	}
	return checkFolderAccess(dir, fi)
}

// UnsafeFolderError means the config folder is writable by other users
// (world-writable, or a shared folder with the sticky bit such as /tmp),
// or belongs to another user. Others could plant or replace zconn's files
// there, so zconn neither reads nor writes in it, and does not change its
// permissions either: the folder is not zconn's to change.
type UnsafeFolderError struct {
	Path string
	Mode fs.FileMode
	// Owner is the ID of the user who owns the folder when that is not
	// this user, else -1.
	Owner int
}

// Error says what is wrong and the fix.
func (e *UnsafeFolderError) Error() string {
	switch {
	case e.Mode&fs.ModeSticky != 0 && e.Mode&0o022 == 0:
		return fmt.Sprintf("the config folder %s has the sticky bit (mode %s), the mark of a folder shared with other users: zconn keeps its files only in a folder of your own and changes nothing here; if the folder is yours alone, clear the bit with chmod 700 %s, or set ZCONN_CONFIG_DIR to a folder that only you can write", e.Path, ModeString(e.Mode), e.Path)
	case e.Mode&fs.ModeSticky != 0:
		return fmt.Sprintf("the config folder %s is a shared folder (mode %s) where other users can create files: zconn keeps its files only in a folder of your own and changes nothing here; set ZCONN_CONFIG_DIR to a folder that only you can write", e.Path, ModeString(e.Mode))
	case e.Owner >= 0:
		return fmt.Sprintf("the config folder %s belongs to another user (uid %d): zconn keeps its files only in a folder of your own and changes nothing here; make it yours with chown, or set ZCONN_CONFIG_DIR to a folder that only you can write", e.Path, e.Owner)
	}
	return fmt.Sprintf("the config folder %s is writable by every user (mode %s): zconn changes nothing here; if the folder is yours alone, restrict it with chmod 700 %s, or set ZCONN_CONFIG_DIR to a folder that only you can write", e.Path, ModeString(e.Mode), e.Path)
}

// UnixMode returns a mode's permission bits with the setuid, setgid and
// sticky bits where Unix keeps them (04000, 02000, 01000).
func UnixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

// ModeString writes a mode in octal, as chmod takes it, with the setuid,
// setgid and sticky bits showing: 0755, 1777.
func ModeString(m fs.FileMode) string { return fmt.Sprintf("%04o", UnixMode(m)) }
