package cli

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/humanpath"
	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/internal/sdkconfig"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// importOptions are what zconn import takes, its flags resolved.
type importOptions struct {
	f *factory
	// fromEnv is --from-env; file is --file. Neither means: look in every
	// place the SDKs look.
	fromEnv bool
	file    string
	// name is --name; empty names the connection after its tenant.
	name              string
	removePlaintext   bool
	allowUnknownCloud bool
	skipUsers         bool
	timeout           time.Duration
}

func newCmdImport(f *factory, runF func(context.Context, *importOptions) error) *cobra.Command {
	opts := &importOptions{f: f}
	c := &cobra.Command{
		Use:   "import [--from-env | --file PATH] [--name NAME] [--remove-plaintext]",
		Short: "Bring in credentials kept in plain text (ZSCALER_* variables, zscaler.yaml): verify, then save",
		Long: `Import API client credentials that Zscaler's SDKs and Terraform providers read in plain text, verify them exactly as zconn add does, and save them as a connection: the secret or private key in the OS keychain, the rest in the metadata file. A failure saves nothing and changes no file.

--from-env reads ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET or ZSCALER_PRIVATE_KEY, ZSCALER_VANITY_DOMAIN, ZSCALER_CLOUD, ZPA_CUSTOMER_ID (or ZSCALER_CUSTOMER_ID), ZPA_MICROTENANT_ID (or ZSCALER_MICROTENANT_ID) and ZSCALER_PARTNER_ID. --file reads the zscaler.client section of the SDKs' YAML file, whose privateKey holds the PEM or the path of a key file. With neither, zconn looks in the environment, ~/.zscaler/zscaler.yaml and ./zscaler.yaml, lists what it found and imports the one found; with several, it asks which on a terminal, and elsewhere exits 2 naming them.

The connection is named after the tenant (acme, or acme-beta for another cloud), with -2, -3, ... when that name is taken, unless --name names it.

Once the connection is saved and verified, --remove-plaintext rewrites the YAML file without clientSecret, or a privateKey that holds the PEM: every other setting, the comments and the file's mode stay, and no backup is made. On a terminal zconn asks instead. A key file that privateKey names is never changed. zconn never edits shell files: for the environment it names the startup files that set the variables, so you can remove them there.`,
		Example: `  zconn import
  zconn import --from-env --name prod
  zconn import --file ~/.zscaler/zscaler.yaml --remove-plaintext
  zconn import --file ./zscaler.yaml --name lab --skip-users-check`,
		Args: args(0, 0),
		RunE: func(c *cobra.Command, _ []string) error {
			changed := c.Flags().Changed
			switch {
			case opts.fromEnv && changed("file"):
				return usagef("give --from-env or --file, not both: usage is %s", useLine(c))
			case changed("file") && strings.TrimSpace(opts.file) == "":
				return usagef("--file is empty: give the path of the SDKs' YAML file, such as ~/.zscaler/zscaler.yaml")
			case opts.fromEnv && opts.removePlaintext:
				return usagef("--remove-plaintext rewrites a YAML file, and --from-env reads none: zconn names the shell files that set the variables instead")
			}
			if changed("name") {
				opts.name = strings.TrimSpace(opts.name)
				if err := store.ValidateName(opts.name); err != nil {
					return usagef("--name: %w", err)
				}
			}
			if err := checkTimeout(opts.timeout); err != nil {
				return err
			}
			return run(c.Context(), opts, runF, importRun)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&opts.fromEnv, "from-env", false, "import the ZSCALER_* variables of the environment")
	fl.StringVar(&opts.file, "file", "", "import the SDKs' YAML file at PATH, such as ~/.zscaler/zscaler.yaml")
	fl.StringVar(&opts.name, "name", "", "the connection's name (default: the vanity domain, plus the cloud when not production)")
	fl.BoolVar(&opts.removePlaintext, "remove-plaintext", false, "once saved and verified, take the secret or key out of the YAML file")
	fl.BoolVar(&opts.allowUnknownCloud, "allow-unknown-cloud", false, "confirm a cloud other than "+zidentity.KnownCloudList(" and ")+": the secret or key goes to its host")
	fl.BoolVar(&opts.skipUsers, "skip-users-check", false, skipUsersUsage)
	fl.DurationVar(&opts.timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	_ = c.MarkFlagFilename("file", "yaml", "yml")
	return c
}

// importRun finds the setup, verifies and saves it, then deals with the
// plaintext it leaves behind.
func importRun(ctx context.Context, opts *importOptions) error {
	f := opts.f
	m, err := f.checking(opts.timeout, opts.skipUsers)
	if err != nil {
		return err
	}
	s, err := f.chooseSetup(opts)
	if err != nil {
		return err
	}
	imp := manager.ImportOptions{Name: opts.name, AllowUnknownCloud: opts.allowUnknownCloud}
	// Say what cannot be imported, a name taken or a cloud unknown before
	// the keychain is opened or anything is sent.
	draft, secret, err := m.ImportDraft(s, imp)
	if err != nil {
		return err
	}
	if err := m.Precheck(draft, ""); err != nil {
		return err
	}
	if err := m.CheckCloud(draft); err != nil {
		return usagef("%v: if it is, add --allow-unknown-cloud", err)
	}
	what := "secret"
	if draft.AuthMethod == store.AuthPrivateKey {
		key, err := zidentity.DecodePrivateKey(secret)
		if err != nil {
			return err
		}
		what = "private key (" + key.Description() + ")"
	}
	sec, err := f.openSecrets(ctx)
	if err != nil {
		return err
	}
	say(f.sys.Stdout, "Importing %s.", s.Summary(f.homeDir()))
	saved, tok, err := m.Import(ctx, s, imp)
	if err != nil {
		return err
	}
	f.printSaved(saved, tok, what, sec.Backend())
	return f.afterImport(ctx, m, s, saved, opts.removePlaintext, sec.Backend())
}

// chooseSetup reads the setup that --from-env or --file names or, with
// neither, looks where the SDKs look: one setup found is the one, and
// several are chosen from on a terminal.
func (f *factory) chooseSetup(opts *importOptions) (*sdkconfig.Setup, error) {
	home := f.homeDir()
	cwd, _ := f.sys.Getwd()
	switch {
	case opts.fromEnv:
		return sdkconfig.FromEnv(f.sys.Getenv, home, cwd)
	case opts.file != "":
		return sdkconfig.FromFile(opts.file, home, cwd)
	}
	found, problems := sdkconfig.Discover(f.sys.Getenv, home, cwd)
	for _, p := range problems {
		say(f.sys.Stderr, "zconn: note: not importable: %v", p)
	}
	switch len(found) {
	case 0:
		places := []string{"the environment"}
		for _, p := range sdkconfig.Paths(home, cwd) {
			places = append(places, f.tilde(p))
		}
		fix := "set the ZSCALER_* variables, or name a file with --file PATH"
		if len(problems) > 0 {
			fix = "fix what is noted above, or name a file with --file PATH"
		}
		return nil, fmt.Errorf("no credentials to import in %s: %s", strings.Join(places, ", "), fix)
	case 1:
		return found[0], nil
	}
	say(f.sys.Stdout, "Found %d setups with credentials:", len(found))
	for i, s := range found {
		say(f.sys.Stdout, "  %d. %s", i+1, s.Summary(home))
	}
	if !f.sys.stdinIsTerminal() {
		var choices []string
		for _, s := range found {
			flag := "--from-env"
			if !s.FromEnvironment() {
				flag = "--file " + shellArg(s.Path)
			}
			choices = append(choices, "zconn import "+flag+" for "+s.Summary(home))
		}
		return nil, usagef("%d setups found and standard input is not a terminal, so zconn cannot ask which: run %s", len(found), strings.Join(choices, ", or "))
	}
	fmt.Fprintf(f.sys.Stderr, "Import which one? [1-%d] ", len(found))
	line, _ := f.stdinLines().ReadString('\n')
	n, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || n < 1 || n > len(found) {
		return nil, usagef("no setup chosen (answer a number from 1 to %d): nothing was imported", len(found))
	}
	return found[n-1], nil
}

// afterImport deals with what an import leaves in plain text: it takes the
// secret out of a YAML file (with remove, or when the person agrees), or
// says where it stays; for the environment it names the shell files that
// set the variables.
func (f *factory) afterImport(ctx context.Context, m *manager.Manager, s *sdkconfig.Setup, c store.Connection, remove bool, backend string) error {
	what := s.Kind.String()
	if s.KeyPath != "" {
		say(f.sys.Stdout, "The key file %s stays as it is: zconn never changes it. Delete it once no other tool needs it.", f.tilde(s.KeyPath))
	}
	if s.FromEnvironment() {
		f.sayEnvOrigins(s, backend)
		return nil
	}
	if !s.Plaintext() {
		return nil
	}
	if !remove && f.sys.stdinIsTerminal() {
		remove = f.confirm(fmt.Sprintf("Remove the %s from %s? It is now in the %s. [y/N] ", what, safetext.Clean(f.tilde(s.Path), 0), safetext.Clean(backend, 0)))
	}
	if !remove {
		say(f.sys.Stderr, "warning: %s still holds the %s in plain text: delete its %s entry now that the %s holds it, or import with --remove-plaintext", f.tilde(s.Path), what, s.Kind.YAMLKey(), backend)
		return nil
	}
	if err := m.RemovePlaintext(ctx, s, c); err != nil {
		return fmt.Errorf("%s is saved and verified, but the %s stays in the file: %w", shellArg(c.Name), what, err)
	}
	say(f.sys.Stdout, "Removed the %s from %s; its other settings and comments stay.", what, f.tilde(s.Path))
	return nil
}

// sayEnvOrigins says where the variables of an imported setup probably
// come from, and that they can go now. zconn only reads those files.
func (f *factory) sayEnvOrigins(s *sdkconfig.Setup, backend string) {
	cwd, _ := f.sys.Getwd()
	files := sdkconfig.EnvOrigins(f.homeDir(), cwd, s.Variables)
	vars := strings.Join(s.Variables, ", ")
	if len(files) == 0 {
		say(f.sys.Stdout, "%s came from the environment, and no shell startup file mentions them: they may come from CI settings or the shell zconn was started from. Remove them there now that the %s holds the %s.", vars, backend, s.Kind)
		return
	}
	for i, p := range files {
		files[i] = f.tilde(p)
	}
	say(f.sys.Stdout, "%s came from the environment; %s %s them. Remove them there now that the %s holds the %s (zconn does not edit shell files).", vars, strings.Join(files, ", "), plural1(len(files), "mentions", "mention"), backend, s.Kind)
}

// plural1 picks the verb for one subject or several.
func plural1(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// homeDir returns the home folder, as os.UserHomeDir finds it, from the
// environment zconn was given.
func (f *factory) homeDir() string {
	if runtime.GOOS == "windows" {
		return f.sys.Getenv("USERPROFILE")
	}
	return f.sys.Getenv("HOME")
}

// tilde shows a path under the home folder as ~/...
func (f *factory) tilde(path string) string { return humanpath.Tilde(path, f.homeDir()) }
