package cli

import (
	"context"
	"fmt"
	"github.com/zconn/zconn/internal/humantime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// addFlags are the flags of zconn add.
type addFlags struct {
	name, tenant, cloud, clientID, description, expires string
	noVerify                                            bool
	timeout                                             time.Duration
}

func newAddCmd(d *deps) *cobra.Command {
	var f addFlags
	c := &cobra.Command{
		Use:   "add --name NAME --tenant TENANT --client-id ID",
		Short: "Verify and save a connection (the secret comes from standard input or a prompt)",
		Long: `Verify API client credentials by fetching a token, then save them as a
connection: the secret in the OS keychain, the rest in the metadata file.

The client secret is read from standard input when it is not a terminal, or
asked for at a prompt that does not echo. There is deliberately no flag for
it: a flag would leave the secret in your shell history and in the process
list, where other users can read it.`,
		Example: `  printf %s "$ZSCALER_CLIENT_SECRET" | zconn add --name prod --tenant acme --client-id 0oa1b2c3
  zconn add --name eu-beta --tenant acme.zsloginbeta.net --client-id 0oa1b2c3 --secret-expires 2027-03-31
  zconn add --name lab --tenant acme --cloud beta --client-id 0oa1b2c3 --no-verify < secret.txt`,
		Args: args(0, 0),
		RunE: func(c *cobra.Command, _ []string) error { return d.add(c.Context(), c, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.name, "name", "", "the connection's name, such as prod (required)")
	fl.StringVar(&f.tenant, "tenant", "", "the vanity domain (acme) or your ZIdentity portal's address (required)")
	fl.StringVar(&f.cloud, "cloud", "", "the ZIdentity cloud: production (default), beta, gov or govus")
	fl.StringVar(&f.clientID, "client-id", "", "the API client's ID from Integration > API Clients (required)")
	fl.StringVar(&f.description, "description", "", "what the connection is for")
	fl.StringVar(&f.expires, "secret-expires", "", "the secret's expiry date, YYYY-MM-DD, to be warned before it lapses")
	fl.BoolVar(&f.noVerify, "no-verify", false, "save without fetching a token first")
	fl.DurationVar(&f.timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	_ = c.RegisterFlagCompletionFunc("cloud", completeWords("production", "beta", "gov", "govus"))
	return c
}

func (d *deps) add(ctx context.Context, c *cobra.Command, f addFlags) error {
	for _, name := range []string{"name", "tenant", "client-id"} {
		if !c.Flags().Changed(name) {
			return usagef("--%s is required: usage is %s", name, useLine(c))
		}
	}
	tenant, err := tenantFromFlags(f.tenant, f.cloud, c.Flags().Changed("cloud"))
	if err != nil {
		return usage(err)
	}
	expires, err := store.ParseDate(f.expires)
	if err != nil {
		return usagef("--secret-expires: %w", err)
	}
	if err := checkTimeout(f.timeout); err != nil {
		return err
	}
	draft := store.Connection{
		Name:          f.name,
		Description:   f.description,
		Vanity:        tenant.Vanity,
		Cloud:         tenant.Cloud.String(),
		ClientID:      f.clientID,
		SecretExpires: expires,
	}
	if err := draft.Validate(); err != nil {
		return usage(err)
	}
	m, err := d.verifying(f.timeout)
	if err != nil {
		return err
	}
	// Say a name is taken before anyone pastes a secret.
	if err := m.Precheck(draft, ""); err != nil {
		return err
	}
	sec, err := d.openSecrets(ctx)
	if err != nil {
		return err
	}
	secret, err := d.readSecret(ctx, fmt.Sprintf("Client secret for %s (typing is hidden): ", tenant.Host()), "printf %s \"$SECRET\" | zconn add ...")
	if err != nil {
		return err
	}
	if err := store.CheckSecretLen(sec, secret); err != nil {
		return err
	}
	saved, tok, err := m.Add(ctx, draft, secret, !f.noVerify)
	if err != nil {
		return err
	}
	d.printSaved(saved, tok, sec.Backend())
	return nil
}

// tenantFromFlags reads --tenant and --cloud; a cloud in the tenant's
// address must agree with --cloud.
func tenantFromFlags(tenant, cloud string, cloudSet bool) (zidentity.Tenant, error) {
	t, err := zidentity.ParseTenant(tenant)
	if err != nil {
		return t, fmt.Errorf("--tenant: %w", err)
	}
	if !cloudSet {
		return t, nil
	}
	c, err := zidentity.ParseCloud(cloud)
	if err != nil {
		return t, fmt.Errorf("--cloud: %w", err)
	}
	if t.Cloud != "" && t.Cloud.String() != c.String() {
		return t, fmt.Errorf("--tenant %s is in the %s cloud but --cloud says %s: drop --cloud, or give only the vanity domain", t.Host(), t.Cloud, c)
	}
	t.Cloud = c
	return t, nil
}

// printSaved says what add saved.
func (d *deps) printSaved(c store.Connection, tok *zidentity.Token, backend string) {
	w := d.o.Stdout
	expires := ""
	if !c.SecretExpires.IsZero() {
		expires = " (expires " + c.SecretExpires.String() + ")"
	}
	fmt.Fprintf(w, "Saved %s: %s, client ID %s, secret in the %s%s.\n",
		safetext.Clean(c.Name, 0), manager.Tenant(c).Host(), safetext.Clean(c.ClientID, 0), backend, expires)
	if tok == nil {
		fmt.Fprintf(w, "Not verified: run zconn test %s to check it.\n", manager.ShellArg(c.Name))
	} else {
		fmt.Fprintf(w, "Verified: %s.\n", tokenSummary(tok))
		d.warnZIAM(c, tok)
	}
	if c.Default {
		fmt.Fprintf(w, "%s is the default connection.\n", safetext.Clean(c.Name, 0))
	}
	if e := expiry(c, d.o.Now()); c.SecretState(d.o.Now()) >= store.SecretExpiring {
		fmt.Fprintf(d.o.Stderr, "warning: the secret %s: add a new one in Integration > API Clients, then zconn edit %s --rotate-secret\n", e, manager.ShellArg(c.Name))
	}
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

// warnZIAM says on stderr when the token cannot manage ZIdentity users.
func (d *deps) warnZIAM(c store.Connection, tok *zidentity.Token) {
	if tok.Claims.JWT && !tok.Claims.HasProduct(zidentity.ZIAM) {
		fmt.Fprintf(d.o.Stderr, "warning: the token of %s grants no ZIAM scope, which managing ZIdentity users needs: add ZIAM with a user-management role under Resources > Scopes in Integration > API Clients\n", safetext.Clean(c.Name, 0))
	}
}
