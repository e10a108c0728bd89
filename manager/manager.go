// Package manager holds what the TUI and the commands both do with a
// connection: verify its credentials with ZIdentity (and prove, with the
// token, that the API client may manage users), then save, rotate, test
// or remove it in the store, or import it from a plain-text setup. It is
// the one place where store and zidentity meet.
package manager

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// Verifier requests a token; *zidentity.Client is one.
type Verifier interface {
	Token(ctx context.Context, cr zidentity.Credentials) (*zidentity.Token, error)
}

// Manager verifies and keeps connections.
type Manager struct {
	Store    *store.Store
	Verifier Verifier
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Other, when set, returns the secrets backend that is not in use, or
	// nil when there is none to look in (such as a vault never created).
	// A secret missing from the store's backend is looked for there, only
	// read, so that the MissingSecretError can say where it is. What it
	// returns must never ask a person anything, such as a passphrase: a
	// backend that cannot be opened without asking reports an error, and
	// the secret "may be" there.
	Other func(ctx context.Context) (store.Secrets, error)
	// HostOverride is set when every token request goes to one base URL
	// (ZCONN_ZIDENTITY_URL) instead of the tenant's host: no cloud then
	// needs confirming, as zidentity.Client asks none either.
	HostOverride bool
	// Users makes the users check after every token a verification
	// obtains (Verify, and so Add, VerifyChanges, Rotate and Import, and
	// Test), recorded in store.Verification.UserManagement. New sets it
	// when the Verifier is a UsersChecker too. nil makes no check and
	// records zidentity.UsersNotChecked: a command told to skip the check
	// (--skip-users-check) sets it to nil on its own manager.
	Users UsersChecker
}

// LookElsewhereTimeout bounds the look into the other secrets backend
// when a secret is missing: a keychain waiting on an unlock prompt is not
// waited for.
const LookElsewhereTimeout = 5 * time.Second

// New returns a Manager over a store and a verifier. A verifier that can
// also check user management (a UsersChecker, as *zidentity.Client is)
// makes the users check too.
func New(s *store.Store, v Verifier) *Manager {
	m := &Manager{Store: s, Verifier: v}
	if u, ok := v.(UsersChecker); ok {
		m.Users = u
	}
	return m
}

func (m *Manager) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Tenant returns the ZIdentity tenant of a connection.
func Tenant(c store.Connection) zidentity.Tenant {
	return zidentity.Tenant{Vanity: c.Vanity, Cloud: zidentity.Cloud(c.Cloud)}
}

// Credentials returns what proves a connection: its secret, or for a
// private-key client the key kept in the secret's place (in the compact
// form zidentity.PrivateKey.Encode writes, or as PEM).
func Credentials(c store.Connection, secret string) (zidentity.Credentials, error) {
	cr := zidentity.Credentials{
		Tenant:            Tenant(c),
		ClientID:          c.ClientID,
		OmitAudience:      c.OmitAudience,
		AllowUnknownCloud: c.AllowUnknownCloud,
	}
	if c.AuthMethod != store.AuthPrivateKey {
		cr.ClientSecret = secret
		return cr, nil
	}
	key, err := zidentity.DecodePrivateKey(secret)
	if err != nil {
		return cr, fmt.Errorf("reading the private key of %s: %w", store.Quote(c.Name), err)
	}
	cr.PrivateKey = key
	return cr, nil
}

// token requests a token with a connection's fields and its secret or key.
func (m *Manager) token(ctx context.Context, c store.Connection, secret string) (*zidentity.Token, error) {
	cr, err := Credentials(c, secret)
	if err != nil {
		return nil, err
	}
	return m.Verifier.Token(ctx, cr)
}

// Verify requests a token with the connection's fields and the secret, and
// describes the outcome as a store.Verification (also on failure). With a
// token, it then makes the users check (see Manager.Users), which never
// fails the verification.
func (m *Manager) Verify(ctx context.Context, c store.Connection, secret string) (store.Verification, *zidentity.Token, error) {
	tok, err := m.token(ctx, c, secret)
	return m.verification(ctx, c, tok, err), tok, err
}

