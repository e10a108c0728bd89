//go:build unix

package regularfile

import (
	"io/fs"
	"os"
	"syscall"
)

// LinkCount returns how many names (hard links) the file has.
func LinkCount(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink) //nolint:unconvert // Nlink is uint64 here, but uint32 on linux/arm64 and uint16 on darwin.
	}
	return 1
}

// openNonBlocking opens path for reading without waiting for a writer,
// should path have become a named pipe after it was checked.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
