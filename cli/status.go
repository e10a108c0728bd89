package cli

import (
	"fmt"
	"time"

	"github.com/zconn/zconn/internal/humantime"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
)

// statusText words a connection's status for the commands' output, such
// as "verified 2h ago", "failed: rejected" or "never verified".
func statusText(s manager.Status, now time.Time) string {
	switch s.Kind {
	case manager.NeverVerified:
		return "never verified"
	case manager.Verified:
		text := "verified " + humantime.Ago(s.At, now)
		switch s.Concern() {
		case manager.ConcernNoZIAM:
			text += ", no ZIAM"
		case manager.ConcernNoUserManagement:
			text += ", no user management"
		case manager.ConcernUsersUnproven:
			text += ", user management not proven"
		}
		return text
	}
	if f := s.Failure(); f != "" {
		return "failed: " + f
	}
	return "failed"
}

// expiryText words where a secret stands against its expiry date, such as
// "expires in 5 days" or "expired"; it is empty when no date was recorded.
func expiryText(e store.Expiry) string {
	switch e.State {
	case store.SecretExpired:
		return "expired"
	case store.SecretExpiring:
		switch e.Days {
		case 0:
			return "expires today"
		case 1:
			return "expires tomorrow"
		}
		return fmt.Sprintf("expires in %d days", e.Days)
	case store.SecretValid:
		return "expires " + e.Date.String()
	}
	return ""
}
