package sdkconfig

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/zconn/zconn/internal/humanpath"
)

// keyForm is what a privateKey or ZSCALER_PRIVATE_KEY value holds.
type keyForm int

const (
	keyPEM  keyForm = iota // the PEM text itself
	keyJWK                 // a JSON Web Key, which the Python SDK also takes
	keyPath                // the path of a key file
	keyJunk                // several lines that are not PEM
)

// classifyKey tells the PEM itself from a path. The Python SDK looks for
// "BEGIN PRIVATE KEY" (PKCS#8 only); zconn takes any PEM block here, so that
// a PKCS#1 key (BEGIN RSA PRIVATE KEY), which the Go SDK's README shows,
// is not mistaken for a path. Whether it is a usable key is checked when
// the credentials are verified.
func classifyKey(v string) keyForm {
	t := strings.TrimSpace(v)
	switch {
	case strings.Contains(t, "-----BEGIN"):
		return keyPEM
	case strings.HasPrefix(t, "{"):
		return keyJWK
	case strings.ContainsAny(t, "\r\n"):
		return keyJunk
	}
	return keyPath
}

// loadKey returns the PEM text a private key value stands for and, when it
// named a key file, that file's absolute path. name is the setting's name
// for messages. The returned *Error's Where and Line are for the caller to
// set. No message holds the value: a value that is neither PEM nor an
// existing file may be a secret pasted in the wrong place.
func loadKey(v, name, home, dir string) (pemText, path string, e *Error) {
	switch classifyKey(v) {
	case keyPEM:
		return v, "", nil
	case keyJWK:
		return "", "", &Error{Category: ErrInvalid, Msg: name + " holds a JSON Web Key: zconn takes PEM keys; convert it to PEM"}
	case keyJunk:
		return "", "", &Error{Category: ErrInvalid, Msg: name + " is neither a PEM key nor the path of a key file: paste the PEM, from -----BEGIN to -----END"}
	}
	path, ok := resolveKeyPath(strings.TrimSpace(v), home, dir)
	if !ok {
		return "", "", &Error{Category: ErrInvalid, Msg: name + " is not PEM text and names a key file relative to a folder that is unknown here: write the key file's full path"}
	}
	data, _, err := readRegular(path, MaxKeySize)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			msg := name + " is not PEM text, and no key file exists at the path it names"
			if !filepath.IsAbs(strings.TrimSpace(v)) {
				msg += " (a relative path is read from the current folder, " + dir + ", as the Python SDK reads it)"
			}
			// The wrapped error is the bare fs.ErrNotExist: a *PathError
			// would carry the value.
			return "", "", &Error{Category: ErrInvalid, Err: fs.ErrNotExist, Msg: msg + ": write the PEM or the key file's full path"}
		}
		msg, category := readProblem(err, MaxKeySize, "PEM key file")
		return "", "", &Error{Category: category, Err: err, Msg: "the key file " + path + " that " + name + " names " + msg}
	}
	if !strings.Contains(string(data), "-----BEGIN") {
		return "", "", &Error{Category: ErrInvalid, Msg: "the key file " + path + " that " + name + " names is not a PEM key: name the private key's .pem file"}
	}
	return string(data), path, nil
}

// resolveKeyPath makes a key file's path absolute: ~/ means home, and a
// relative path is read from dir, the working directory.
func resolveKeyPath(p, home, dir string) (string, bool) {
	if rest, ok := humanpath.CutHome(p); ok {
		if home == "" {
			return "", false
		}
		return filepath.Join(home, rest), true
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p), true
	}
	if dir == "" {
		return "", false
	}
	return filepath.Join(dir, p), true
}
