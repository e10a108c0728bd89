//go:build windows

package cli

import (
	"os"
	"strings"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"
)

// cygwinTerminal reports whether fd is the pipe that a Cygwin or MSYS
// terminal (mintty, Git Bash) gives a program as its console. It is not a
// console, so nothing typed there can be hidden, and reading it as a pipe
// would wait for an end of input that never comes.
func cygwinTerminal(fd uintptr) bool {
	h := windows.Handle(fd)
	if t, err := windows.GetFileType(h); err != nil || t != windows.FILE_TYPE_PIPE {
		return false
	}
	// FILE_NAME_INFO: the name's length in bytes, then the name in UTF-16.
	var info struct {
		Length uint32
		Name   [windows.MAX_PATH]uint16
	}
	//nolint:gosec // G103: the Windows API takes the buffer as a pointer to its bytes.
	if err := windows.GetFileInformationByHandleEx(h, windows.FileNameInfo, (*byte)(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		return false
	}
	n := int(info.Length / 2)
	if n == 0 || n > len(info.Name) {
		return false
	}
	name := string(utf16.Decode(info.Name[:n]))
	// Such as \msys-dd50a72ab4668b33-pty2-from-master.
	return (strings.Contains(name, `\msys-`) || strings.Contains(name, `\cygwin-`)) && strings.Contains(name, "-pty")
}

// openTerminal returns a file over a duplicate of the console handle fd,
// to read from and close without closing fd.
func openTerminal(fd uintptr) (*os.File, error) {
	p := windows.CurrentProcess()
	var h windows.Handle
	if err := windows.DuplicateHandle(p, windows.Handle(fd), p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(h), "terminal"), nil
}
