//go:build windows

package cli

import "io/fs"

// accessProblem finds nothing on Windows, where access lists, not modes,
// say who may read the folder; reading it is tried instead.
func accessProblem(string, fs.FileInfo) string { return "" }
