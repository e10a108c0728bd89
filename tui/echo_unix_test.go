//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos

package tui

import (
	"os"

	"golang.org/x/sys/unix"
)

// echoIsOn reports whether the terminal f echoes what is typed.
func echoIsOn(f *os.File) (bool, error) {
	t, err := unix.IoctlGetTermios(int(f.Fd()), ioctlReadTermios)
	if err != nil {
		return false, err
	}
	return t.Lflag&unix.ECHO != 0, nil
}
