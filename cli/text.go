package cli

import (
	"fmt"
	"strings"

	"github.com/zconn/zconn/internal/safetext"
)

// plural writes n with a noun in the right number.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// shellArg quotes a name for a command line a person may copy, when it
// needs quoting; control characters are dropped first.
func shellArg(s string) string {
	s = safetext.Clean(s, 0)
	if s != "" && !strings.ContainsAny(s, " \t'\"$`\\!*?[](){}<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
