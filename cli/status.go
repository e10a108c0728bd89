package cli

import (
	"fmt"
	"github.com/zconn/zconn/internal/humantime"
	"strings"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// status describes a connection's last verification for a person, such as
// "verified 2h ago", "failed: rejected" or "never verified".
func status(c store.Connection, now time.Time) string {
	v := c.Verification
	switch {
	case v == nil:
		return "never verified"
	case v.OK && !v.HasProduct(zidentity.ZIAM):
		return "verified " + humantime.Ago(v.At, now) + ", no ZIAM"
	case v.OK:
		return "verified " + humantime.Ago(v.At, now)
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