// CategorySecrets is the category of a failure of the secrets backend
// itself (locked, timed out, not running), as opposed to the credentials.
const CategorySecrets = "secrets_backend"

// Category names what kind of failure err is, as the metadata file and
// `zconn test --json` record it: a zidentity category such as "rejected",
// store.CategorySecretMissing, or CategorySecrets.
func Category(err error) string {
	var ze *zidentity.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, store.ErrSecretNotFound):
		return store.CategorySecretMissing
	case errors.As(err, &ze):
		return ze.Category.String()
	}
	return CategorySecrets
}

// verification records a token request's outcome and, after a token was
// issued, the users check made with it. A failure is recorded in zconn's
// own words only: what a server said goes to the screen, never into the
// metadata file. A failed request records no users check.
func (m *Manager) verification(ctx context.Context, c store.Connection, tok *zidentity.Token, err error) store.Verification {
	v := store.Verification{At: m.now().UTC().Truncate(time.Second), OK: err == nil}
	if err != nil {
		v.Category = Category(err)
		v.Message = withoutServerText(err)
		return v
	}
	v.AudienceOmitted = tok.AudienceOmitted
	v.Lifetime = int64(tok.Lifetime / time.Second)
	v.Products = tok.Claims.Products()
	v.Roles = tok.Claims.Roles()
	v.UserManagement = m.checkUsers(ctx, c, tok).String()
	return v
}

// withoutServerText returns err's message with any message quoted from
// the server left out.
func withoutServerText(err error) string {
	var ze *zidentity.Error
	if !errors.As(err, &ze) || ze.Description == "" {
		return err.Error()
	}
	bare := *ze
	bare.Description = ""
	msg := err.Error()
	return strings.Replace(msg, ze.Error(), bare.Error(), 1)
}

// Stored returns what the secrets backend keeps for a connection of c's
// authentication method: a client secret as it is; a private key, given
// in the compact form zidentity.PrivateKey.Encode writes or as PEM, in
// that compact form. It refuses, before anything is sent or saved, a key
// that does not read, and a secret store.CheckSecret refuses: one that is
// not a secret, or that the backend cannot hold. Every method of Manager that takes a secret
// calls it; front ends may call it to check a field.
func (m *Manager) Stored(c store.Connection, secret string) (string, error) {
	sec := m.Store.Secrets()
	if c.AuthMethod != store.AuthPrivateKey {
		return secret, store.CheckSecret(sec, secret)
	}
	if strings.TrimSpace(secret) == "" {
		return "", errors.New("enter the private key: the RSA key whose public half the API client holds")
	}
	key, err := zidentity.DecodePrivateKey(secret)
	if err != nil {
		return "", err
	}
	encoded := key.Encode()
	return encoded, store.CheckKeyLen(sec, encoded)
}

// Create saves a new connection with its secret, or for a private-key
// client (AuthMethod store.AuthPrivateKey) its key, kept as Stored says.
// v is the verification made just before, or nil to save it unverified; a
// verification whose token came without the audience also records that
// the tenant refuses it (store.Connection.RecordVerification).
func (m *Manager) Create(ctx context.Context, c store.Connection, secret string, v *store.Verification) (store.Connection, error) {
	secret, err := m.Stored(c, secret)
	if err != nil {
		return store.Connection{}, err
	}
	return m.create(ctx, c, secret, v)
}

// create is Create with the secret already as Stored returns it.
func (m *Manager) create(ctx context.Context, c store.Connection, stored string, v *store.Verification) (store.Connection, error) {
	c.RecordVerification(v)
	return m.Store.Create(ctx, c, stored)
}

