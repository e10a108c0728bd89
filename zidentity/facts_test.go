package zidentity

import (
	"regexp"
	"testing"
	"time"
)

// frontEndHint matches what only a front end may say: a zconn command line,
// one of its flags, or a key of the terminal interface.
var frontEndHint = regexp.MustCompile(`zconn (new|add|list|edit|test|use|doctor|secrets)\b|--(rotate-secret|timeout|secrets)\b|Connections page|\bpress [a-z]\b`)

func TestErrorsStateFactsOnly(t *testing.T) {
	for c := Unknown; int(c) < len(categoryNames); c++ {
		t.Run(c.String(), func(t *testing.T) {
			e := &Error{Category: c, Host: "acme.zslogin.net", Status: 500, Timeout: time.Second, Detail: "detail"}
			if msg := e.Error(); frontEndHint.MatchString(msg) {
				t.Errorf("got %q; want no zconn command, flag or key in it", msg)
			}
		})
	}
}
