//go:build unix

package sdkconfig

import (
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives the new file the old one's owner and group where the
// system allows it (root, or a group the user is in); otherwise the new
// file is the user's, as any file they write is.
func keepOwner(f *os.File, fi fs.FileInfo) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}