// Add verifies the credentials and saves the connection when they work;
// with verify false it saves without asking ZIdentity. For a private-key
// client, secret is the key, as Create takes it.
func (m *Manager) Add(ctx context.Context, c store.Connection, secret string, verify bool) (store.Connection, *zidentity.Token, error) {
	if err := m.Precheck(c, ""); err != nil {
		return store.Connection{}, nil, err
	}
	// Checked without verifying too: nothing is sent now, but later
	// commands would send the secret there.
	if err := m.CheckCloud(c); err != nil {
		return store.Connection{}, nil, err
	}
	secret, err := m.Stored(c, secret)
	if err != nil {
		return store.Connection{}, nil, err
	}
	if !verify {
		c, err := m.create(ctx, c, secret, nil)
		return c, nil, err
	}
	v, tok, err := m.Verify(ctx, c, secret)
	if err != nil {
		return store.Connection{}, nil, fmt.Errorf("verifying credentials: %w", err)
	}
	saved, err := m.create(ctx, c, secret, &v)
	return saved, tok, err
}

// Precheck validates a connection's fields and its name against the others
// (exceptID is the connection being edited), before anything is sent.
func (m *Manager) Precheck(c store.Connection, exceptID string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	conns, err := m.Store.List()
	if err != nil {
		return err
	}
	return store.CheckName(conns, c.Name, exceptID)
}

// CheckCloud refuses a connection whose cloud zconn does not know by name
// (zidentity.Cloud.Known) unless the admin confirmed it
// (store.Connection.AllowUnknownCloud), or every request goes elsewhere
// (HostOverride): anyone may own zslogin<name>.net, so a typo must not
// send the secret there, nor hand it to a tool that would. It is the rule
// zidentity.Client.Token applies, checked before the secret is read, for
// what sends nothing itself (add --no-verify, env, exec).
func (m *Manager) CheckCloud(c store.Connection) error {
	t := Tenant(c)
	if t.Cloud.Known() || c.AllowUnknownCloud || m.HostOverride {
		return nil
	}
	return &UnconfirmedCloudError{Name: c.Name, Err: &zidentity.Error{Category: zidentity.UnknownCloud, Host: t.Host()}}
}

// UnconfirmedCloudError means a connection's cloud is not one zconn knows
// and the admin has not confirmed it, so nothing was sent: Err, of
// category zidentity.UnknownCloud, names the host the secret would go to.
type UnconfirmedCloudError struct {
	Name string
	Err  *zidentity.Error
}

// Error names the host and says nothing was sent.
func (e *UnconfirmedCloudError) Error() string { return e.Err.Error() }

// Unwrap returns the *zidentity.Error.
func (e *UnconfirmedCloudError) Unwrap() error { return e.Err }

// Secret reads a connection's secret; a missing one is explained with the
// connection's name and, when the backend not in use holds it (see
// Manager.Other), where it is.
func (m *Manager) Secret(ctx context.Context, c store.Connection) (string, error) {
	s, err := m.Store.Secret(ctx, c.ID)
	if errors.Is(err, store.ErrSecretNotFound) {
		missing := &MissingSecretError{Name: c.Name, Backend: m.Store.Secrets().Backend(), PrivateKey: c.AuthMethod == store.AuthPrivateKey}
		m.lookElsewhere(ctx, c.ID, missing)
		return "", missing
	}
	return s, err
}

// PrivateKey reads a private-key client's key from the secrets backend,
// to describe it (zidentity.PrivateKey.Description) without showing it. A
// missing key is a *MissingSecretError; a connection that uses a client
// secret has no key to read.
func (m *Manager) PrivateKey(ctx context.Context, c store.Connection) (*zidentity.PrivateKey, error) {
	if c.AuthMethod != store.AuthPrivateKey {
		return nil, fmt.Errorf("%s uses a client secret, not a private key", store.Quote(c.Name))
	}
	secret, err := m.Secret(ctx, c)
	if err != nil {
		return nil, err
	}
	cr, err := Credentials(c, secret)
	if err != nil {
		return nil, err
	}
	return cr.PrivateKey, nil
}

