package manager

import (
	"context"
	"errors"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// UsersChecker proves, with an access token, whether an API client may
// manage ZIdentity users: one read-only request to the users API, whose
// answer is never kept. *zidentity.Client is one.
type UsersChecker interface {
	CheckUserManagement(ctx context.Context, t zidentity.Tenant, accessToken string) (zidentity.UserManagement, error)
}

// checkUsers makes the users check with a token a verification just
// obtained. It never fails the verification: whatever the users API says,
// or fails to say, is only recorded. No check is made (UsersNotChecked)
// without a checker or a token, and a check the caller canceled counts as
// not made.
func (m *Manager) checkUsers(ctx context.Context, c store.Connection, tok *zidentity.Token) zidentity.UserManagement {
	if m.Users == nil || tok == nil {
		return zidentity.UsersNotChecked
	}
	u, err := m.Users.CheckUserManagement(ctx, Tenant(c), tok.AccessToken)
	switch {
	case errors.Is(ctx.Err(), context.Canceled), zidentity.CategoryOf(err) == zidentity.Canceled:
		return zidentity.UsersNotChecked
	case u == "":
		return zidentity.UsersUnavailable
	}
	return u
}
