//go:build !unix

package sdkconfig

import (
	"io/fs"
	"os"
)

// keepOwner does nothing: Unix owners do not apply.
func keepOwner(*os.File, fs.FileInfo) {}

// syncDir does nothing: folders cannot be synced here.
func syncDir(string) {}
