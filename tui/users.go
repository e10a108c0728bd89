package tui

import (
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/zidentity"
)

// usersCheck is what the users check of a verification found, as a row
// of the details and the verify pages shows it: a glyph and a tone that
// match the Connections page's, and the words, with the fix when there is
// one. retry is this page's way to check again ("press t to try again").
func usersCheck(u zidentity.UserManagement, retry string) label {
	switch u {
	case zidentity.UsersOK:
		return label{"✓", "proven: the ZIdentity users API answered the token", toneGood}
	case zidentity.UsersForbidden:
		// As grave as a token without ZIAM: the connector cannot manage
		// users with this client.
		return label{"⚠", u.Warning(), toneWarning}
	case zidentity.UsersUnauthorized:
		return label{"?", u.Warning(), tonePlain}
	case zidentity.UsersUnavailable:
		return label{"?", "the ZIdentity API could not be asked, so user management is not proven: " + retry, tonePlain}
	}
	return label{"·", "not checked: " + retry, tonePlain}
}

// verifiedUsersCheck is usersCheck on the pages that show a verification
// just made, in the app and at the accessible prompts: a refusal that a
// token without ZIAM explains says so, as the ZIAM warning they give
// beside it has the fix (manager.ConcernNoZIAM).
func verifiedUsersCheck(s manager.Status, retry string) label {
	if s.UserManagement == zidentity.UsersForbidden && s.Concern() == manager.ConcernNoZIAM {
		return label{"⚠", "not allowed: the token lacks ZIAM", toneWarning}
	}
	return usersCheck(s.UserManagement, retry)
}
