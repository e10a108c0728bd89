package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// editOptions are what zconn edit takes, its flags resolved.
type editOptions struct {
	f    *factory
	name string
	// changes holds the description and expiry given (nil fields were not
	// given); the secret is read by editRun when rotate is set.
	changes manager.Changes
	rotate  bool
	timeout time.Duration
}

func newCmdEdit(f *factory, runF func(context.Context, *editOptions) error) *cobra.Command {
	var (
		description, expires      string
		rotate, allowUnknownCloud bool
		timeout                   time.Duration
	)
	c := &cobra.Command{
		Use:   "edit NAME",
		Short: "Change a connection's description, secret expiry or secret",
		Long: `Change a saved connection. With --rotate-secret the new secret is read from
standard input when it is not a terminal, or asked for at a prompt that does
not echo; it is verified by fetching a token before it replaces the old one,
which stays if verification fails. There is no flag for the secret itself:
it would land in shell history and the process list.

A connection in a cloud other than production, beta, gov and govus is used
only once --allow-unknown-cloud confirms that its host is the tenant's.`,
		Example: `  zconn edit prod --description "Production, EU"
  printf %s "$NEW_SECRET" | zconn edit prod --rotate-secret --secret-expires 2027-09-30
  zconn edit prod --secret-expires none`,
		Args:              args(1, 1),
		ValidArgsFunction: f.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			opts := &editOptions{f: f, name: a[0], rotate: rotate, timeout: timeout}
			changed := c.Flags().Changed
			if !changed("description") && !changed("secret-expires") && !rotate && !changed("allow-unknown-cloud") {
				return usagef("nothing to change: give --description, --secret-expires, --rotate-secret or --allow-unknown-cloud (zconn rename renames)")
			}
			if changed("allow-unknown-cloud") {
				opts.changes.AllowUnknownCloud = &allowUnknownCloud
			}
			if changed("description") {
				desc := strings.TrimSpace(description)
				if err := store.ValidateDescription(desc); err != nil {
					return usagef("--description: %w", err)
				}
				opts.changes.Description = &desc
			}
			if changed("secret-expires") {
				raw := expires
				if strings.EqualFold(strings.TrimSpace(raw), "none") {
					raw = ""
				}
				date, err := store.ParseDate(raw)
				if err != nil {
					return usagef("--secret-expires: %w", err)
				}
				opts.changes.SecretExpires = &date
			}
			if err := checkTimeout(timeout); err != nil {
				return err
			}
			return run(c.Context(), opts, runF, editRun)
		},
	}
	fl := c.Flags()
	fl.StringVar(&description, "description", "", "a new description (\"\" clears it)")
	fl.StringVar(&expires, "secret-expires", "", "the secret's expiry date, YYYY-MM-DD (none clears it)")
	fl.BoolVar(&rotate, "rotate-secret", false, "replace the secret, after verifying the new one")
	fl.BoolVar(&allowUnknownCloud, "allow-unknown-cloud", false, "confirm the connection's cloud, other than production, beta, gov and govus: the secret goes to its host (=false withdraws it)")
	fl.DurationVar(&timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	return c
}

// editRun applies the changes, reading and verifying a new secret first
// when one is to be rotated in.
func editRun(ctx context.Context, opts *editOptions) error {
	f := opts.f
	conn, err := f.resolve(opts.name)
	if err != nil {
		return err
	}
	m, err := f.verifying(opts.timeout)
	if err != nil {
		return err
	}
	ch := opts.changes
	if opts.rotate {
		sec, err := f.openSecrets(ctx)
		if err != nil {
			return err
		}
		secret, err := f.readSecret(ctx, fmt.Sprintf("New client secret for %s (typing is hidden): ", safetext.Clean(conn.Name, 0)), "printf %s \"$SECRET\" | zconn edit NAME --rotate-secret")
		if err != nil {
			return err
		}
		if err := store.CheckSecretLen(sec, secret); err != nil {
			return err
		}
		ch.Secret = secret
	}
	saved, tok, err := m.Edit(ctx, conn, ch)
	if err != nil {
		return err
	}
	w := f.sys.Stdout
	if opts.rotate {
		say(w, "Rotated the secret of %s: verified, %s.", saved.Name, tokenSummary(tok))
		f.warnZIAM(saved)
	}
	if ch.Description != nil || ch.SecretExpires != nil || ch.AllowUnknownCloud != nil {
		say(w, "Updated %s.", saved.Name)
	}
	f.warnExpiry(saved)
	return nil
}
