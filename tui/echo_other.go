//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos || windows)

package tui

import (
	"fmt"
	"runtime"
)

// echoOff reports that this system's terminal echo cannot be turned off.
func echoOff(uintptr) error {
	return fmt.Errorf("zconn cannot hide typing on %s: run zconn new without ZCONN_ACCESSIBLE, or use zconn add with the secret piped in", runtime.GOOS)
}
