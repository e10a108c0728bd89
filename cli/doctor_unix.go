//go:build !windows

package cli

import (
	"fmt"
	"io/fs"

	"github.com/zconn/zconn/store"
)

// accessProblem says, with the fix, when the owner of the config folder
// may not read, write or enter it, which zconn needs; "" when the owner
// may. It reads the mode, so it holds for root too, whom the system lets
// in anyway.
func accessProblem(path string, fi fs.FileInfo) string {
	if fi.Mode().Perm()&0o700 != 0o700 {
		return fmt.Sprintf("%s (mode %s) does not let you read, write and enter it: run chmod 700 %s", path, store.ModeString(fi.Mode()), shellArg(path))
	}
	return ""
}
