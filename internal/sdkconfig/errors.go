package sdkconfig

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/zconn/zconn/internal/safetext"
)

// The categories of Error. Test them with errors.Is.
var (
	// ErrNotFound: no setup here. No variable is set, the file does not
	// exist, or it has no zscaler.client credentials.
	ErrNotFound = errors.New("no setup found")
	// ErrNoSecret: the setup names a client but holds neither a client
	// secret nor a private key, as a file does once RemoveSecret ran.
	ErrNoSecret = errors.New("no secret or private key")
	// ErrIncomplete: the setup holds a secret but lacks the client ID or
	// the vanity domain.
	ErrIncomplete = errors.New("incomplete setup")
	// ErrConflict: two settings contradict each other, such as a client
	// secret and a private key, or a key written twice.
	ErrConflict = errors.New("conflicting settings")
	// ErrInvalid: the file or a value is not what the SDKs read: not YAML,
	// a value of the wrong type, an alias, a key that is not PEM.
	ErrInvalid = errors.New("invalid setup")
	// ErrUnsafe: the file is not a regular file, is too large, or cannot be
	// rewritten without leaving the secret somewhere.
	ErrUnsafe = errors.New("unsafe file")
	// ErrChanged: the file changed after it was read; nothing was written.
	ErrChanged = errors.New("file changed since it was read")
	// ErrNoPlaintext: the file holds no secret to remove (none left, or the
	// private key is a path to a key file).
	ErrNoPlaintext = errors.New("no plaintext secret in the file")
	// ErrWrite: the new file could not be written or put in place; the file
	// is unchanged.
	ErrWrite = errors.New("cannot write the file")
)

// Environment is the Where of setups and errors that come from environment
// variables.
const Environment = "the environment"

// Error is a problem with one setup. Its message is one line that names the
// place (a file, or the environment), the line when known, what is wrong
// and the fix. It never holds a secret or a value read from a file.
type Error struct {
	// Where is the file's path, or Environment.
	Where string
	// Line is the line in the file the problem is on; 0 when unknown.
	Line int
	// Msg says what is wrong and the fix.
	Msg string
	// Category is one of the Err* values above.
	Category error
	// Err is the underlying cause (a file system error), or nil.
	Err error
}

// Error returns "where[, line N]: message", cleaned of control characters
// so that it stays one line whatever the paths hold.
func (e *Error) Error() string {
	where := safetext.Clean(e.Where, 0)
	if e.Line > 0 {
		where += fmt.Sprintf(", line %d", e.Line)
	}
	return where + ": " + safetext.Clean(e.Msg, 0)
}

// Unwrap returns the category and the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Category}
	}
	return []error{e.Category, e.Err}
}

func newError(where string, line int, category error, format string, args ...any) *Error {
	return &Error{Where: where, Line: line, Category: category, Msg: fmt.Sprintf(format, args...)}
}

// quoted matches what yaml.v3 quotes in its messages (anchor names, keys,
// value prefixes), all of which come from the file and may be a secret.
// It is compiled on first use, not when zconn starts.
var quoted = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("'[^']*'|\"[^\"]*\"|`[^`]*`") })

// yamlProblem turns a yaml.v3 error into one line without anything quoted
// from the file.
func yamlProblem(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:", "")
	msg = quoted().ReplaceAllString(msg, "")
	msg = strings.Join(strings.Fields(msg), " ")
	return safetext.Clean(msg, 120)
}
