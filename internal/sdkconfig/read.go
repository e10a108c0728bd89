package sdkconfig

import (
	"errors"
	"io/fs"

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
	msg := regularfile.Explain(err, limit, what).String()
	if errors.Is(err, fs.ErrNotExist) {
		return msg, ErrNotFound
	}
	return msg, ErrUnsafe
}
