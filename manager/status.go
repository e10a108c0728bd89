package manager

import (
	"strings"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// StatusKind says where a connection stands after its last verification.
type StatusKind int

// The status kinds.
const (
	// NeverVerified means no token was ever requested with the connection.
	NeverVerified StatusKind = iota
	// Verified means the last token request succeeded.
	Verified
	// Failed means the last token request failed.
	Failed
	// SecretMissing means the secrets backend no longer held the secret
	// when the connection was last tested.
	SecretMissing
)

// Status is a connection's standing after its last verification, for the
// front ends to render.
type Status struct {
	Kind StatusKind
	// At is when the last verification was made; zero with NeverVerified.
	At time.Time
	// NoZIAM is set when the connection verified but its token lacks ZIAM
	// (see LacksZIAM).
	NoZIAM bool
	// UserManagement is what the users check of the last verification
	// found (zidentity.UsersOK, UsersForbidden, UsersUnauthorized,
	// UsersUnavailable, UsersNotChecked); empty when none was recorded:
	// never verified, a failed verification, or one made before zconn
	// checked.
	UserManagement zidentity.UserManagement
	// NoUserManagement is set when the connection verified but the users
	// API refused its role (UsersForbidden): the API client cannot manage
	// users, a warning as grave as NoZIAM.
	NoUserManagement bool
	// Category is the failure's category name, such as "rejected"; empty
	// unless Failed, and when none was recorded.
	Category string
}

// StatusOf returns the status of a connection from its last verification.
func StatusOf(c store.Connection) Status { return VerificationStatus(c.Verification) }

// VerificationStatus returns the status a verification gives, nil being
// none, for a front end that holds a verification before it is saved.
func VerificationStatus(v *store.Verification) Status {
	switch {
	case v == nil:
		return Status{Kind: NeverVerified}
	case v.OK:
		um := zidentity.UserManagement(v.UserManagement)
		return Status{Kind: Verified, At: v.At, NoZIAM: LacksZIAM(v), UserManagement: um, NoUserManagement: um == zidentity.UsersForbidden}
	case v.Category == store.CategorySecretMissing:
		return Status{Kind: SecretMissing, At: v.At}
	}
	return Status{Kind: Failed, At: v.At, Category: v.Category}
}

// Concern is what a person should act on first about a connection that
// verified, of the warnings its last verification gives.
type Concern int

// The concerns, the graver first.
const (
	// NoConcern: none, or the connection did not verify.
	NoConcern Concern = iota
	// ConcernNoZIAM: the token lacks ZIAM, which also explains a users
	// check that was refused; its fix covers both.
	ConcernNoZIAM
	// ConcernNoUserManagement: the users API refused the API client's
	// role.
	ConcernNoUserManagement
	// ConcernUsersUnproven: the users API refused the token or could not
	// be asked (UsersUnproven).
	ConcernUsersUnproven
)

// Concern returns the one warning to give first: a missing ZIAM before a
// role without user management, before user management not proven.
func (s Status) Concern() Concern {
	switch {
	case s.Kind != Verified:
		return NoConcern
	case s.NoZIAM:
		return ConcernNoZIAM
	case s.NoUserManagement:
		return ConcernNoUserManagement
	case s.UsersUnproven():
		return ConcernUsersUnproven
	}
	return NoConcern
}

// UsersUnproven reports whether the connection verified but the users
// API did not say whether the client may manage users: it refused the
// token (unauthorized) or could not be asked (unavailable).
func (s Status) UsersUnproven() bool {
	return s.Kind == Verified && (s.UserManagement == zidentity.UsersUnauthorized || s.UserManagement == zidentity.UsersUnavailable)
}

// Failure names what failed in words, such as "rate limited" or "secret
// missing"; it is empty when the status is not a failure, or no category
// was recorded.
func (s Status) Failure() string {
	switch s.Kind {
	case SecretMissing:
		return "secret missing"
	case Failed:
		return strings.ReplaceAll(s.Category, "_", " ")
	}
	return ""
}

// LacksZIAM reports whether a successful verification's token lacks the
// ZIAM product, which managing ZIdentity users needs. A token that listed
// no products at all (one that is not a JWT) is given the benefit of the
// doubt.
func LacksZIAM(v *store.Verification) bool {
	return v != nil && v.OK && !v.HasProduct(zidentity.ZIAM)
}
