// Package zidentity proves that ZIdentity API client credentials work: it
// turns whatever an admin pastes into a tenant, builds the token URL for the
// tenant's cloud, requests a token with the OAuth 2.0 client credentials
// grant, and explains every failure in one line that names the fix.
//
// It is shaped like golang.org/x/oauth2/clientcredentials: a small Client,
// methods that take a context first, and one typed *Error.
package zidentity
