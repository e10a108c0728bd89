// Package zidentity proves that ZIdentity API client credentials work: it
// turns whatever an admin pastes into a tenant, builds the token URL for the
// tenant's cloud, requests a token with the OAuth 2.0 client credentials
// grant (by client secret, or by an assertion signed with a private key),
// asks the users API whether the client may manage users, and explains
// every failure in one line that states what happened.
//
// It is shaped like golang.org/x/oauth2/clientcredentials: a small Client,
// methods that take a context first, and one typed *Error. Nothing a
// server sends reaches a message before it is cleaned and stripped of the
// credentials, in whatever encoding the server echoed them.
package zidentity
