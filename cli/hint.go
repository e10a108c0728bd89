package cli

import (
	"errors"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// hint returns err's message followed by the fix that zconn's commands
// offer: the layers below say what happened, and only the commands know
// their own names and flags.
func hint(err error) string {
	msg := err.Error()
	var (
		expired     *manager.ExpiredError
		missing     *manager.MissingSecretError
		unconfirmed *manager.UnconfirmedCloudError
		migrate     *manager.MigrateError
		secret      *store.SecretError
		tooLarge    *store.SecretTooLargeError
		identity    *zidentity.Error
		unverified  *unverifiedError
	)
	switch {
	case errors.As(err, &unverified):
		return hint(unverified.err) + "; or save it unverified with --no-verify and check it later with zconn test " + shellArg(unverified.name)
	case errors.As(err, &unconfirmed):
		return msg + ": if it is, confirm it once with zconn edit " + shellArg(unconfirmed.Name) + " --allow-unknown-cloud"
	case errors.As(err, &expired):
		return msg + ": then rotate it with zconn edit " + shellArg(expired.Name) + " " + rotateFlag(expired.PrivateKey)
	case errors.As(err, &missing):
		return msg + missingHint(missing)
	case errors.As(err, &tooLarge) && tooLarge.PrivateKey:
		// Only a keychain has a limit; the vault holds keys of any size.
		return msg + " (move the secrets there with zconn secrets migrate --to file, then run this again)"
	case errors.As(err, &migrate) && migrate.Err != nil:
		return msg + ": run the same command again to finish"
	case errors.As(err, &migrate):
		return msg + ": fix what is said above and run the same command again"
	case errors.Is(err, store.ErrNoConnections):
		return msg + ": add one with zconn new or zconn add"
	case errors.Is(err, store.ErrNoDefault):
		return msg + ": name a connection, or choose one with zconn use NAME"
	case errors.Is(err, store.ErrNotFound):
		return msg + ": run zconn list to see the names"
	case errors.As(err, &secret):
		return msg + secretHint(secret.Kind)
	case errors.Is(err, store.ErrSecretIsPrivateKey):
		return msg + ": give it as the private key, with zconn add --auth private-key (or --private-key-file PATH), or zconn edit NAME --rotate-key"
	case errors.As(err, &identity) && identity.Category == zidentity.Timeout:
		return msg + ", or allow more time with --timeout"
	case errors.As(err, &identity) && identity.Category == zidentity.Unknown:
		return msg + ", and run zconn doctor"
	}
	return msg
}

// missingHint is the fix for a secret (or private key) missing from the
// backend in use: bring it over from the other backend, choose that one,
// or enter it again.
func missingHint(e *manager.MissingSecretError) string {
	// here is the backend in use, there the other.
	here, there := backendKeychain, backendFile
	if !e.OtherIsVault {
		here, there = backendFile, backendKeychain
	}
	again := "enter it again with zconn edit " + shellArg(e.Name) + " " + rotateFlag(e.PrivateKey)
	switch {
	case e.Elsewhere == manager.FoundElsewhere:
		return ": run zconn secrets migrate --to " + here + ", or set ZCONN_SECRETS=" + there
	case e.Elsewhere == manager.MaybeElsewhere && e.OtherIsVault:
		return ": run zconn secrets migrate --to " + here + ", which asks for the vault's passphrase, or " + again
	case e.Elsewhere == manager.MaybeElsewhere:
		return ": unlock it and run zconn secrets migrate --to " + here + ", or " + again
	}
	return ": " + again
}

// secretHint is the fix the commands offer for a secrets backend's
// failure. Where the keychain cannot be used (no session bus, no Secret
// Service, locked, not answering, none on this system), the encrypted
// vault is named beside the keychain's own fix, which the message gives.
func secretHint(kind store.SecretErrorKind) string {
	const vault = "use the encrypted vault (--secrets file or ZCONN_SECRETS=file)"
	switch kind {
	case store.KindNotFound:
		return ": enter it again with zconn edit NAME --rotate-secret (--rotate-key for a private-key client)"
	case store.KindTimeout:
		return ", so check with zconn doctor; or " + vault
	case store.KindUnsupported:
		return ": " + vault
	case store.KindNoBus, store.KindNoService, store.KindLocked, store.KindOther:
		return ", or " + vault
	}
	return ""
}
