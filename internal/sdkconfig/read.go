package sdkconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/zconn/zconn/internal/regularfile"
)

// MaxFileSize is the most bytes read of an SDK YAML file; an SDK
// configuration is a few hundred bytes.
const MaxFileSize = 1 << 20

// MaxKeySize is the most bytes read of a private key file; a 16384-bit RSA
// key in PEM is about 13 KB.
const MaxKeySize = 64 << 10

// readRegular reads the regular file at path, as regularfile.Read does:
// following symbolic links (the file is the user's own configuration, and
// the SDKs follow them too), refusing anything but a regular file without
// blocking, and reading at most limit bytes.
func readRegular(path string, limit int64) ([]byte, fs.FileInfo, error) {
	return regularfile.Read(path, limit)
}

// readProblem says in one line why a file could not be read, and the fix,
// without the path (the caller's Error names it).
func readProblem(err error, limit int64, what string) (string, error) {
	var nr *regularfile.NotRegularError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist: check the path", ErrNotFound
	case errors.As(err, &nr):
		return fmt.Sprintf("is %s, not a regular file: give the %s itself", regularfile.Describe(nr.Mode), what), ErrUnsafe
	case errors.Is(err, regularfile.ErrTooLarge):
		return fmt.Sprintf("is larger than %d KiB, too large for a %s: check the path", limit>>10, what), ErrUnsafe
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Sprintf("did not finish reading within %v, which a %s always does: check the path", regularfile.ReadTimeout, what), ErrUnsafe
	case errors.Is(err, fs.ErrPermission):
		return "cannot be read (permission denied): check the file's owner and mode", ErrUnsafe
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Sprintf("cannot be read (%v): check the path", err), ErrUnsafe
}
