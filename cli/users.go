package cli

import (
	"time"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// skipUsersUsage is the help of --skip-users-check.
const skipUsersUsage = "skip the read-only call to the users API that proves the API client may manage users (recorded as not_checked)"

// checking returns a manager for a command that verifies credentials
// (see verifying): without the users check when skipUsers
// (--skip-users-check), which is then recorded as not_checked.
func (f *factory) checking(timeout time.Duration, skipUsers bool) (*manager.Manager, error) {
	m, err := f.verifying(timeout)
	if err == nil && skipUsers {
		m.Users = nil
	}
	return m, err
}

// usersText words what the users check of a verification found, for the
// line that sums a verification up: "user management proven", "no user
// management", ...; "" when no check was recorded.
func usersText(v *store.Verification) string {
	if v == nil {
		return ""
	}
	switch zidentity.UserManagement(v.UserManagement) {
	case zidentity.UsersOK:
		return "user management proven"
	case zidentity.UsersForbidden:
		return "no user management"
	case zidentity.UsersUnauthorized, zidentity.UsersUnavailable:
		return "user management not proven"
	case zidentity.UsersNotChecked:
		return "user management not checked"
	}
	return ""
}

// verifiedSummary is tokenSummary followed by what the users check of the
// connection's last verification found.
func verifiedSummary(tok *zidentity.Token, c store.Connection) string {
	s := tokenSummary(tok)
	if u := usersText(c.Verification); u != "" {
		s += ", " + u
	}
	return s
}

// warnUsers says on stderr what the users check of the connection's last
// verification found, when a person must act on it: a role without user
// management (unless the token lacks ZIAM, which warnZIAM says with the
// same fix), a token the API refused, or an API that could not be asked.
func (f *factory) warnUsers(c store.Connection) {
	s := manager.StatusOf(c)
	if s.Kind != manager.Verified {
		return
	}
	switch s.UserManagement {
	case zidentity.UsersForbidden:
		if s.Concern() == manager.ConcernNoUserManagement {
			say(f.sys.Stderr, "warning: %s", s.UserManagement.Warning())
		}
	case zidentity.UsersUnauthorized:
		say(f.sys.Stderr, "warning: %s", s.UserManagement.Warning())
	case zidentity.UsersUnavailable:
		if u, err := f.usersURL(c); err == nil {
			say(f.sys.Stderr, "warning: the ZIdentity API at %s could not be asked, so user management is not proven: try zconn test %s later, or run zconn doctor", u.Host, shellArg(c.Name))
			return
		}
		say(f.sys.Stderr, "warning: %s", s.UserManagement.Warning())
	}
}
