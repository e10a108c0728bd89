package tui

import (
	"errors"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// hint returns err's message followed by the fix this interface offers:
// the layers below say what happened, and only the interface knows its
// own keys.
func hint(err error) string {
	msg := err.Error()
	var (
		expired *manager.ExpiredError
		missing *manager.MissingSecretError
		secret  *store.SecretError
	)
	switch {
	case errors.As(err, &expired):
		return msg + ": then rotate it with r on the Connections page"
	case errors.As(err, &missing), errors.As(err, &secret) && secret.Kind == store.KindNotFound:
		return msg + ": enter it again with r on the Connections page"
	case errors.As(err, &secret) && secret.Kind == store.KindUnsupported:
		return msg + ": " + vaultHint
	case errors.As(err, &secret) && secret.Kind.VaultAvoids():
		return msg + ", or " + vaultHint
	case errors.Is(err, store.ErrSecretIsPrivateKey):
		return msg + ": choose Private key as the API client's authentication"
	case zidentity.CategoryOf(err) == zidentity.UnknownCloud:
		return msg + ": to confirm it, press e on the Connections page and save, which asks first"
	}
	return msg
}

// vaultHint is the other way to keep secrets: the vault page, which the
// app shows when the keychain fails (see app.offerVault), or
// ZCONN_SECRETS=file at start.
const vaultHint = "keep the secrets in the encrypted vault (zconn offers it; ZCONN_SECRETS=file chooses it at start)"

// vaultWouldHelp returns the keychain's failure in err when the encrypted
// vault avoids it: no D-Bus session bus, no Secret Service, a locked
// keychain or none at all.
func vaultWouldHelp(err error) (*store.SecretError, bool) {
	var secret *store.SecretError
	if errors.As(err, &secret) && secret.Kind.VaultAvoids() {
		return secret, true
	}
	return nil, false
}

// errorText is an error as a page shows it: marked, with its fix, cleaned
// and cut to max characters.
func errorText(err error, max int) string { return "✗ " + safetext.Clean(hint(err), max) }
