package sdkconfig

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// MaxFileSize is the most bytes read of an SDK YAML file; an SDK
// configuration is a few hundred bytes.
const MaxFileSize = 1 << 20

// MaxKeySize is the most bytes read of a private key file; a 16384-bit RSA
// key in PEM is about 13 KB.
const MaxKeySize = 64 << 10

// readTimeout bounds a read of a file that can block.
const readTimeout = 5 * time.Second

// errTooLarge and notRegularError are what readRegular reports besides the
// file system's own errors.
var errTooLarge = errors.New("too large")

type notRegularError struct{ mode fs.FileMode }

func (e notRegularError) Error() string { return "not a regular file (" + describeMode(e.mode) + ")" }

// readRegular reads the regular file at path, following symbolic links: the
// file is the user's own configuration, and the SDKs follow them too. Named
// pipes, devices, sockets and folders are refused before anything is read,
// and without blocking: the file is checked with Stat, opened without
// blocking (a FIFO would otherwise wait for a writer), and checked again
// on the open descriptor. At most limit bytes are read.
func readRegular(path string, limit int64) ([]byte, fs.FileInfo, error) {
	before, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !before.Mode().IsRegular() {
		return nil, nil, notRegularError{before.Mode()}
	}
	if before.Size() > limit {
		return nil, nil, errTooLarge
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
	if !fi.Mode().IsRegular() {
		return nil, nil, notRegularError{fi.Mode()}
	}
	if fi.Size() > limit {
		return nil, nil, errTooLarge
	}
	// Some files that Stat calls regular can block on read (procfs files
	// such as /proc/kmsg). Those are pollable, so a deadline bounds them;
	// true regular files take none (os.ErrNoDeadline) and never block.
	_ = f.SetReadDeadline(time.Now().Add(readTimeout))
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		return nil, nil, errTooLarge
	}
	return data, fi, nil
}

// describeMode names a file type for a person.
func describeMode(m fs.FileMode) string {
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

// readProblem says in one line why a file could not be read, and the fix,
// without the path (the caller's Error names it).
func readProblem(err error, limit int64, what string) (string, error) {
	var nr notRegularError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist: check the path", ErrNotFound
	case errors.As(err, &nr):
		return fmt.Sprintf("is %s, not a regular file: give the %s itself", describeMode(nr.mode), what), ErrUnsafe
	case errors.Is(err, errTooLarge):
		return fmt.Sprintf("is larger than %d KiB, too large for a %s: check the path", limit>>10, what), ErrUnsafe
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Sprintf("did not finish reading within %v, which a %s always does: check the path", readTimeout, what), ErrUnsafe
	case errors.Is(err, fs.ErrPermission):
		return "cannot be read (permission denied): check the file's owner and mode", ErrUnsafe
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Sprintf("cannot be read (%v): check the path", err), ErrUnsafe
}