// lookElsewhere looks for a secret in the backend not in use, and records
// what it found in e.
func (m *Manager) lookElsewhere(ctx context.Context, id string, e *MissingSecretError) {
	if m.Other == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, LookElsewhereTimeout)
	defer cancel()
	other, err := m.Other(ctx)
	if err != nil || other == nil {
		return
	}
	e.Other = other.Backend()
	_, e.OtherIsVault = other.(*store.Vault)
	_, err = other.Get(ctx, id)
	e.Elsewhere, e.OtherErr = elsewhere(err)
}

// elsewhere says what a read of a secret from the backend not in use
// found, and why it could not tell.
func elsewhere(err error) (Elsewhere, error) {
	switch {
	case err == nil:
		return FoundElsewhere, nil
	case errors.Is(err, store.ErrSecretNotFound):
		return NotElsewhere, nil
	case unreachable(err):
		// No keychain can be reached here at all, so none holds it.
		return NotElsewhere, nil
	}
	return MaybeElsewhere, err
}

// unreachable reports whether err says that no keychain can be reached
// here at all: no session bus, no Secret Service, none on this system.
func unreachable(err error) bool {
	var se *store.SecretError
	return errors.As(err, &se) && se.Kind.Unreachable()
}

// Elsewhere says what the secrets backend not in use holds of a secret
// that is missing from the one in use.
type Elsewhere int

// What the backend not in use holds.
const (
	// NotElsewhere means it does not hold the secret, or there was no
	// other backend to look in.
	NotElsewhere Elsewhere = iota
	// FoundElsewhere means it holds the secret.
	FoundElsewhere
	// MaybeElsewhere means it could not be looked into without asking (a
	// vault's passphrase) or did not answer (a locked keychain), so the
	// secret may be there.
	MaybeElsewhere
)

// MissingSecretError means the secrets backend in use holds no secret for
// a connection (or, for a private-key client, no key); the backend not in
// use may.
type MissingSecretError struct {
	Name    string
	Backend string
	// PrivateKey is set for a private-key client, whose key is missing.
	PrivateKey bool
	// Other names the backend not in use that was looked in; "" when
	// there was none.
	Other string
	// OtherIsVault is true when Other is the encrypted vault, and so the
	// backend in use is the OS keychain.
	OtherIsVault bool
	// Elsewhere says what Other holds of the secret.
	Elsewhere Elsewhere
	// OtherErr is why Other could not be looked into (MaybeElsewhere).
	OtherErr error
}

// Error says which secret is missing from where, and where it is.
func (e *MissingSecretError) Error() string {
	what := "secret"
	if e.PrivateKey {
		what = "private key"
	}
	switch e.Elsewhere {
	case FoundElsewhere:
		return fmt.Sprintf("the %s of %s is not in the %s; it is in the %s", what, store.Quote(e.Name), e.Backend, e.Other)
	case MaybeElsewhere:
		return fmt.Sprintf("the %s of %s is not in the %s; it may be in the %s, which could not be checked", what, store.Quote(e.Name), e.Backend, e.Other)
	}
	return fmt.Sprintf("the %s of %s is missing from the %s", what, store.Quote(e.Name), e.Backend)
}

// Unwrap makes errors.Is(err, store.ErrSecretNotFound) true.
func (e *MissingSecretError) Unwrap() error { return store.ErrSecretNotFound }

// Result is the outcome of testing one connection.
type Result struct {
	// Connection is the connection with the verification recorded.
	Connection store.Connection
	Token      *zidentity.Token
	Err        error
}

