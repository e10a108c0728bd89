// Package humanpath shows file paths as people read them: a path under the
// home folder as ~/... (~\... on Windows), as shells write it. It is for
// messages and screens, never for JSON or anything a program reads back;
// CutHome reads the ~ that people type.
package humanpath

import (
	"path/filepath"
	"strings"
)

// Tilde shows path under the home folder home as ~ followed by the rest
// of it ("~/.config/zconn/vault.age"), and home itself as ~. A relative
// path, one outside home, an empty home, and a home that is the root of
// the file system (HOME=/ for a service account) leave path as it is.
func Tilde(path, home string) string {
	if !usable(home) || !filepath.IsAbs(path) {
		return path
	}
	rel, err := filepath.Rel(home, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	if rel == "." {
		return "~"
	}
	return "~" + string(filepath.Separator) + rel
}

// CutHome reads a path a person typed that starts with the home folder's
// ~: ~ alone, or ~ and a separator (~/, and ~\ where \ separates). It
// returns the rest, to join to the home folder, and whether p so starts.
func CutHome(p string) (rest string, ok bool) {
	if p == "~" {
		return "", true
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return rest, true
	}
	if filepath.Separator != '/' {
		return strings.CutPrefix(p, "~"+string(filepath.Separator))
	}
	return "", false
}

// TildeIn shows the paths under home in a message with ~, as Tilde does:
// home followed by a separator becomes ~ and the separator where it starts
// a path (at the start of msg, or after a character no path name holds
// there, such as a space, a quote or a parenthesis).
func TildeIn(msg, home string) string {
	if !usable(home) {
		return msg
	}
	sep := string(filepath.Separator)
	prefix := strings.TrimSuffix(filepath.Clean(home), sep) + sep
	var b strings.Builder
	for {
		i := strings.Index(msg, prefix)
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		b.WriteString(msg[:i])
		if i == 0 || startsPath(msg[i-1]) {
			b.WriteString("~" + sep)
		} else {
			b.WriteString(prefix)
		}
		msg = msg[i+len(prefix):]
	}
}

// usable reports whether home can stand for ~: set, absolute, and not the
// root of the file system.
func usable(home string) bool {
	if home == "" || !filepath.IsAbs(home) {
		return false
	}
	clean := filepath.Clean(home)
	return filepath.Dir(clean) != clean
}

// startsPath reports whether a path may start right after c: c is none of
// the characters a path's name holds.
func startsPath(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c >= 0x80:
		return false
	}
	return !strings.ContainsRune(`/\.-_~:`, rune(c))
}
