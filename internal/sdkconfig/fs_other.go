//go:build !unix

package sdkconfig

import (
	"io/fs"
	"os"
)

// linkCount returns 1: os.FileInfo does not carry a link count here.
func linkCount(fs.FileInfo) uint64 { return 1 }

// keepOwner does nothing: Unix owners do not apply.
func keepOwner(*os.File, fs.FileInfo) {}

// syncDir does nothing: folders cannot be synced here.
func syncDir(string) {}
