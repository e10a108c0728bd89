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
	// draft is the connection to save, without its secret; its AuthMethod
	// says whether a secret or a private key is read.
	draft store.Connection
	// keyFile is --private-key-file; empty means standard input.
	keyFile string
	verify  bool
	// skipUsers is --skip-users-check.
	skipUsers bool
	timeout   time.Duration
}

func newCmdAdd(f *factory, runF func(context.Context, *addOptions) error) *cobra.Command {
	var (
		name, tenant, cloud, clientID, description, expires string
		auth, keyFile                                       string
		ids                                                 idFlags
		noVerify, allowUnknownCloud, skipUsers              bool
		timeout                                             time.Duration
	)
	c := &cobra.Command{
		Use:   "add --name NAME --tenant TENANT --client-id ID",
		Short: "Verify and save a connection (the secret or key comes from standard input, a prompt or a file)",
		Long: `Verify API client credentials by fetching a token, then save them as a connection: the secret or private key in the OS keychain, the rest in the metadata file.

An API client proves itself with a client secret (Client Authentication > Secret in the portal) or, with --auth private-key, with a private key whose public half, as a public key or certificate, the API client holds.

The client secret is read from standard input when it is not a terminal, or asked for at a prompt that does not echo. A private key is read from the file that --private-key-file names (only read: never changed or copied), or as PEM from standard input, or pasted at a prompt that shows nothing and ends with Ctrl-D. There is deliberately no flag for the secret or the key itself: a flag would leave it in your shell history and in the process list, where other users can read it.

A cloud other than ` + zidentity.KnownCloudList(" and ") + ` (such as the X of a tenant address acme.zsloginX.net) could be a typo that sends the secret or key to someone else's domain: confirm it with --allow-unknown-cloud.`,
		Example: `  printf %s "$ZSCALER_CLIENT_SECRET" | zconn add --name prod --tenant acme --client-id 0oa1b2c3
  zconn add --name eu-beta --tenant acme.zsloginbeta.net --client-id 0oa1b2c3 --secret-expires 2027-03-31
  zconn add --name lab --tenant acme --cloud beta --client-id 0oa1b2c3 --no-verify < secret.txt
  zconn add --name keyed --tenant acme --client-id 0oa1b2c3 --private-key-file ~/keys/zscaler.pem
  zconn add --name zpa --tenant acme --client-id 0oa1b2c3 --auth private-key --zpa-customer-id 216196257331281920 < key.pem`,
		Args: args(0, 0),
		RunE: func(c *cobra.Command, _ []string) error {
			changed := c.Flags().Changed
			for _, flag := range []string{"name", "tenant", "client-id"} {
				if !changed(flag) {
					return usagef("--%s is required: usage is %s", flag, useLine(c))
				}
			}
			method, err := authFromFlags(auth, changed("auth"), keyFile, changed("private-key-file"))
			if err != nil {
				return err
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
			opts := &addOptions{f: f, keyFile: keyFile, verify: !noVerify, skipUsers: skipUsers, timeout: timeout, draft: store.Connection{
				Name:          name,
				Description:   description,
				Vanity:        t.Vanity,
				Cloud:         t.Cloud.String(),
				ClientID:      clientID,
				AuthMethod:    method,
				SecretExpires: date,
				// The confirmation is for a cloud zconn does not know.
				AllowUnknownCloud: allowUnknownCloud && !t.Cloud.Known(),
			}}
			if err := ids.resolve(changed); err != nil {
				return err
			}
			ids.applyTo(&opts.draft)
			if err := opts.draft.Validate(); err != nil {
				return usage(err)
			}
			return run(c.Context(), opts, runF, addRun)
		},
	}
	fl := c.Flags()
	fl.StringVar(&name, "name", "", "the connection's name, such as prod (required)")
	fl.StringVar(&tenant, "tenant", "", "the vanity domain (acme) or your ZIdentity portal's address (required)")
	fl.StringVar(&cloud, "cloud", "", "the ZIdentity cloud: "+zidentity.KnownCloudList(" or ")+" (production by default)")
	fl.StringVar(&clientID, "client-id", "", "the API client's ID from Integration > API Clients (required)")
	fl.StringVar(&auth, "auth", "secret", "how the API client authenticates: secret, or private-key (the PEM from standard input, a prompt or --private-key-file)")
	fl.StringVar(&keyFile, "private-key-file", "", "the private key's PEM file, read and never copied (implies --auth private-key)")
	fl.StringVar(&description, "description", "", "what the connection is for")
	fl.StringVar(&expires, "secret-expires", "", "the secret's expiry date, YYYY-MM-DD, to be warned before it lapses")
	ids.register(c, "")
	fl.BoolVar(&noVerify, "no-verify", false, "save without fetching a token first")
	fl.BoolVar(&allowUnknownCloud, "allow-unknown-cloud", false, "confirm a cloud other than "+zidentity.KnownCloudList(" and ")+": the secret or key goes to its host")
	fl.BoolVar(&skipUsers, "skip-users-check", false, skipUsersUsage)
	fl.DurationVar(&timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	_ = c.RegisterFlagCompletionFunc("cloud", completeWords("production", "beta", "gov", "govus"))
	_ = c.RegisterFlagCompletionFunc("auth", completeWords("secret", "private-key"))
	_ = c.MarkFlagFilename("private-key-file", "pem", "key")
	return c
}

// authFromFlags reads --auth and --private-key-file: a key file means a
// private key, and contradicts --auth secret.
func authFromFlags(auth string, authGiven bool, keyFile string, fileGiven bool) (store.AuthMethod, error) {
	var method store.AuthMethod
	switch strings.ToLower(strings.TrimSpace(auth)) {
	case "secret":
		method = store.AuthSecret
	case "private-key", "private_key":
		method = store.AuthPrivateKey
	default:
		return "", usagef("--auth %q is not known: use secret or private-key", safetext.Clean(auth, 40))
	}
	switch {
	case fileGiven && strings.TrimSpace(keyFile) == "":
		return "", usagef("--private-key-file is empty: give the path of the private key's PEM file")
	case fileGiven && authGiven && method == store.AuthSecret:
		return "", usagef("--private-key-file is for a private key, but --auth says secret: drop --auth, or the key file")
	case fileGiven:
		method = store.AuthPrivateKey
	}
	return method, nil
}

// addRun reads the secret or the private key, verifies the credentials
// and saves the connection.
func addRun(ctx context.Context, opts *addOptions) error {
	f := opts.f
	m, err := f.checking(opts.timeout, opts.skipUsers)
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
	host := manager.Tenant(opts.draft).Host()
	keyed := opts.draft.AuthMethod == store.AuthPrivateKey
	src := keySource{
		file:    opts.keyFile,
		prompt:  pastePrompt("for " + host),
		example: "zconn add ... --auth private-key < key.pem",
	}
	// A key file that cannot be used is said before the keychain is opened.
	var key *zidentity.PrivateKey
	if keyed && src.file != "" {
		if key, err = f.readKey(ctx, src); err != nil {
			return err
		}
	}
	sec, err := f.openSecrets(ctx)
	if err != nil {
		return err
	}
	var secret, what string
	switch {
	case keyed && key == nil:
		if key, err = f.readKey(ctx, src); err != nil {
			return err
		}
		fallthrough
	case keyed:
		secret, what = key.Encode(), "private key ("+key.Description()+")"
	default:
		secret, err = f.readSecret(ctx, fmt.Sprintf("Client secret for %s (typing is hidden): ", host), "printf %s \"$SECRET\" | zconn add ...")
		if err != nil {
			return err
		}
		what = "secret"
	}
	saved, tok, err := m.Add(ctx, opts.draft, secret, opts.verify)
	if err != nil {
		if zidentity.CategoryOf(err).Network() {
			return &unverifiedError{err: err, name: opts.draft.Name}
		}
		return err
	}
	f.printSaved(saved, tok, what, sec.Backend())
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

// printSaved says what add saved: what is the secret ("secret") or the
// key's description.
func (f *factory) printSaved(c store.Connection, tok *zidentity.Token, what, backend string) {
	w := f.sys.Stdout
	expires := ""
	if !c.SecretExpires.IsZero() {
		expires = " (expires " + c.SecretExpires.String() + ")"
	}
	// expires holds a date only, and no verb.
	say(w, "Saved %s: %s, client ID %s, %s in the %s"+expires+".", c.Name, manager.Tenant(c).Host(), c.ClientID, what, backend)
	if tok == nil {
		say(w, "Not verified: run zconn test %s to check it.", shellArg(c.Name))
	} else {
		say(w, "Verified: %s.", verifiedSummary(tok, c))
		f.warnVerified(c, true)
	}
	if c.Default {
		say(w, "%s is the default connection.", c.Name)
	}
	f.warnExpiry(c)
}

// tokenSummary describes a token without the token: its lifetime and
// products, and whether it came without the audience.
func tokenSummary(tok *zidentity.Token) string {
	s := "token lifetime " + humantime.Lifetime(tok.Lifetime)
	if p := tok.Claims.Products(); len(p) > 0 {
		s += ", products " + safetext.Clean(strings.Join(p, ", "), 200)
	}
	if tok.AudienceOmitted {
		s += ", audience not sent (the tenant refuses it)"
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
		what, add := "secret", "a new one"
		if c.AuthMethod == store.AuthPrivateKey {
			what, add = "key", "a new public key or certificate"
		}
		say(f.sys.Stderr, "warning: the %s %s: add %s in Integration > API Clients, then zconn edit %s %s", what, expiryText(e), add, shellArg(c.Name), rotateFlag(c.AuthMethod == store.AuthPrivateKey))
	}
}

// rotateFlag is edit's flag that replaces a connection's secret, or its
// private key.
func rotateFlag(privateKey bool) string {
	if privateKey {
		return "--rotate-key"
	}
	return "--rotate-secret"
}

// warnVerified says, after a verification of c, what a person should act
// on: that the tenant refuses the audience (when that is news: learned by
// this verification), that the token lacks ZIAM, or what the users check
// found.
func (f *factory) warnVerified(c store.Connection, audienceNews bool) {
	if audienceNews {
		f.noteAudience(c, false)
	}
	f.warnZIAM(c)
	f.warnUsers(c)
}

// noteAudience says, when a connection's tenant refuses the audience
// parameter, that zconn leaves it out, and that tools which always send it
// may fail there: on standard output after a verification, on standard
// error (toStderr) beside env and exec, whose standard output is not for
// people.
func (f *factory) noteAudience(c store.Connection, toStderr bool) {
	if !c.OmitAudience {
		return
	}
	w, prefix := f.sys.Stdout, "Note: "
	if toStderr {
		w, prefix = f.sys.Stderr, "zconn: note: "
	}
	say(w, prefix+"the tenant of %s refuses the audience parameter, so zconn leaves it out of token requests; SDKs and tools that always send it may fail against this tenant", c.Name)
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
