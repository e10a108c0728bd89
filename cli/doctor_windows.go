//go:build windows

package cli

import "io/fs"

// permissionProblem finds nothing on Windows: the folder lives in the
// user's profile, whose access list already keeps other users out, and
// Unix modes do not apply.
func permissionProblem(string, fs.FileInfo, fs.FileMode) string { return "" }

// accessProblem finds nothing on Windows, where access lists, not modes,
// say who may read the folder; reading it is tried instead.
func accessProblem(string, fs.FileInfo) string { return "" }
