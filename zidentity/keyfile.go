package zidentity

import (
	"github.com/zconn/zconn/internal/regularfile"
)

// KeyFileWhat is what a private key's file should be, as the messages
// about one name it.
const KeyFileWhat = "private key's PEM file"

// KeyFileError means a private key's file could not be read. Problem says
// why, and the fix, without the path: the front end names the file (its
// flag or field) and adds its own hint.
type KeyFileError struct {
	Problem regularfile.Problem
	Err     error
}

// Error says why, after "the key file".
func (e *KeyFileError) Error() string { return "the key file " + e.Problem.String() }

// Unwrap returns the cause (fs.ErrNotExist, regularfile.ErrTooLarge, ...).
func (e *KeyFileError) Unwrap() error { return e.Err }

// ReadKeyFile reads and parses the private key file at path: a regular
// file of at most MaxKeyText bytes (regularfile.Read), only read, never
// changed and never copied anywhere. A file that cannot be read gives a
// *KeyFileError; one that holds no key zconn can use gives
// ParsePrivateKey's error. Neither holds any of the file's text.
func ReadKeyFile(path string) (*PrivateKey, error) {
	data, _, err := regularfile.Read(path, MaxKeyText)
	if err != nil {
		return nil, &KeyFileError{Problem: regularfile.Explain(err, MaxKeyText, KeyFileWhat), Err: err}
	}
	defer clear(data)
	return ParsePrivateKey(data)
}
