package tui

import (
	"fmt"
	"testing"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

func TestHint(t *testing.T) {
	missing := &manager.MissingSecretError{Name: "prod", Backend: "Secret Service"}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"missing secret", fmt.Errorf("testing prod: %w", missing),
			`testing prod: the secret of "prod" is missing from the Secret Service: enter it again with r on the Connections page`},
		{"expired", &manager.ExpiredError{Expires: store.NewDate(2026, 1, 2), Name: "prod", Err: missing},
			`the secret expired on 2026-01-02: add a new secret in Integration > API Clients (ZIdentity said: the secret of "prod" is missing from the Secret Service): then rotate it with r on the Connections page`},
		{"locked", &store.SecretError{Kind: store.KindLocked, Message: "the Secret Service is locked: unlock it (on Linux: gnome-keyring-daemon --unlock) and try again"},
			"the Secret Service is locked: unlock it (on Linux: gnome-keyring-daemon --unlock) and try again, or keep the secrets in the encrypted vault (zconn offers it; ZCONN_SECRETS=file chooses it at start)"},
		{"no bus", fmt.Errorf("saving: %w", &store.SecretError{Kind: store.KindNoBus, Message: "no D-Bus session bus, so the Secret Service cannot be reached: run zconn in a desktop session or under dbus-run-session with a keyring unlocked"}),
			"saving: no D-Bus session bus, so the Secret Service cannot be reached: run zconn in a desktop session or under dbus-run-session with a keyring unlocked, or keep the secrets in the encrypted vault (zconn offers it; ZCONN_SECRETS=file chooses it at start)"},
		{"no keychain", &store.SecretError{Kind: store.KindUnsupported, Message: "no OS keychain"}, "no OS keychain: keep the secrets in the encrypted vault (zconn offers it; ZCONN_SECRETS=file chooses it at start)"},
		{"unknown cloud", fmt.Errorf("testing old: %w", &zidentity.Error{Category: zidentity.UnknownCloud, Host: "acme.zslogingamma.net"}),
			"testing old: acme.zslogingamma.net is not in a ZIdentity cloud zconn knows (production, beta, gov, govus), so nothing was sent to it: check the cloud, or confirm that this host is your tenant's: to confirm it, press e on the Connections page and save, which asks first"},
		{"timeout, no flag here", &zidentity.Error{Category: zidentity.Timeout, Host: "h"}, "no answer from h: check your network and proxy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hint(tt.err); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