// Test verifies a saved connection and records the outcome (a token
// issued without the audience also records that the tenant refuses it),
// with the users check made with the token (see Manager.Users). An
// expired secret is said first.
func (m *Manager) Test(ctx context.Context, c store.Connection) Result {
	// An unconfirmed cloud says nothing of the credentials: nothing is
	// sent, and nothing recorded.
	if err := m.CheckCloud(c); err != nil {
		return Result{Connection: c, Err: err}
	}
	secret, err := m.Secret(ctx, c)
	var tok *zidentity.Token
	if err == nil {
		tok, err = m.token(ctx, c, secret)
	}
	if err != nil && c.Expiry(m.now()).State == store.SecretExpired {
		err = &ExpiredError{Expires: c.SecretExpires, Name: c.Name, PrivateKey: c.AuthMethod == store.AuthPrivateKey, Err: err}
	}
	v := m.verification(ctx, c, tok, err)
	// Nothing is recorded when the test was canceled, or when the secrets
	// backend failed (locked, timed out): that says nothing about the
	// credentials, and the last real verification stays.
	if errors.Is(err, context.Canceled) || zidentity.CategoryOf(err) == zidentity.Canceled || Category(err) == CategorySecrets {
		return Result{Connection: c, Err: err}
	}
	recorded, rerr := m.Store.Record(context.WithoutCancel(ctx), c.ID, v)
	if rerr != nil {
		c.Verification = &v
		recorded = c
		if err == nil {
			err = fmt.Errorf("the credentials work, but recording that failed: %w", rerr)
		}
	}
	return Result{Connection: recorded, Token: tok, Err: err}
}

// ExpiredError is a failed test of a connection whose secret has expired.
type ExpiredError struct {
	Expires store.Date
	Name    string
	// PrivateKey is set for a private-key client, whose expiry date is
	// that of its key or certificate.
	PrivateKey bool
	Err        error
}

// Error says the expiry first, then the failure.
func (e *ExpiredError) Error() string {
	if e.PrivateKey {
		return fmt.Sprintf("the key's expiry date, %s, has passed: add a new public key or certificate to the API client in Integration > API Clients (ZIdentity said: %v)", e.Expires, e.Err)
	}
	return fmt.Sprintf("the secret expired on %s: add a new secret in Integration > API Clients (ZIdentity said: %v)", e.Expires, e.Err)
}

// Unwrap returns the failure.
func (e *ExpiredError) Unwrap() error { return e.Err }

// MaxParallelTests is how many token requests TestAll keeps in flight.
const MaxParallelTests = 4

// TestAll tests the connections with at most MaxParallelTests requests in
// flight, calling each (from its own goroutine) as every answer comes. It
// returns the results in the order of conns.
func (m *Manager) TestAll(ctx context.Context, conns []store.Connection, each func(Result)) []Result {
	results := make([]Result, len(conns))
	sem := make(chan struct{}, MaxParallelTests)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] = Result{Connection: c, Err: &zidentity.Error{Category: zidentity.Canceled, Err: ctx.Err()}}
				return
			}
			defer func() { <-sem }()
			results[i] = m.Test(ctx, c)
			if each != nil {
				each(results[i])
			}
		}()
	}
	wg.Wait()
	return results
}

// Changes are the edits to a connection; nil fields stay as they are (a
// pointer to "" clears an optional field).
type Changes struct {
	Name          *string
	Description   *string
	Vanity        *string
	Cloud         *string
	ClientID      *string
	SecretExpires *store.Date
	// AllowUnknownCloud confirms, or withdraws, sending the credentials to
	// a cloud zconn does not know (store.Connection.AllowUnknownCloud).
	// When the cloud changes and this is nil, a confirmation given for the
	// old cloud is withdrawn: it was given for that cloud's host.
	AllowUnknownCloud *bool
	// ZPACustomerID, ZPAMicrotenantID and PartnerID set or (with "")
	// clear the optional IDs; they need no verification.
	ZPACustomerID    *string
	ZPAMicrotenantID *string
	PartnerID        *string
	// AuthMethod switches how the client authenticates (a secret to a
	// private key, or back). It takes the new Secret with it, verified
	// before anything changes; a recorded expiry date is cleared unless
	// SecretExpires sets one.
	AuthMethod *store.AuthMethod
	// Secret, when not empty, replaces the secret after it is verified:
	// for a private-key client (after the changes), the key, as
	// Manager.Create takes it.
	Secret string
}

