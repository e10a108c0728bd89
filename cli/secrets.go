package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
)

// The secrets backends a person can choose.
const (
	backendKeychain = "keychain"
	backendFile     = "file"
)

// backendChoice is which secrets backend to use and why.
type backendChoice struct {
	name string
	// from says where the choice came from: "--secrets", "ZCONN_SECRETS",
	// "the config", or "" when zconn chose the keychain itself.
	from string
}

// chooseBackend decides the secrets backend: the --secrets flag, else
// ZCONN_SECRETS, else the choice remembered in the config, else the OS
// keychain. It reads the metadata file only.
func (f *factory) chooseBackend() (backendChoice, error) {
	for _, src := range []struct{ value, from string }{
		{f.secretsFlag, "--secrets"},
		{f.sys.Getenv("ZCONN_SECRETS"), "ZCONN_SECRETS"},
	} {
		if v := strings.ToLower(strings.TrimSpace(src.value)); v != "" {
			if v != backendKeychain && v != backendFile {
				return backendChoice{}, usagef("%s=%q is not a secrets backend: use keychain or file", src.from, src.value)
			}
			return backendChoice{name: v, from: src.from}, nil
		}
	}
	st, err := f.store()
	if err != nil {
		return backendChoice{}, err
	}
	remembered, err := st.SecretsChoice()
	if err != nil {
		return backendChoice{}, err
	}
	if remembered == backendKeychain || remembered == backendFile {
		return backendChoice{name: remembered, from: "the config"}, nil
	}
	return backendChoice{name: backendKeychain}, nil
}

// openBackend opens the chosen secrets backend.
func (f *factory) openBackend(ctx context.Context) (store.Secrets, error) {
	choice, err := f.chooseBackend()
	if err != nil {
		return nil, err
	}
	var sec store.Secrets
	switch choice.name {
	case backendFile:
		sec = f.vault()
	default:
		if sec, err = f.sys.Secrets(ctx); err != nil {
			return nil, err
		}
	}
	return sec, nil
}

// rememberChoice, called when a secret was saved, remembers a backend
// chosen with --secrets or ZCONN_SECRETS, and says so when connections
// saved before keep their secrets in the other backend. Commands that only
// read secrets never change the choice.
func (f *factory) rememberChoice(ctx context.Context) {
	choice, err := f.chooseBackend()
	if err != nil || (choice.from != "--secrets" && choice.from != "ZCONN_SECRETS") {
		return
	}
	st, err := f.store()
	if err != nil {
		return
	}
	before, err := st.SecretsChoice()
	if err != nil || before == choice.name || (before == "" && choice.name == backendKeychain) {
		return
	}
	conns, _ := st.List()
	if err := st.SetSecretsChoice(ctx, choice.name); err != nil {
		fmt.Fprintf(f.sys.Stderr, "zconn: note: could not remember the %s as the secrets backend (%v): keep setting %s\n", f.describeBackend(choice.name), err, choice.from)
		return
	}
	if len(conns) > 0 {
		from := backendKeychain
		if choice.name == backendKeychain {
			from = backendFile
		}
		before := fmt.Sprintf("the %d connections saved before keep theirs", len(conns))
		if len(conns) == 1 {
			before = "the connection saved before keeps its secret"
		}
		fmt.Fprintf(f.sys.Stderr, "zconn: note: secrets now go to the %s; %s in the %s: move them with zconn secrets migrate --to %s\n",
			f.describeBackend(choice.name), before, f.describeBackend(from), choice.name)
	}
}

// remember writes the backend choice into the config when it changed.
func (f *factory) remember(ctx context.Context, name string) error {
	st, err := f.store()
	if err != nil {
		return err
	}
	if cur, err := st.SecretsChoice(); err == nil && cur == name {
		return nil
	}
	return st.SetSecretsChoice(ctx, name)
}

// vault returns the encrypted vault in the config folder.
func (f *factory) vault() *store.Vault {
	st, _ := f.store()
	v := store.NewVault(st, f.passphrase)
	v.WorkFactor = f.sys.VaultWorkFactor
	return v
}

