// Package regularfile reads a file that a person names, such as a private
// key file or an SDK's configuration: a regular file of bounded size, read
// without ever waiting on a named pipe or a device put in its place.
package regularfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"time"
)

// ReadTimeout bounds a read of a file that Stat calls regular but that can
// block, such as some procfs files.
const ReadTimeout = 5 * time.Second

// ErrTooLarge means the file holds more than the limit asked for.
var ErrTooLarge = errors.New("too large")

// NotRegularError means the path names something other than a regular
// file: a folder, a named pipe, a device or a socket.
type NotRegularError struct {
	Mode fs.FileMode
}

// Error names what the path is.
func (e *NotRegularError) Error() string { return "not a regular file (" + Describe(e.Mode) + ")" }

// Read reads the regular file at path, following symbolic links: the file
// is the user's own, named by them. Named pipes, devices, sockets and
// folders are refused before anything is read, and without blocking: the
// file is checked with Stat, opened without blocking (a FIFO would
// otherwise wait for a writer), and checked again on the open descriptor.
// At most limit bytes are read; a larger file gives ErrTooLarge. The file
// is opened read-only and never changed.
func Read(path string, limit int64) ([]byte, fs.FileInfo, error) {
	before, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if err := check(before, limit); err != nil {
		return nil, nil, err
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = f.Close() }()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	// What was opened is checked again: the path may have been swapped.
	if err := check(fi, limit); err != nil {
		return nil, nil, err
	}
	// Some files that Stat calls regular can block on read (procfs files
	// such as /proc/kmsg). Those are pollable, so a deadline bounds them;
	// true regular files take none (os.ErrNoDeadline) and never block.
	_ = f.SetReadDeadline(time.Now().Add(ReadTimeout))
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		clear(data)
		return nil, nil, ErrTooLarge
	}
	return data, fi, nil
}

// check refuses a file that is not regular, or that holds more than limit
// bytes.
func check(fi fs.FileInfo, limit int64) error {
	if !fi.Mode().IsRegular() {
		return &NotRegularError{Mode: fi.Mode()}
	}
	if fi.Size() > limit {
		return ErrTooLarge
	}
	return nil
}

// Describe names a file type for a person: "a folder", "a named pipe".
func Describe(m fs.FileMode) string {
	switch {
	case m&fs.ModeDir != 0:
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}
