package zidentity

import (
	"context"
	"io"
	"net/http"
	"strings"
)

// UsersPath is the path of the ZIdentity users list in Zscaler's OneAPI.
const UsersPath = "/ziam/admin/api/v1/users"

// maxDrained is the most of a users answer read, unseen, so that the
// connection can be used again; the rest is dropped with the connection.
const maxDrained = 64 << 10

// UserManagement is what the users check found out about the API client's
// right to manage ZIdentity users. Its values are the names scripts read
// in JSON and never change.
type UserManagement string

// The outcomes of the users check.
const (
	// UsersOK: the users API answered 200, so the client's role may read
	// users.
	UsersOK UserManagement = "ok"
	// UsersForbidden: 403, the client's role lacks user management.
	UsersForbidden UserManagement = "forbidden"
	// UsersUnauthorized: 401, the API did not accept the token.
	UsersUnauthorized UserManagement = "unauthorized"
	// UsersUnavailable: the API could not be reached, failed (5xx) or gave
	// another answer; the check proves nothing either way.
	UsersUnavailable UserManagement = "unavailable"
	// UsersNotChecked: no check was made (skipped, or no token); callers
	// record it, CheckUserManagement never returns it but for a missing
	// token.
	UsersNotChecked UserManagement = "not_checked"
)

// String returns the outcome's name.
func (u UserManagement) String() string { return string(u) }

// Warning returns what a person should be told about the outcome, or ""
// when there is nothing to say (ok, not_checked).
func (u UserManagement) Warning() string {
	switch u {
	case UsersForbidden:
		return "the API client's role lacks user management: in the ZIdentity portal, Integration > API Clients > this client > Resources > Scopes > ZIAM, choose an admin role with user management"
	case UsersUnauthorized:
		return "the ZIdentity API did not accept the token, so user management is not proven: check that the API client has the ZIAM scope"
	case UsersUnavailable:
		return "the ZIdentity API could not be asked, so user management is not proven: try again later"
	}
	return ""
}

// APIBaseURL returns the base URL of Zscaler's OneAPI for a cloud:
// https://api.zsapi.net for production, https://api.<cloud>.zsapi.net for
// another cloud, https://api.zscalergov.net for gov and
// https://api.zscalergov.us for govus, as Zscaler's SDKs build it. A cloud
// that is not Known still stays under zsapi.net, Zscaler's own domain.
func APIBaseURL(c Cloud) string {
	switch {
	case c.IsProduction():
		return "https://api.zsapi.net"
	case c == Gov:
		return "https://api.zscalergov.net"
	case c == GovUS:
		return "https://api.zscalergov.us"
	}
	return "https://api." + string(c) + ".zsapi.net"
}

// UsersURL returns the URL the users check asks: under Client.APIBaseURL
// when set (ZCONN_API_URL), else under Client.BaseURL when set
// (ZCONN_ZIDENTITY_URL, so a local test server answers both), else under
// the cloud's APIBaseURL.
func (c *Client) UsersURL(t Tenant) (string, error) {
	base := APIBaseURL(t.Cloud)
	switch {
	case c.APIBaseURL != "":
		u, err := ParseAPIBaseURL(c.APIBaseURL)
		if err != nil {
			return "", err
		}
		base = u.String()
	case c.BaseURL != "":
		u, err := ParseBaseURL(c.BaseURL)
		if err != nil {
			return "", err
		}
		base = u.String()
	}
	return base + UsersPath + "?limit=1", nil
}

// CheckUserManagement proves, with one read-only request, whether the API
// client may manage ZIdentity users: GET {API base}/ziam/admin/api/v1/users
// ?limit=1 with the access token. The answer lists a person, so only its
// status is read; the body is dropped unseen. With the same timeout, proxy,
// TLS trust and refusal of redirects as Token.
//
// 200 gives UsersOK, 403 UsersForbidden, 401 UsersUnauthorized, each with
// a nil error: none is a failure of the credentials. Anything else gives
// UsersUnavailable with an *Error that says why (CannotConnect, Timeout,
// ServiceError, RateLimited, Redirected, UnexpectedStatus, ...) and never
// holds the token.
func (c *Client) CheckUserManagement(ctx context.Context, t Tenant, accessToken string) (UserManagement, error) {
	if strings.TrimSpace(accessToken) == "" {
		return UsersNotChecked, &Error{Category: Invalid, Detail: "no access token to check user management with"}
	}
	usersURL, err := c.UsersURL(t)
	if err != nil {
		return UsersUnavailable, &Error{Category: Invalid, Detail: err.Error()}
	}
	host := hostOfURL(usersURL)
	timeout := c.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, usersURL, nil)
	if err != nil {
		return UsersUnavailable, &Error{Category: Invalid, Host: host, Detail: "cannot build the users request"}
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "zconn")

	red := newRedactor(accessToken)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return UsersUnavailable, classifyTransport(ctx, err, host, timeout, red)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrained))
	_ = resp.Body.Close()

	switch s := resp.StatusCode; {
	case s == http.StatusOK:
		return UsersOK, nil
	case s == http.StatusForbidden:
		return UsersForbidden, nil
	case s == http.StatusUnauthorized:
		return UsersUnauthorized, nil
	}
	return UsersUnavailable, otherStatus(resp, host, red, c.now())
}
