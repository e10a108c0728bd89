//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos || windows)

package termecho

// echoOff reports that this system's terminal echo cannot be turned off.
func echoOff(uintptr) error { return ErrUnsupported }

// echoes reports that this system's terminal echo is not known.
func echoes(uintptr) (bool, error) { return false, ErrUnsupported }