// apply returns c with the changes. A new tenant may take the audience
// that the old one refused, so OmitAudience is cleared with it: the next
// verification finds out again.
func (ch Changes) apply(c store.Connection) store.Connection {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	old := c
	set(&c.Name, ch.Name)
	set(&c.Description, ch.Description)
	set(&c.Vanity, ch.Vanity)
	set(&c.Cloud, ch.Cloud)
	set(&c.ClientID, ch.ClientID)
	set(&c.ZPACustomerID, ch.ZPACustomerID)
	set(&c.ZPAMicrotenantID, ch.ZPAMicrotenantID)
	set(&c.PartnerID, ch.PartnerID)
	if ch.AuthMethod != nil {
		c.AuthMethod = *ch.AuthMethod
		if methodOf(c) != methodOf(old) {
			c.SecretExpires = store.Date{}
		}
	}
	if ch.SecretExpires != nil {
		c.SecretExpires = *ch.SecretExpires
	}
	if !sameTenant(c, old) {
		c.OmitAudience = false
	}
	switch {
	case ch.AllowUnknownCloud != nil:
		c.AllowUnknownCloud = *ch.AllowUnknownCloud
	case ch.Cloud != nil && !zidentity.Cloud(*ch.Cloud).Same(zidentity.Cloud(old.Cloud)):
		c.AllowUnknownCloud = false
	}
	return c
}

// methodOf returns a connection's authentication method; none recorded
// means a secret.
func methodOf(c store.Connection) store.AuthMethod {
	if c.AuthMethod == "" {
		return store.AuthSecret
	}
	return c.AuthMethod
}

// sameTenant reports whether both connections name the same tenant.
func sameTenant(a, b store.Connection) bool {
	return strings.EqualFold(a.Vanity, b.Vanity) && zidentity.Cloud(a.Cloud).Same(zidentity.Cloud(b.Cloud))
}

// NeedsVerify reports whether the changes touch what proves the
// connection: the tenant, the client ID, the authentication method or the
// secret.
func (ch Changes) NeedsVerify(c store.Connection) bool {
	n := ch.apply(c)
	return ch.Secret != "" || !sameTenant(n, c) || n.ClientID != c.ClientID || methodOf(n) != methodOf(c)
}

// MethodChangeError means the changes switch how a client authenticates
// without the new secret or key.
type MethodChangeError struct {
	Name string
	// To is the method switched to.
	To store.AuthMethod
}

// Error says what is missing.
func (e *MethodChangeError) Error() string {
	if e.To == store.AuthPrivateKey {
		return fmt.Sprintf("switching %s to a private key needs the key itself: nothing was changed", store.Quote(e.Name))
	}
	return fmt.Sprintf("switching %s to a client secret needs the secret itself: nothing was changed", store.Quote(e.Name))
}

// checkMethod refuses a switch of method that comes without its secret.
func (ch Changes) checkMethod(c store.Connection) error {
	n := ch.apply(c)
	if methodOf(n) != methodOf(c) && ch.Secret == "" {
		return &MethodChangeError{Name: c.Name, To: methodOf(n)}
	}
	return nil
}

// Edit changes a connection: VerifyChanges, then ApplyChanges. When the
// tenant, the client ID or the secret change, the new credentials are
// verified first and nothing changes if they fail.
func (m *Manager) Edit(ctx context.Context, c store.Connection, ch Changes) (store.Connection, *zidentity.Token, error) {
	v, tok, err := m.VerifyChanges(ctx, c, ch)
	if err != nil {
		return c, nil, err
	}
	saved, err := m.ApplyChanges(ctx, c, ch, v)
	if err != nil {
		return c, nil, err
	}
	return saved, tok, nil
}

