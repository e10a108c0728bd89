//go:build !windows

package cli

import (
	"fmt"
	"io/fs"
)

// permissionProblem says, with the fix, how path is open to other users
// beyond perm; "" when it is not.
func permissionProblem(path string, fi fs.FileInfo, perm fs.FileMode) string {
	if got := fi.Mode().Perm(); got&^perm != 0 {
		return fmt.Sprintf("%s is open to other users (%v): run chmod %o %s", path, got, perm, shellArg(path))
	}
	return ""
}
