package regularfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/zconn/zconn/internal/safetext"
)

// Problem says why Read failed, for a person: the fact, worded to follow
// the file's name, and the fix that holds whoever asked. Neither holds the
// path or any of the file's text; the front end names the file (its flag,
// its field) and may add its own hint.
type Problem struct {
	// Fact is what is wrong: "does not exist", "is a named pipe, not a
	// regular file".
	Fact string
	// Fix is what to do: "check the path".
	Fix string
}

// String joins the fact and the fix: "does not exist: check the path".
func (p Problem) String() string { return p.Fact + ": " + p.Fix }

// Explain returns the Problem of err, an error of Read on a file that
// should be a what (such as "private key's PEM file") of at most limit
// bytes.
func Explain(err error, limit int64, what string) Problem {
	var nr *NotRegularError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Problem{"does not exist", "check the path"}
	case errors.As(err, &nr):
		return Problem{"is " + Describe(nr.Mode) + ", not a regular file", "give the " + what + " itself"}
	case errors.Is(err, ErrTooLarge):
		return Problem{fmt.Sprintf("is larger than %d KiB, too large for a %s", limit>>10, what), "check the path"}
	case errors.Is(err, os.ErrDeadlineExceeded):
		return Problem{fmt.Sprintf("did not finish reading within %v, which a %s always does", ReadTimeout, what), "check the path"}
	case errors.Is(err, fs.ErrPermission):
		return Problem{"cannot be read (permission denied)", "check the file's owner and mode"}
	}
	// The path is the front end's to show: keep the cause alone.
	return Problem{fmt.Sprintf("cannot be read (%s)", safetext.Clean(Cause(err), 200)), "check the path"}
}

// Cause is what a file operation's error says without the operation and
// the paths, which a message names already.
func Cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return err.Error()
}