// VerifyChanges checks the edited fields and, when the changes touch the
// credentials, asks ZIdentity for a token with them. It changes nothing,
// so it may be canceled at any time. The verification is nil when none
// was needed.
func (m *Manager) VerifyChanges(ctx context.Context, c store.Connection, ch Changes) (*store.Verification, *zidentity.Token, error) {
	next := ch.apply(c)
	if err := m.Precheck(next, c.ID); err != nil {
		return nil, nil, err
	}
	if err := ch.checkMethod(c); err != nil {
		return nil, nil, err
	}
	if !ch.NeedsVerify(c) {
		return nil, nil, nil
	}
	if err := m.CheckCloud(next); err != nil {
		return nil, nil, err
	}
	secret := ch.Secret
	if secret != "" {
		s, err := m.Stored(next, secret)
		if err != nil {
			return nil, nil, err
		}
		secret = s
	} else {
		s, err := m.Secret(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		secret = s
	}
	v, tok, err := m.Verify(ctx, next, secret)
	if err != nil {
		return nil, nil, fmt.Errorf("verifying the new credentials (nothing was changed): %w", err)
	}
	return &v, tok, nil
}

// ApplyChanges saves changes that VerifyChanges accepted, recording v when
// it is not nil. A new secret replaces the old one first; if the metadata
// then cannot be saved, the old secret is put back. It is not canceled by
// ctx once it has begun, so that the keychain and the metadata file agree.
func (m *Manager) ApplyChanges(ctx context.Context, c store.Connection, ch Changes, v *store.Verification) (store.Connection, error) {
	ctx = context.WithoutCancel(ctx)
	if err := ch.checkMethod(c); err != nil {
		return c, err
	}
	var restore func() error
	if ch.Secret != "" {
		secret, err := m.Stored(ch.apply(c), ch.Secret)
		if err != nil {
			return c, err
		}
		old, err := m.Store.Secret(ctx, c.ID)
		if err != nil && !errors.Is(err, store.ErrSecretNotFound) {
			return c, fmt.Errorf("reading the current secret, to keep it should saving fail (nothing was changed): %w", err)
		}
		missing := err != nil
		if err := m.Store.ReplaceSecret(ctx, c.ID, secret); err != nil {
			return c, fmt.Errorf("saving the new secret (the old one stays): %w", err)
		}
		restore = func() error {
			if missing {
				return m.Store.Secrets().Delete(ctx, c.ID)
			}
			return m.Store.ReplaceSecret(ctx, c.ID, old)
		}
	}
	saved, err := m.Store.Update(ctx, c.ID, func(u *store.Connection) error {
		*u = ch.apply(*u)
		if v != nil {
			u.RecordVerification(v)
		}
		return nil
	})
	if err != nil && restore != nil {
		if rerr := restore(); rerr != nil {
			//nolint:errorlint // The failed restore is told, not wrapped: callers act on the save's error.
			return c, fmt.Errorf("%w; and the old secret could not be put back (%v): the %s now holds the new secret, so rotate again once the metadata file is fixed", err, rerr, m.Store.Secrets().Backend())
		}
	}
	if err != nil {
		return c, err
	}
	if ch.NeedsVerify(c) {
		// A token of the old credentials is not handed out for the new.
		dropTokens(ctx, c.ID, m.Store.Secrets())
	}
	return saved, nil
}

// Rotate verifies a new secret for the connection (for a private-key
// client, a new key, as Create takes it) and, when it works, replaces the
// old one; expires, when not nil, updates the expiry date.
func (m *Manager) Rotate(ctx context.Context, c store.Connection, secret string, expires *store.Date) (store.Connection, *zidentity.Token, error) {
	if secret == "" && c.AuthMethod == store.AuthPrivateKey {
		return c, nil, errors.New("enter the new private key: the RSA key whose public half the API client now holds")
	}
	if secret == "" {
		return c, nil, errors.New("enter the new client secret: copy it from Integration > API Clients")
	}
	return m.Edit(ctx, c, Changes{Secret: secret, SecretExpires: expires})
}

// Delete removes a connection, its secret and its cached token.
func (m *Manager) Delete(ctx context.Context, c store.Connection) error {
	dropTokens(ctx, c.ID, m.Store.Secrets())
	return m.Store.Delete(ctx, c.ID)
}

// Token returns a fresh access token for a saved connection, without
// recording anything.
func (m *Manager) Token(ctx context.Context, c store.Connection) (*zidentity.Token, error) {
	if err := m.CheckCloud(c); err != nil {
		return nil, err
	}
	secret, err := m.Secret(ctx, c)
	if err != nil {
		return nil, err
	}
	return m.token(ctx, c, secret)
}
