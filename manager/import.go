package manager

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/zconn/zconn/internal/sdkconfig"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// ImportOptions are the choices an import of a plain-text setup takes.
type ImportOptions struct {
	// Name names the connection. Empty means ImportName: the tenant's
	// name, made unique among the saved connections. A name given is
	// kept as it is, and refused if taken.
	Name string
	// AllowUnknownCloud confirms a cloud zconn does not know, as
	// store.Connection.AllowUnknownCloud records it (see CheckCloud).
	AllowUnknownCloud bool
}

// ImportName returns the name an imported connection of tenant t gets
// when none is given: the vanity domain, plus the cloud when it is not
// production ("acme", "acme-beta"), followed by -2, -3, ... when a saved
// connection in conns holds it already ("acme-2"). It fits
// store.MaxNameLen: a long vanity domain is cut, the cloud and the number
// kept whole.
func ImportName(t zidentity.Tenant, conns []store.Connection) string {
	cloud := ""
	if !t.Cloud.IsProduction() {
		cloud = "-" + t.Cloud.String()
	}
	for n := 1; ; n++ {
		suffix := cloud
		if n > 1 {
			suffix += "-" + strconv.Itoa(n)
		}
		name := fit(t.Vanity, store.MaxNameLen-utf8.RuneCountInString(suffix)) + suffix
		if store.CheckName(conns, name, "") == nil {
			return name
		}
	}
}

// fit cuts s to at most n runes, without a hyphen left at its end.
func fit(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	for n > 1 && r[n-1] == '-' {
		n--
	}
	return string(r[:n])
}

// ImportError is a plain-text setup that cannot be imported as it is: a
// setting zconn cannot use. Its message names the place (a file, or the
// environment), the setting and the fix, never a value read from the
// setup, which may be a secret written in the wrong place.
type ImportError struct {
	// Where is the file's path, or sdkconfig.Environment.
	Where string
	// Setting is the variable (ZSCALER_CLOUD) or the key
	// (zscaler.client.cloud) at fault.
	Setting string
	// Err says what is wrong and the fix.
	Err error
}

// Error returns "where: setting is ...: the fix".
func (e *ImportError) Error() string {
	return fmt.Sprintf("%s: %s %v", e.Where, e.Setting, e.Err)
}

// Unwrap returns what is wrong.
func (e *ImportError) Unwrap() error { return e.Err }

// The settings of a setup, as the environment and the YAML file name them.
var importSettings = map[string][2]string{
	"vanity":      {sdkconfig.EnvVanityDomain, "zscaler.client.vanityDomain"},
	"cloud":       {sdkconfig.EnvCloud, "zscaler.client.cloud"},
	"clientID":    {sdkconfig.EnvClientID, "zscaler.client.clientId"},
	"secret":      {sdkconfig.EnvClientSecret, "zscaler.client.clientSecret"},
	"key":         {sdkconfig.EnvPrivateKey, "zscaler.client.privateKey"},
	"customer":    {sdkconfig.EnvZPACustomerID + " or " + sdkconfig.EnvCustomerID, "zscaler.client.customerId"},
	"microtenant": {sdkconfig.EnvZPAMicrotenantID + " or " + sdkconfig.EnvMicrotenantID, "zscaler.client.microtenantId"},
	"partner":     {sdkconfig.EnvPartnerID, "zscaler.client.partnerId"},
}

// refused words a rule's error for ImportError: "is refused: ...".
func refused(err error) error { return fmt.Errorf("is refused: %w", err) }

// importError names a setting of s as its place names it.
func importError(s *sdkconfig.Setup, setting string, err error) *ImportError {
	return &ImportError{Where: s.Where(), Setting: settingName(s, setting), Err: err}
}

// settingName is a setting's name where s was found: the variable, or the
// YAML key.
func settingName(s *sdkconfig.Setup, setting string) string {
	if s.FromEnvironment() {
		return importSettings[setting][0]
	}
	return importSettings[setting][1]
}

