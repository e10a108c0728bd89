//go:build !windows

package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// cygwinTerminal reports whether fd is a Cygwin or MSYS terminal, which
// exists only on Windows.
func cygwinTerminal(uintptr) bool { return false }

// openTerminal returns a file over a duplicate of the terminal's
// descriptor fd, to read from and close without closing fd.
func openTerminal(fd uintptr) (*os.File, error) {
	d, err := unix.Dup(int(fd))
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(d), "terminal"), nil
}
