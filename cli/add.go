package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/humantime"
	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// addOptions are what zconn add takes, its flags resolved.
type addOptions struct {
	f *factory
	// draft is the connection to save, without its secret.
	draft   store.Connection
	verify  bool
	timeout time.Duration
}

func newCmdAdd(f *factory, runF func(context.Context, *addOptions) error) *cobra.Command {
	var (
		name, tenant, cloud, clientID, description, expires string
		noVerify, allowUnknownCloud                         bool
		timeout                                             time.Duration
	)
	c := &cobra.Command{
		Use:   "add --name NAME --tenant TENANT --client-id ID",
		Short: "Verify and save a connection (the secret comes from standard input or a prompt)",
		Long: `Verify API client credentials by fetching a token, then save them as a
connection: the secret in the OS keychain, the rest in the metadata file.

The client secret is read from standard input when it is not a terminal, or
asked for at a prompt that does not echo. There is deliberately no flag for
it: a flag would leave the secret in your shell history and in the process
list, where other users can read it.

A cloud other than production, beta, gov and govus (such as the X of a
tenant address acme.zsloginX.net) could be a typo that sends the secret to
someone else's domain: confirm it with --allow-unknown-cloud.`,
		Example: `  printf %s "$ZSCALER_CLIENT_SECRET" | zconn add --name prod --tenant acme --client-id 0oa1b2c3
  zconn add --name eu-beta --tenant acme.zsloginbeta.net --client-id 0oa1b2c3 --secret-expires 2027-03-31
  zconn add --name lab --tenant acme --cloud beta --client-id 0oa1b2c3 --no-verify < secret.txt`,
		Args: args(0, 0),
		RunE: func(c *cobra.Command, _ []string) error {
			for _, flag := range []string{"name", "tenant", "client-id"} {
				if !c.Flags().Changed(flag) {
					return usagef("--%s is required: usage is %s", flag, useLine(c))
				}
			}
			t, err := tenantFromFlags(tenant, cloud)
			if err != nil {
				return usage(err)
			}
			date, err := store.ParseDate(expires)
			if err != nil {
				return usagef("--secret-expires: %w", err)
			}
			if err := checkTimeout(timeout); err != nil {
				return err
			}
			opts := &addOptions{f: f, verify: !noVerify, timeout: timeout, draft: store.Connection{
				Name:          name,
				Description:   description,
				Vanity:        t.Vanity,
				Cloud:         t.Cloud.String(),
				ClientID:      clientID,
				SecretExpires: date,
				// The confirmation is for a cloud zconn does not know.
				AllowUnknownCloud: allowUnknownCloud && !t.Cloud.Known(),
			}}
			if err := opts.draft.Validate(); err != nil {
				return usage(err)
			}
			return run(c.Context(), opts, runF, addRun)
		},
	}
	fl := c.Flags()
	fl.StringVar(&name, "name", "", "the connection's name, such as prod (required)")
	fl.StringVar(&tenant, "tenant", "", "the vanity domain (acme) or your ZIdentity portal's address (required)")
	fl.StringVar(&cloud, "cloud", "", "the ZIdentity cloud: production (default), beta, gov or govus")
	fl.StringVar(&clientID, "client-id", "", "the API client's ID from Integration > API Clients (required)")
	fl.StringVar(&description, "description", "", "what the connection is for")
	fl.StringVar(&expires, "secret-expires", "", "the secret's expiry date, YYYY-MM-DD, to be warned before it lapses")
	fl.BoolVar(&noVerify, "no-verify", false, "save without fetching a token first")
	fl.BoolVar(&allowUnknownCloud, "allow-unknown-cloud", false, "confirm a cloud other than production, beta, gov and govus: the secret goes to its host")
	fl.DurationVar(&timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	_ = c.RegisterFlagCompletionFunc("cloud", completeWords("production", "beta", "gov", "govus"))
	return c
}

// addRun reads the secret, verifies the credentials and saves the
// connection.
func addRun(ctx context.Context, opts *addOptions) error {
	f := opts.f
	m, err := f.verifying(opts.timeout)
	if err != nil {
		return err
	}
	// Say a name is taken, or a cloud unknown, before anyone pastes a
	// secret.
	if err := m.Precheck(opts.draft, ""); err != nil {
		return err
	}
	if err := m.CheckCloud(opts.draft); err != nil {
		return usagef("%v: if it is, add --allow-unknown-cloud", err)
	}
	sec, err := f.openSecrets(ctx)
	if err != nil {
		return err
	}
	host := manager.Tenant(opts.draft).Host()
	secret, err := f.readSecret(ctx, fmt.Sprintf("Client secret for %s (typing is hidden): ", host), "printf %s \"$SECRET\" | zconn add ...")
	if err != nil {
		return err
	}
	if err := store.CheckSecretLen(sec, secret); err != nil {
		return err
	}
	saved, tok, err := m.Add(ctx, opts.draft, secret, opts.verify)
	if err != nil {
		if zidentity.CategoryOf(err).Network() {
			return &unverifiedError{err: err, name: opts.draft.Name}
		}
		return err
	}
	f.printSaved(saved, tok, sec.Backend())
	return nil
}

// tenantFromFlags reads --tenant and --cloud (empty when not given) as
// zidentity.ResolveTenant does, naming the flag at fault.
func tenantFromFlags(tenant, cloud string) (zidentity.Tenant, error) {
	t, err := zidentity.ResolveTenant(tenant, cloud)
	var (
		input    *zidentity.InputError
		conflict *zidentity.CloudConflictError
	)
	switch {
	case errors.As(err, &conflict):
		return t, fmt.Errorf("--tenant %s is in the %s cloud but --cloud says %s: drop --cloud, or give only the vanity domain", conflict.Host, conflict.AddressCloud, conflict.Cloud)
	case errors.As(err, &input) && input.Input == zidentity.CloudInput:
		return t, fmt.Errorf("--cloud: %w", input.Err)
	case errors.As(err, &input):
		return t, fmt.Errorf("--tenant: %w", input.Err)
	}
	return t, err
}

// printSaved says what add saved.
func (f *factory) printSaved(c store.Connection, tok *zidentity.Token, backend string) {
	w := f.sys.Stdout
	expires := ""
	if !c.SecretExpires.IsZero() {
		expires = " (expires " + c.SecretExpires.String() + ")"
	}
	// expires holds a date only, and no verb.
	say(w, "Saved %s: %s, client ID %s, secret in the %s"+expires+".", c.Name, manager.Tenant(c).Host(), c.ClientID, backend)
	if tok == nil {
		say(w, "Not verified: run zconn test %s to check it.", shellArg(c.Name))
	} else {
		say(w, "Verified: %s.", tokenSummary(tok))
		f.warnZIAM(c)
	}
	if c.Default {
		say(w, "%s is the default connection.", c.Name)
	}
	f.warnExpiry(c)
}

// tokenSummary describes a token without the token: its lifetime and
// products.
func tokenSummary(tok *zidentity.Token) string {
	s := "token lifetime " + humantime.Lifetime(tok.Lifetime)
	if p := tok.Claims.Products(); len(p) > 0 {
		s += ", products " + safetext.Clean(strings.Join(p, ", "), 200)
	}
	return s
}

// warnZIAM says on stderr when the connection's last verification found
// that its token cannot manage ZIdentity users.
func (f *factory) warnZIAM(c store.Connection) {
	if manager.LacksZIAM(c.Verification) {
		say(f.sys.Stderr, "warning: the token of %s grants no ZIAM scope, which managing ZIdentity users needs: add ZIAM with a user-management role under Resources > Scopes in Integration > API Clients", c.Name)
	}
}

// warnExpiry says on stderr when the connection's secret has expired or
// expires soon.
func (f *factory) warnExpiry(c store.Connection) {
	if e := c.Expiry(f.sys.Now()); e.Due() {
		say(f.sys.Stderr, "warning: the secret %s: add a new one in Integration > API Clients, then zconn edit %s --rotate-secret", expiryText(e), shellArg(c.Name))
	}
}

// unverifiedError is a verification that add could not make for a reason
// between zconn and ZIdentity, not the credentials: saving without
// verifying, and testing later, is then a fair offer.
type unverifiedError struct {
	err  error
	name string
}

func (e *unverifiedError) Error() string { return e.err.Error() }
func (e *unverifiedError) Unwrap() error { return e.err }
