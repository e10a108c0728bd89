package cli

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
)

// clean is safetext.Clean with a fast path for text that is clean already:
// printable ASCII with single inner spaces, within max characters. Names
// and descriptions almost always are, and list cleans thousands of them.
func clean(s string, max int) string {
	if max > 0 && len(s) > max || !plainASCII(s) {
		return safetext.Clean(s, max)
	}
	return s
}

// plainASCII reports whether s is printable ASCII without leading,
// trailing or doubled spaces.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
		case c < 0x21 || c > 0x7e:
			return false
		}
	}
	return true
}

// width returns how many terminal cells s takes.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// plural writes n with a noun in the right number.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
