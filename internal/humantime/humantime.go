// Package humantime words times and durations the way people say them, the
// same in the TUI and the commands.
package humantime

import (
	"fmt"
	"time"
)

// Ago says how long before now t was, coarsely: "just now", "5m ago",
// "2h ago", "3d ago", then "on 2026-01-31" after 60 days. A time after now
// (a clock that moved back) is "just now".
func Ago(t, now time.Time) string {
	switch d := now.Sub(t); {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	}
	return "on " + t.Format("2006-01-02")
}

// Lifetime says how long a token lives: "1 hour", "90 minutes", "24
// hours", or Go's own form ("1m30s") for what is not whole minutes.
func Lifetime(d time.Duration) string {
	switch {
	case d <= 0:
		return "not stated"
	case d%time.Hour == 0:
		return Plural(int(d/time.Hour), "hour")
	case d%time.Minute == 0:
		return Plural(int(d/time.Minute), "minute")
	}
	return d.Round(time.Second).String()
}

// Plural writes n and the unit, with an s when n is not 1.
func Plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
