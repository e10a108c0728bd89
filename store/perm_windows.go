//go:build windows

package store

import "os"

// tighten does nothing on Windows: the file lives in the user's profile,
// whose ACL already keeps other users out, and Unix modes do not apply.
func tighten(path string, perm os.FileMode) (string, error) {
	_, err := os.Stat(path)
	return "", err
}

// syncDir does nothing on Windows, where folders cannot be synced.
func syncDir(string) {}
