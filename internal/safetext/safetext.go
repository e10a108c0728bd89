// Package safetext makes untrusted text safe to show on one terminal line:
// names, descriptions and messages quoted from servers.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Clean returns s without escape sequences, control characters or
// bidirectional overrides, with runs of white space folded into one space,
// trimmed, and cut to at most max runes (an ellipsis marks a cut). A max of
// zero or less means no limit.
func Clean(s string, max int) string {
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "\x1b\u009b") {
		s = ansi.Strip(s)
	}
	out := make([]rune, 0, len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = len(out) > 0
		case !printable(r):
		default:
			if space {
				out = append(out, ' ')
				space = false
			}
			out = append(out, r)
		}
	}
	if max > 0 && len(out) > max {
		out = append(out[:max-1], '…')
	}
	return string(out)
}

// Printable reports whether s holds no control characters, escape sequences,
// invalid UTF-8 or bidirectional overrides, as a name or description typed by
// a person should.
func Printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !printable(r) {
			return false
		}
	}
	return true
}

func printable(r rune) bool {
	return r != utf8.RuneError && !unicode.IsControl(r) &&
		!unicode.Is(unicode.Bidi_Control, r) && r != '\u2028' && r != '\u2029'
}
