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

// editFlags are the flags of zconn edit.
type editFlags struct {
	description, expires string
	rotate               bool
	timeout              time.Duration
}

func newEditCmd(d *deps) *cobra.Command {
	var f editFlags
	c := &cobra.Command{
		Use:   "edit NAME",
		Short: "Change a connection's description, secret expiry or secret",
		Long: `Change a saved connection. With --rotate-secret the new secret is read from
standard input when it is not a terminal, or asked for at a prompt that does
not echo; it is verified by fetching a token before it replaces the old one,
which stays if verification fails. There is no flag for the secret itself:
it would land in shell history and the process list.`,
		Example: `  zconn edit prod --description "Production, EU"
  printf %s "$NEW_SECRET" | zconn edit prod --rotate-secret --secret-expires 2027-09-30
  zconn edit prod --secret-expires none`,
		Args:              args(1, 1),
		ValidArgsFunction: d.completeName,
		RunE:              func(c *cobra.Command, a []string) error { return d.edit(c.Context(), c, a[0], f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.description, "description", "", "a new description (\"\" clears it)")
	fl.StringVar(&f.expires, "secret-expires", "", "the secret's expiry date, YYYY-MM-DD (none clears it)")
	fl.BoolVar(&f.rotate, "rotate-secret", false, "replace the secret, after verifying the new one")
	fl.DurationVar(&f.timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	return c
}

func (d *deps) edit(ctx context.Context, c *cobra.Command, name string, f editFlags) error {
	var ch manager.Changes
	changed := c.Flags().Changed
	if !changed("description") && !changed("secret-expires") && !f.rotate {
		return usagef("nothing to change: give --description, --secret-expires or --rotate-secret (zconn rename renames)")
	}
	if changed("description") {
		desc := strings.TrimSpace(f.description)
		if err := store.ValidateDescription(desc); err != nil {
			return usagef("--description: %w", err)
		}
		ch.Description = &desc
	}
	if changed("secret-expires") {
		raw := f.expires
		if strings.EqualFold(strings.TrimSpace(raw), "none") {
			raw = ""
		}
		date, err := store.ParseDate(raw)
		if err != nil {
			return usagef("--secret-expires: %w", err)
		}
		ch.SecretExpires = &date
	}
	if err := checkTimeout(f.timeout); err != nil {
		return err
	}
	conn, err := d.resolve(name)
	if err != nil {
		return err
	}
	m, err := d.verifying(f.timeout)
	if err != nil {
		return err
	}
	if f.rotate {
		sec, err := d.openSecrets(ctx)
		if err != nil {
			return err
		}
		secret, err := d.readSecret(ctx, fmt.Sprintf("New client secret for %s (typing is hidden): ", safetext.Clean(conn.Name, 0)), "printf %s \"$SECRET\" | zconn edit NAME --rotate-secret")
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
	w := d.o.Stdout
	if f.rotate {
		fmt.Fprintf(w, "Rotated the secret of %s: verified, %s.\n", safetext.Clean(saved.Name, 0), tokenSummary(tok))
		d.warnZIAM(saved, tok)
	}
	if ch.Description != nil || ch.SecretExpires != nil {
		fmt.Fprintf(w, "Updated %s.\n", safetext.Clean(saved.Name, 0))
	}
	if e := expiry(saved, d.o.Now()); saved.SecretState(d.o.Now()) >= store.SecretExpiring {
		fmt.Fprintf(d.o.Stderr, "warning: the secret %s: add a new one in Integration > API Clients, then zconn edit %s --rotate-secret\n", e, manager.ShellArg(saved.Name))
	}
	return nil
}
