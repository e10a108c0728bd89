package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/zconn/zconn/store"
)

// status describes a connection's last verification for a person, such as
// "verified 2h ago", "failed: rejected" or "never verified".
func status(c store.Connection, now time.Time) string {
	v := c.Verification
	switch {
	case v == nil || (!v.OK && v.Category == store.CategoryUnverified):
		return "never verified"
	case v.OK:
		return "verified " + ago(v.At, now)
	case v.Category == "":
		return "failed"
	}
	return "failed: " + strings.ReplaceAll(v.Category, "_", " ")
}

// expiry describes where a connection's secret stands against its expiry
// date, such as "expires in 5 days" or "expired"; it is empty when no date
// was recorded.
func expiry(c store.Connection, now time.Time) string {
	switch c.SecretState(now) {
	case store.SecretExpired:
		return "expired"
	case store.SecretExpiring:
		switch days := c.SecretExpires.DaysFrom(now); days {
		case 0:
			return "expires today"
		case 1:
			return "expires tomorrow"
		default:
			return fmt.Sprintf("expires in %d days", days)
		}
	case store.SecretValid:
		return "expires " + c.SecretExpires.String()
	}
	return ""
}

// ago describes how long before now t was, coarsely: "just now", "5m
// ago", "2h ago", "3d ago", then the date after 60 days. A time after now
// (a clock that moved back) is "just now".
func ago(t, now time.Time) string {
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
	return "on " + t.Format(store.DateLayout)
}

// lifetime writes a duration briefly: "1h", "1h30m", "90s" as "1m30s".
func lifetime(d time.Duration) string {
	if d <= 0 {
		return "unknown"
	}
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
