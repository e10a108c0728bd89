//go:build windows

package termecho

import "golang.org/x/sys/windows"

// echoOff turns off the echo of the console fd, keeping line input and
// Ctrl+C.
func echoOff(fd uintptr) error {
	var mode uint32
	if err := windows.GetConsoleMode(windows.Handle(fd), &mode); err != nil {
		return err
	}
	mode &^= windows.ENABLE_ECHO_INPUT
	mode |= windows.ENABLE_LINE_INPUT | windows.ENABLE_PROCESSED_INPUT
	return windows.SetConsoleMode(windows.Handle(fd), mode)
}

// echoes reports whether the console fd echoes what is typed.
func echoes(fd uintptr) (bool, error) {
	var mode uint32
	if err := windows.GetConsoleMode(windows.Handle(fd), &mode); err != nil {
		return false, err
	}
	return mode&windows.ENABLE_ECHO_INPUT != 0, nil
}
