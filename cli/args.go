package cli

import (
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// flagError turns a flag parsing error into a usage error that says where
// the flags are described.
func flagError(c *cobra.Command, err error) error {
	return usagef("%v: run %s --help for the flags", err, c.CommandPath())
}

// args returns a validator for between min and max positional arguments
// (max < 0: any number), whose errors show the usage line.
func args(min, max int) cobra.PositionalArgs {
	return func(c *cobra.Command, a []string) error {
		switch {
		case len(a) < min:
			return usagef("missing %s: usage is %s", missingWhat(c, len(a)), useLine(c))
		case max >= 0 && len(a) > max:
			if max == 0 && !c.HasParent() {
				return usagef("unknown command %q: run zconn --help to see the commands", a[0])
			}
			return usagef("too many arguments (%s): usage is %s", strings.Join(a[max:], " "), useLine(c))
		}
		return nil
	}
}

// missingWhat names the first missing argument from the command's Use.
func missingWhat(c *cobra.Command, have int) string {
	words := strings.Fields(c.Use)[1:]
	if have < len(words) {
		w := strings.Trim(words[have], "[]")
		switch w {
		case "NAME", "OLD":
			return "the connection's name"
		case "NEW":
			return "the new name"
		}
		return w
	}
	return "an argument"
}

func useLine(c *cobra.Command) string {
	return strings.TrimSuffix(c.UseLine(), " [flags]")
}

// nameArg returns the optional NAME argument.
func nameArg(a []string) string {
	if len(a) > 0 {
		return a[0]
	}
	return ""
}

// checkTimeout refuses a --timeout that is not positive.
func checkTimeout(d time.Duration) error {
	if d <= 0 {
		return usagef("--timeout %s is not positive: give a duration such as 15s or 1m", d)
	}
	return nil
}
