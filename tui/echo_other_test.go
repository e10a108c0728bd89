//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos)

package tui

import (
	"errors"
	"os"
)

// echoIsOn is not known here.
func echoIsOn(*os.File) (bool, error) { return false, errors.New("no termios here") }