// passphrase returns the vault's passphrase: ZCONN_PASSPHRASE, else what
// is typed at a prompt that does not echo (twice for a new vault).
func (f *factory) passphrase(ctx context.Context, create bool) (string, error) {
	if p := f.sys.Getenv("ZCONN_PASSPHRASE"); p != "" {
		return p, nil
	}
	if !f.sys.stdinIsTerminal() {
		return "", errors.New("the encrypted vault needs its passphrase: set ZCONN_PASSPHRASE, or run the command on a terminal")
	}
	ask := func(prompt string) (string, error) { return f.prompt(ctx, prompt) }
	if !create {
		return ask("Vault passphrase: ")
	}
	fmt.Fprintln(f.sys.Stderr, "zconn keeps secrets in an encrypted vault here: choose its passphrase (you need it whenever zconn reads a secret).")
	p, err := ask("New vault passphrase: ")
	if err != nil {
		return "", err
	}
	again, err := ask("Type it again: ")
	if err != nil {
		return "", err
	}
	if p != again {
		return "", errors.New("the two passphrases differ: nothing was saved; run the command again")
	}
	return p, nil
}

func newCmdSecrets(f *factory, runF func(context.Context, *migrateOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secrets",
		Short: "Choose where secrets are kept: the OS keychain or an encrypted vault",
		Long: `Secrets are kept in the OS keychain by default. Where there is none (SSH
sessions, containers, WSL), choose the encrypted vault: one file in the
config folder, encrypted with a passphrase (age, scrypt). Choose with
--secrets keychain|file or ZCONN_SECRETS; zconn remembers the choice.`,
		Args: args(0, 0),
	}
	cmd.AddCommand(newCmdMigrate(f, runF))
	return cmd
}

// migrateOptions are what zconn secrets migrate takes, its flags resolved.
type migrateOptions struct {
	f *factory
	// to is the backend the secrets go to: backendKeychain or backendFile.
	to string
}

func newCmdMigrate(f *factory, runF func(context.Context, *migrateOptions) error) *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "migrate --to keychain|file",
		Short: "Move every secret to the OS keychain or the encrypted vault",
		Long: `Moves every connection's secret to the other backend. Each secret is
copied, read back and compared before the original is removed, so an
interruption leaves every secret readable from one place or the other; run
the command again to finish. Afterwards zconn uses the new backend.`,
		Example: `  zconn secrets migrate --to file       # leave the keychain for the vault
  zconn secrets migrate --to keychain   # and back`,
		Args: args(0, 0),
		RunE: func(c *cobra.Command, _ []string) error {
			to := strings.ToLower(strings.TrimSpace(to))
			if to != backendKeychain && to != backendFile {
				return usagef("--to %q is not a secrets backend: use --to keychain or --to file", to)
			}
			return run(c.Context(), &migrateOptions{f: f, to: to}, runF, migrateRun)
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "where the secrets go: keychain or file")
	return cmd
}

// migrateRun moves every secret to the backend named opts.to.
func migrateRun(ctx context.Context, opts *migrateOptions) error {
	f, to := opts.f, opts.to
	st, err := f.store()
	if err != nil {
		return err
	}
	conns, err := st.List()
	if err != nil {
		return err
	}
	choice, err := f.chooseBackend()
	if err != nil {
		return err
	}
	from := choice.name
	if from == to {
		fmt.Fprintf(f.sys.Stdout, "The secrets are already in the %s.\n", f.describeBackend(to))
		return nil
	}
	src, err := f.backendNamed(ctx, from)
	if err != nil {
		return err
	}
	dst, err := f.backendNamed(ctx, to)
	if err != nil {
		return err
	}
	err = manager.Migrate(ctx, conns, src, dst, func(r manager.MigrateResult) {
		switch {
		case r.Err != nil:
			fmt.Fprintf(f.sys.Stderr, "zconn: %s\n", safetext.Clean(hint(r.Err), 0))
		default:
			fmt.Fprintf(f.sys.Stdout, "moved %s\n", safetext.Clean(r.Connection.Name, store.MaxNameLen))
		}
	})
	if err != nil {
		return err
	}
	if err := st.SetSecretsChoice(ctx, to); err != nil {
		return fmt.Errorf("the secrets were moved, but remembering the choice failed (%w): set ZCONN_SECRETS=%s", err, to)
	}
	fmt.Fprintf(f.sys.Stdout, "Moved %d secrets from the %s to the %s, where zconn keeps them from now on.\n", len(conns), src.Backend(), dst.Backend())
	return nil
}

// backendNamed opens one backend regardless of the choice.
func (f *factory) backendNamed(ctx context.Context, name string) (store.Secrets, error) {
	if name == backendFile {
		return f.vault(), nil
	}
	return f.sys.Secrets(ctx)
}

// describeBackend names a backend for people.
func (f *factory) describeBackend(name string) string {
	if name == backendFile {
		return f.vault().Backend()
	}
	return store.KeychainName()
}
