//go:build windows

package cli

import "io/fs"

// permissionProblem finds nothing on Windows: the folder lives in the
// user's profile, whose access list already keeps other users out, and
// Unix modes do not apply.
func permissionProblem(string, fs.FileInfo, fs.FileMode) string { return "" }
