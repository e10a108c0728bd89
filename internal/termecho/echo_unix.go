//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos

package termecho

import "golang.org/x/sys/unix"

// echoOff turns off the echo of the terminal fd, keeping lines and Ctrl+C
// as they were, as golang.org/x/term's ReadPassword does.
func echoOff(fd uintptr) error {
	t, err := unix.IoctlGetTermios(int(fd), ioctlReadTermios)
	if err != nil {
		return err
	}
	t.Lflag &^= unix.ECHO
	t.Lflag |= unix.ICANON | unix.ISIG
	t.Iflag |= unix.ICRNL
	return unix.IoctlSetTermios(int(fd), ioctlWriteTermios, t)
}

// echoes reports whether the terminal fd echoes what is typed.
func echoes(fd uintptr) (bool, error) {
	t, err := unix.IoctlGetTermios(int(fd), ioctlReadTermios)
	if err != nil {
		return false, err
	}
	return t.Lflag&unix.ECHO != 0, nil
}
