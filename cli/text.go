package cli

import (
	"fmt"
	"io"
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

// say writes one line for people to w: format, with every string, error
// and Stringer argument cleaned (safetext.Clean: no escape sequences,
// control characters or line breaks), whatever its source (the metadata
// file, a server, the environment). Every line the commands print for
// people goes through say, the doctor's report or the table writer, which
// clean what they show the same way.
func say(w io.Writer, format string, a ...any) {
	for i, v := range a {
		switch s := v.(type) {
		case string:
			a[i] = safetext.Clean(s, 0)
		case error:
			a[i] = safetext.Clean(s.Error(), 0)
		case fmt.Stringer:
			a[i] = safetext.Clean(s.String(), 0)
		}
	}
	fmt.Fprintf(w, format+"\n", a...)
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
