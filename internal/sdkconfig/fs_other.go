//go:build !unix

package sdkconfig

import (
	"io/fs"
	"os"
)

// keepOwner does nothing: Unix owners do not apply.
func keepOwner(*os.File, fs.FileInfo) {}