// ImportDraft returns the connection that importing s saves, without its
// secret, and what proves it, as Add takes it: the client secret, or the
// private key in the compact form Stored keeps. It checks every setting
// first, so that nothing is sent for a setup zconn cannot save: the
// tenant and cloud, the client ID, the secret (store.ValidateSecret) or
// key (zidentity.DecodePrivateKey, and the backend's size limit), and the
// ZPA and partner IDs; a setting at fault gives an *ImportError. The name
// is o.Name, or ImportName among the saved connections. The TUI fills its
// form with the draft; Import saves it.
func (m *Manager) ImportDraft(s *sdkconfig.Setup, o ImportOptions) (store.Connection, string, error) {
	if s == nil {
		return store.Connection{}, "", errors.New("no setup to import")
	}
	t, err := zidentity.ResolveTenant(s.VanityDomain, s.Cloud)
	if err != nil {
		var (
			input    *zidentity.InputError
			conflict *zidentity.CloudConflictError
		)
		switch {
		case errors.As(err, &conflict):
			return store.Connection{}, "", importError(s, "cloud", errors.New("names another cloud than the address in the vanity domain: give the bare vanity domain, or make the two agree"))
		case errors.As(err, &input) && input.Input == zidentity.CloudInput:
			return store.Connection{}, "", importError(s, "cloud", fmt.Errorf("is not a cloud zconn can name: set %s or the name after zslogin in the tenant's address", zidentity.KnownCloudList(", ")))
		}
		return store.Connection{}, "", importError(s, "vanity", errors.New("is not a vanity domain: set it to the tenant's bare vanity domain, such as acme for acme.zslogin.net"))
	}
	c := store.Connection{
		Vanity:            t.Vanity,
		Cloud:             t.Cloud.String(),
		ClientID:          s.ClientID,
		AuthMethod:        store.AuthSecret,
		ZPACustomerID:     s.CustomerID,
		ZPAMicrotenantID:  s.MicrotenantID,
		PartnerID:         s.PartnerID,
		AllowUnknownCloud: o.AllowUnknownCloud && !t.Cloud.Known(),
	}
	for _, check := range []struct {
		setting string
		err     error
	}{
		{"clientID", store.ValidateClientID(c.ClientID)},
		{"customer", store.ValidateZPACustomerID(c.ZPACustomerID)},
		{"microtenant", store.ValidateZPAMicrotenantID(c.ZPAMicrotenantID)},
		{"partner", store.ValidatePartnerID(c.PartnerID)},
	} {
		if check.err != nil {
			return store.Connection{}, "", importError(s, check.setting, refused(check.err))
		}
	}
	var secret string
	switch s.Kind {
	case sdkconfig.PrivateKey:
		c.AuthMethod = store.AuthPrivateKey
		if secret, err = m.Stored(c, s.Secret.Reveal()); err != nil {
			return store.Connection{}, "", importError(s, "key", refused(err))
		}
	default:
		secret = store.NormalizeSecret(s.Secret.Reveal())
		if secret == "" {
			return store.Connection{}, "", importError(s, "secret", errors.New("is empty: set it to the client secret from Integration > API Clients"))
		}
		if secret, err = m.Stored(c, secret); errors.Is(err, store.ErrSecretIsPrivateKey) {
			return store.Connection{}, "", importError(s, "secret", fmt.Errorf("holds a private key, not a client secret: move it to %s", settingName(s, "key")))
		} else if err != nil {
			return store.Connection{}, "", importError(s, "secret", refused(err))
		}
	}
	c.Name = o.Name
	if c.Name == "" {
		conns, err := m.Store.List()
		if err != nil {
			return store.Connection{}, "", err
		}
		c.Name = ImportName(t, conns)
	}
	return c, secret, nil
}

// Import verifies the credentials of a plain-text setup exactly as Add
// does, the users check included, and when they work saves them as a
// connection (see ImportDraft): the secret or key in the secrets backend,
// the rest in the metadata file. A failure saves nothing. Import never
// changes the setup's file; RemovePlaintext does, once the connection is
// saved.
func (m *Manager) Import(ctx context.Context, s *sdkconfig.Setup, o ImportOptions) (store.Connection, *zidentity.Token, error) {
	c, secret, err := m.ImportDraft(s, o)
	if err != nil {
		return store.Connection{}, nil, err
	}
	return m.Add(ctx, c, secret, true)
}

// ErrNotImported means RemovePlaintext was asked to remove a secret that
// the connection given does not prove to be safely kept: the connection
// is not verified, or the secrets backend does not give back this
// setup's secret or key. The file is unchanged.
var ErrNotImported = errors.New("the secret is not yet safely kept by zconn")

// RemovePlaintext takes the plaintext secret (clientSecret, or a
// privateKey that holds the PEM) out of the YAML file setup s was read
// from, once c, the connection importing s saved, is verified and the
// secrets backend gives back the very secret or key: the file is never
// left as the only copy. The rewrite is sdkconfig.RemoveSecret's: atomic,
// keeping every other setting, the comments and the file's mode, with no
// backup, and refused when the file changed since it was read.
//
// A setup with nothing to remove (the environment, or a privateKey that
// names a key file: s.Plaintext is false) gives an *sdkconfig.Error of
// category sdkconfig.ErrNoPlaintext; a connection that does not prove the
// secret kept gives ErrNotImported. A key file is never changed.
func (m *Manager) RemovePlaintext(ctx context.Context, s *sdkconfig.Setup, c store.Connection) error {
	if s == nil || !s.Plaintext() {
		where := sdkconfig.Environment
		if s != nil {
			where = s.Where()
		}
		return &sdkconfig.Error{Where: where, Category: sdkconfig.ErrNoPlaintext, Msg: "holds no plaintext secret for zconn to remove"}
	}
	if c.Verification == nil || !c.Verification.OK {
		return fmt.Errorf("%s is not verified, so %s keeps its secret: %w", store.Quote(c.Name), s.Path, ErrNotImported)
	}
	_, want, err := m.ImportDraft(s, ImportOptions{Name: c.Name})
	if err != nil {
		return err
	}
	got, err := m.Secret(ctx, c)
	if err != nil {
		return fmt.Errorf("reading the secret of %s back, before removing it from %s (the file is unchanged): %w", store.Quote(c.Name), s.Path, err)
	}
	if got != want {
		return fmt.Errorf("the %s does not hold this file's secret for %s, so %s keeps it: %w", m.Store.Secrets().Backend(), store.Quote(c.Name), s.Path, ErrNotImported)
	}
	return sdkconfig.RemoveSecret(s.Path, s.Digest)
}
