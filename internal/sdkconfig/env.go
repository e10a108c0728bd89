package sdkconfig

import (
	"strings"
)

// The variables FromEnv reads, and zconn env and exec set. The Go SDK and
// Terraform read ZPA_CUSTOMER_ID and ZPA_MICROTENANT_ID; the Python SDK
// reads ZSCALER_CUSTOMER_ID and ZSCALER_MICROTENANT_ID.
const (
	EnvClientID           = "ZSCALER_CLIENT_ID"
	EnvClientSecret       = "ZSCALER_CLIENT_SECRET"
	EnvPrivateKey         = "ZSCALER_PRIVATE_KEY"
	EnvVanityDomain       = "ZSCALER_VANITY_DOMAIN"
	EnvCloud              = "ZSCALER_CLOUD"
	EnvZPACustomerID      = "ZPA_CUSTOMER_ID"
	EnvCustomerID         = "ZSCALER_CUSTOMER_ID"
	EnvZPAMicrotenantID   = "ZPA_MICROTENANT_ID"
	EnvMicrotenantID      = "ZSCALER_MICROTENANT_ID"
	EnvPartnerID          = "ZSCALER_PARTNER_ID"
	envSecretAlternatives = EnvClientSecret + " or " + EnvPrivateKey
)

// EnvNames lists the variables in the order Setup.Variables reports them.
var EnvNames = [...]string{EnvClientID, EnvClientSecret, EnvPrivateKey, EnvVanityDomain, EnvCloud, EnvZPACustomerID, EnvCustomerID, EnvZPAMicrotenantID, EnvMicrotenantID, EnvPartnerID}

// FromEnv reads a setup from environment variables through getenv
// (os.Getenv in the program, a map in tests): ZSCALER_CLIENT_ID;
// ZSCALER_CLIENT_SECRET or ZSCALER_PRIVATE_KEY; ZSCALER_VANITY_DOMAIN and
// ZSCALER_CLOUD; ZPA_CUSTOMER_ID, else ZSCALER_CUSTOMER_ID; ZPA_MICROTENANT_ID,
// else ZSCALER_MICROTENANT_ID; ZSCALER_PARTNER_ID. An empty variable counts
// as unset.
//
// ZSCALER_PRIVATE_KEY holds the PEM itself (as the Go SDK reads it) or the
// path of a PEM key file (as the Python SDK also reads it); a relative path
// is read from cwd, the working directory, and ~/ is home.
//
// Every error is an *Error whose Where is Environment. When neither
// ZSCALER_CLIENT_ID nor a secret variable is set, the error is ErrNotFound;
// a client ID without a secret is ErrNoSecret; a secret without the client
// ID or the vanity domain is ErrIncomplete, naming the missing variable.
// Both secret variables set, or two customer (or microtenant) IDs that
// differ, is ErrConflict.
func FromEnv(getenv func(string) string, home, cwd string) (*Setup, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	secret, key := getenv(EnvClientSecret), getenv(EnvPrivateKey)
	hasSecret, hasKey := strings.TrimSpace(secret) != "", strings.TrimSpace(key) != ""
	s := &Setup{
		ClientID:     get(EnvClientID),
		VanityDomain: get(EnvVanityDomain),
		Cloud:        get(EnvCloud),
		PartnerID:    get(EnvPartnerID),
	}
	for _, name := range EnvNames {
		if get(name) != "" {
			s.Variables = append(s.Variables, name)
		}
	}
	envError := func(category error, msg string) (*Setup, error) {
		return nil, &Error{Where: Environment, Category: category, Msg: msg}
	}
	switch {
	case hasSecret && hasKey:
		return envError(ErrConflict, "both "+EnvClientSecret+" and "+EnvPrivateKey+" are set: unset the one this API client does not use")
	case !hasSecret && !hasKey:
		if s.ClientID == "" {
			return envError(ErrNotFound, "no "+EnvClientID+", "+envSecretAlternatives+" is set")
		}
		return envError(ErrNoSecret, EnvClientID+" is set but neither "+envSecretAlternatives+" is: set the one this API client uses")
	case s.ClientID == "":
		return envError(ErrIncomplete, EnvClientID+" is not set: set it to the API client's ID from Integration > API Clients")
	case s.VanityDomain == "":
		return envError(ErrIncomplete, EnvVanityDomain+" is not set: set it to the tenant's vanity domain (acme for acme.zslogin.net)")
	}
	var ok bool
	if s.CustomerID, ok = either(get(EnvZPACustomerID), get(EnvCustomerID)); !ok {
		return envError(ErrConflict, EnvZPACustomerID+" and "+EnvCustomerID+" differ: make them equal or unset one")
	}
	if s.MicrotenantID, ok = either(get(EnvZPAMicrotenantID), get(EnvMicrotenantID)); !ok {
		return envError(ErrConflict, EnvZPAMicrotenantID+" and "+EnvMicrotenantID+" differ: make them equal or unset one")
	}
	if hasSecret {
		s.Kind, s.Secret = ClientSecret, NewSecret(secret)
		return s, nil
	}
	pemText, keyPath, err := loadKey(key, EnvPrivateKey, home, cwd)
	if err != nil {
		err.Where = Environment
		return nil, err
	}
	s.Kind, s.Secret, s.KeyPath = PrivateKey, NewSecret(pemText), keyPath
	return s, nil
}

// either returns a, else b; ok is false when both are set and differ.
func either(a, b string) (v string, ok bool) {
	if a != "" && b != "" && a != b {
		return "", false
	}
	if a != "" {
		return a, true
	}
	return b, true
}
