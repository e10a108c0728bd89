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
	// changes holds the description, expiry and IDs given (nil fields were
	// not given); the secret or key is read by editRun when one is to be
	// rotated in.
	changes manager.Changes
	// rotate replaces the secret; rotateKey the private key.
	rotate, rotateKey bool
	// keyFile is --private-key-file; empty means standard input.
	keyFile string
	timeout time.Duration
}

func newCmdEdit(f *factory, runF func(context.Context, *editOptions) error) *cobra.Command {
	var (
		description, expires, keyFile        string
		rotate, rotateKey, allowUnknownCloud bool
		ids                                  idFlags
		timeout                              time.Duration
	)
	c := &cobra.Command{
		Use:   "edit NAME",
		Short: "Change a connection's description, expiry, ZPA and partner IDs, secret or private key",
		Long: `Change a saved connection.

With --rotate-secret the new secret is read from standard input when it is not a terminal, or asked for at a prompt that does not echo. With --rotate-key the new private key is read from --private-key-file, or as PEM from standard input, or pasted at a prompt that shows nothing and ends with Ctrl-D. Either is verified by fetching a token before it replaces the old one, which stays if verification fails. There is no flag for the secret or key itself: it would land in shell history and the process list.

When the API client's Client Authentication changed in the portal, rotate to the new kind: --rotate-key switches a connection that uses a client secret to a private key, and --rotate-secret a private-key connection to a client secret. The switch, too, happens only once the new credential is verified.

A connection in a cloud other than ` + zidentity.KnownCloudList(" and ") + ` is used only once --allow-unknown-cloud confirms that its host is the tenant's.`,
		Example: `  zconn edit prod --description "Production, EU"
  printf %s "$NEW_SECRET" | zconn edit prod --rotate-secret --secret-expires 2027-09-30
  zconn edit prod --secret-expires none
  zconn edit keyed --rotate-key --private-key-file ~/keys/zscaler-2027.pem
  zconn edit prod --zpa-customer-id 216196257331281920 --zpa-microtenant-id none`,
		Args:              args(1, 1),
		ValidArgsFunction: f.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			changed := c.Flags().Changed
			if changed("private-key-file") {
				if strings.TrimSpace(keyFile) == "" {
					return usagef("--private-key-file is empty: give the path of the private key's PEM file")
				}
				rotateKey = true
			}
			if rotate && rotateKey {
				return usagef("give --rotate-secret or --rotate-key, not both: a connection has one or the other")
			}
			opts := &editOptions{f: f, name: a[0], rotate: rotate, rotateKey: rotateKey, keyFile: keyFile, timeout: timeout}
			if err := ids.resolve(changed); err != nil {
				return err
			}
			if !changed("description") && !changed("secret-expires") && !rotate && !rotateKey && !ids.any() && !changed("allow-unknown-cloud") {
				return usagef("nothing to change: give --description, --secret-expires, --zpa-customer-id, --zpa-microtenant-id, --partner-id, --rotate-secret, --rotate-key or --allow-unknown-cloud (zconn rename renames)")
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
			ids.changes(&opts.changes)
			if err := checkTimeout(timeout); err != nil {
				return err
			}
			return run(c.Context(), opts, runF, editRun)
		},
	}
	fl := c.Flags()
	fl.StringVar(&description, "description", "", "a new description (\"\" clears it)")
	fl.StringVar(&expires, "secret-expires", "", "the secret's (or key's) expiry date, YYYY-MM-DD (none clears it)")
	ids.register(c, " (none clears it)")
	fl.BoolVar(&rotate, "rotate-secret", false, "replace the secret, after verifying the new one")
	fl.BoolVar(&rotateKey, "rotate-key", false, "replace the private key, after verifying the new one")
	fl.StringVar(&keyFile, "private-key-file", "", "the new private key's PEM file, read and never copied (implies --rotate-key)")
	fl.BoolVar(&allowUnknownCloud, "allow-unknown-cloud", false, "confirm the connection's cloud, other than "+zidentity.KnownCloudList(" and ")+": the secret or key goes to its host (=false withdraws it)")
	fl.DurationVar(&timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	_ = c.MarkFlagFilename("private-key-file", "pem", "key")
	return c
}

// editRun applies the changes, reading and verifying a new secret or key
// first when one is to be rotated in.
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
	wasKey := conn.AuthMethod == store.AuthPrivateKey
	src := keySource{
		file:    opts.keyFile,
		prompt:  pastePrompt("for " + safetext.Clean(conn.Name, 0)),
		example: "zconn edit NAME --rotate-key < key.pem",
	}
	// A key file that cannot be used is said before the keychain is opened.
	var key *zidentity.PrivateKey
	if opts.rotateKey && src.file != "" {
		if key, err = f.readKey(ctx, src); err != nil {
			return err
		}
	}
	switch {
	case opts.rotateKey:
		if _, err := f.openSecrets(ctx); err != nil {
			return err
		}
		if key == nil {
			if key, err = f.readKey(ctx, src); err != nil {
				return err
			}
		}
		ch.Secret = key.Encode()
		if !wasKey {
			method := store.AuthPrivateKey
			ch.AuthMethod = &method
		}
	case opts.rotate:
		if _, err := f.openSecrets(ctx); err != nil {
			return err
		}
		secret, err := f.readSecret(ctx, fmt.Sprintf("New client secret for %s (typing is hidden): ", safetext.Clean(conn.Name, 0)), "printf %s \"$SECRET\" | zconn edit NAME --rotate-secret")
		if err != nil {
			return err
		}
		ch.Secret = secret
		if wasKey {
			method := store.AuthSecret
			ch.AuthMethod = &method
		}
	}
	saved, tok, err := m.Edit(ctx, conn, ch)
	if err != nil {
		return err
	}
	w := f.sys.Stdout
	switch {
	case opts.rotateKey && !wasKey:
		say(w, "Switched %s from a client secret to a private key (%s): verified, %s.", saved.Name, key.Description(), verifiedSummary(tok, saved))
	case opts.rotateKey:
		say(w, "Rotated the private key of %s, now %s: verified, %s.", saved.Name, key.Description(), verifiedSummary(tok, saved))
	case opts.rotate && wasKey:
		say(w, "Switched %s from a private key to a client secret: verified, %s.", saved.Name, verifiedSummary(tok, saved))
	case opts.rotate:
		say(w, "Rotated the secret of %s: verified, %s.", saved.Name, verifiedSummary(tok, saved))
	}
	if opts.rotate || opts.rotateKey {
		f.warnVerified(saved, !conn.OmitAudience)
	}
	if ch.Description != nil || ch.SecretExpires != nil || ch.AllowUnknownCloud != nil || ch.ZPACustomerID != nil || ch.ZPAMicrotenantID != nil || ch.PartnerID != nil {
		say(w, "Updated %s.", saved.Name)
	}
	f.warnExpiry(saved)
	return nil
}
