//go:build !unix

package regularfile

import (
	"io/fs"
	"os"
)

// LinkCount returns 1: os.FileInfo does not carry a link count here.
func LinkCount(fs.FileInfo) uint64 { return 1 }

// openNonBlocking opens path for reading. Outside Unix, files that block on
// open are not in the file system's namespace, and Stat already refused
// anything but a regular file.
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
