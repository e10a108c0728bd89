package sdkconfig

import (
	"os"
	"strings"
)

// The variables FromEnv reads. The Go SDK and Terraform read ZPA_CUSTOMER_ID
// and ZPA_MICROTENANT_ID; the Python SDK reads ZSCALER_CUSTOMER_ID and
// ZSCALER_MICROTENANT_ID.
const (
	envClientID           = "ZSCALER_CLIENT_ID"
	envClientSecret       = "ZSCALER_CLIENT_SECRET"
	envPrivateKey         = "ZSCALER_PRIVATE_KEY"
	envVanityDomain       = "ZSCALER_VANITY_DOMAIN"
	envCloud              = "ZSCALER_CLOUD"
	envZPACustomerID      = "ZPA_CUSTOMER_ID"
	envCustomerID         = "ZSCALER_CUSTOMER_ID"
	envZPAMicrotenantID   = "ZPA_MICROTENANT_ID"
	envMicrotenantID      = "ZSCALER_MICROTENANT_ID"
	envPartnerID          = "ZSCALER_PARTNER_ID"
	envSecretAlternatives = envClientSecret + " or " + envPrivateKey
)

// envNames lists the variables in the order Setup.Variables reports them.
var envNames = [...]string{envClientID, envClientSecret, envPrivateKey, envVanityDomain, envCloud, envZPACustomerID, envCustomerID, envZPAMicrotenantID, envMicrotenantID, envPartnerID}

// FromEnv reads a setup from environment variables through getenv
// (os.Getenv in the program, a map in tests): ZSCALER_CLIENT_ID;
// ZSCALER_CLIENT_SECRET or ZSCALER_PRIVATE_KEY; ZSCALER_VANITY_DOMAIN and
// ZSCALER_CLOUD; ZPA_CUSTOMER_ID, else ZSCALER_CUSTOMER_ID; ZPA_MICROTENANT_ID,
// else ZSCALER_MICROTENANT_ID; ZSCALER_PARTNER_ID. An empty variable counts
// as unset.
//
// ZSCALER_PRIVATE_KEY holds the PEM itself (as the Go SDK reads it) or the
// path of a PEM key file (as the Python SDK also reads it); a relative path
// is read from the working directory.
//
// Every error is an *Error whose Where is Environment. When neither
// ZSCALER_CLIENT_ID nor a secret variable is set, the error is ErrNotFound;
// a client ID without a secret is ErrNoSecret; a secret without the client
// ID or the vanity domain is ErrIncomplete, naming the missing variable.
// Both secret variables set, or two customer (or microtenant) IDs that
// differ, is ErrConflict.
func FromEnv(getenv func(string) string) (*Setup, error) {
	home, _ := os.UserHomeDir()
	dir, _ := os.Getwd()
	return fromEnv(getenv, home, dir)
}

func fromEnv(getenv func(string) string, home, dir string) (*Setup, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	secret, key := getenv(envClientSecret), getenv(envPrivateKey)
	hasSecret, hasKey := strings.TrimSpace(secret) != "", strings.TrimSpace(key) != ""
	s := &Setup{
		ClientID:     get(envClientID),
		VanityDomain: get(envVanityDomain),
		Cloud:        get(envCloud),
		PartnerID:    get(envPartnerID),
	}
	for _, name := range envNames {
		if get(name) != "" {
			s.Variables = append(s.Variables, name)
		}
	}
	envError := func(category error, msg string) (*Setup, error) {
		return nil, &Error{Where: Environment, Category: category, Msg: msg}
	}
	switch {
	case hasSecret && hasKey:
		return envError(ErrConflict, "both "+envClientSecret+" and "+envPrivateKey+" are set: unset the one this API client does not use")
	case !hasSecret && !hasKey:
		if s.ClientID == "" {
			return envError(ErrNotFound, "no "+envClientID+", "+envSecretAlternatives+" is set")
		}
		return envError(ErrNoSecret, envClientID+" is set but neither "+envSecretAlternatives+" is: set the one this API client uses")
	case s.ClientID == "":
		return envError(ErrIncomplete, envClientID+" is not set: set it to the API client's ID from Integration > API Clients")
	case s.VanityDomain == "":
		return envError(ErrIncomplete, envVanityDomain+" is not set: set it to the tenant's vanity domain (acme for acme.zslogin.net)")
	}
	var ok bool
	if s.CustomerID, ok = either(get(envZPACustomerID), get(envCustomerID)); !ok {
		return envError(ErrConflict, envZPACustomerID+" and "+envCustomerID+" differ: make them equal or unset one")
	}
	if s.MicrotenantID, ok = either(get(envZPAMicrotenantID), get(envMicrotenantID)); !ok {
		return envError(ErrConflict, envZPAMicrotenantID+" and "+envMicrotenantID+" differ: make them equal or unset one")
	}
	if hasSecret {
		s.Kind, s.Secret = ClientSecret, NewSecret(secret)
		return s, nil
	}
	pemText, keyPath, err := loadKey(key, envPrivateKey, home, dir)
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
