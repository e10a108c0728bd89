package cli

import (
	"context"
	"fmt"
	"testing"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

func TestHint(t *testing.T) {
	missing := &manager.MissingSecretError{Name: "eu prod", Backend: "Secret Service"}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"missing secret, wrapped", fmt.Errorf("testing prod: %w", missing),
			`testing prod: the secret of "eu prod" is missing from the Secret Service: enter it again with zconn edit 'eu prod' --rotate-secret`},
		{"missing, in the vault", &manager.MissingSecretError{Name: "prod", Backend: "Secret Service", Other: "encrypted vault /v", OtherIsVault: true, Elsewhere: manager.FoundElsewhere},
			`the secret of "prod" is not in the Secret Service; it is in the encrypted vault /v: run zconn secrets migrate --to keychain, or set ZCONN_SECRETS=file`},
		{"missing, in the keychain", &manager.MissingSecretError{Name: "prod", Backend: "encrypted vault /v", Other: "Secret Service", Elsewhere: manager.FoundElsewhere},
			`the secret of "prod" is not in the encrypted vault /v; it is in the Secret Service: run zconn secrets migrate --to file, or set ZCONN_SECRETS=keychain`},
		{"missing, maybe in the vault", &manager.MissingSecretError{Name: "prod", Backend: "Secret Service", Other: "encrypted vault /v", OtherIsVault: true, Elsewhere: manager.MaybeElsewhere},
			`the secret of "prod" is not in the Secret Service; it may be in the encrypted vault /v, which could not be checked: run zconn secrets migrate --to keychain, which asks for the vault's passphrase, or enter it again with zconn edit prod --rotate-secret`},
		{"missing, maybe in the keychain", &manager.MissingSecretError{Name: "prod", Backend: "encrypted vault /v", Other: "Secret Service", Elsewhere: manager.MaybeElsewhere},
			`the secret of "prod" is not in the encrypted vault /v; it may be in the Secret Service, which could not be checked: unlock it and run zconn secrets migrate --to file, or enter it again with zconn edit prod --rotate-secret`},
		{"missing key, in the vault", &manager.MissingSecretError{Name: "keyed", Backend: "Secret Service", PrivateKey: true, Other: "encrypted vault /v", OtherIsVault: true, Elsewhere: manager.FoundElsewhere},
			`the private key of "keyed" is not in the Secret Service; it is in the encrypted vault /v: run zconn secrets migrate --to keychain, or set ZCONN_SECRETS=file`},
		{"missing key, maybe in the keychain", &manager.MissingSecretError{Name: "keyed", Backend: "encrypted vault /v", PrivateKey: true, Other: "Secret Service", Elsewhere: manager.MaybeElsewhere},
			`the private key of "keyed" is not in the encrypted vault /v; it may be in the Secret Service, which could not be checked: unlock it and run zconn secrets migrate --to file, or enter it again with zconn edit keyed --rotate-key`},
		{"expired", &manager.ExpiredError{Expires: store.NewDate(2026, 1, 2), Name: "prod", Err: missing},
			`the secret expired on 2026-01-02: add a new secret in Integration > API Clients (ZIdentity said: the secret of "eu prod" is missing from the Secret Service): then rotate it with zconn edit prod --rotate-secret`},
		{"no connections", store.ErrNoConnections, "no such connection: no connections yet: add one with zconn new or zconn add"},
		{"no default", store.ErrNoDefault, "no default connection: name a connection, or choose one with zconn use NAME"},
		{"not found", fmt.Errorf("%w named %q", store.ErrNotFound, "x"), `no such connection named "x": run zconn list to see the names`},
		{"no D-Bus", &store.SecretError{Kind: store.KindNoBus, Message: "no D-Bus session bus"}, "no D-Bus session bus, or use the encrypted vault (--secrets file or ZCONN_SECRETS=file)"},
		{"keychain timeout", &store.SecretError{Kind: store.KindTimeout, Message: "the saving may still happen"}, "the saving may still happen, so check with zconn doctor; or use the encrypted vault (--secrets file or ZCONN_SECRETS=file)"},
		{"locked", &store.SecretError{Kind: store.KindLocked, Message: "locked: unlock it"}, "locked: unlock it, or use the encrypted vault (--secrets file or ZCONN_SECRETS=file)"},
		{"wrong passphrase", &store.SecretError{Kind: store.KindWrongPassphrase, Message: "the passphrase does not open the vault"}, "the passphrase does not open the vault"},
		{"ZIdentity timeout", &zidentity.Error{Category: zidentity.Timeout, Host: "h"}, "no answer from h: check your network and proxy, or allow more time with --timeout"},
		{"ZIdentity unknown", &zidentity.Error{Host: "h"}, "the token request to h failed: try again, and run zconn doctor"},
		{"interrupted migration", &manager.MigrateError{Total: 2, Err: context.Canceled}, "moving the secrets was interrupted (context canceled); every secret is still readable from one place or the other: run the same command again to finish"},
		{"anything else", fmt.Errorf("plain"), "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hint(tt.err); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
