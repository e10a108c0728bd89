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
	if choice, ok, err := f.explicitChoice(); ok || err != nil {
		return choice, err
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

// explicitChoice returns the backend that --secrets or ZCONN_SECRETS
// names, and whether one does, without reading the config.
func (f *factory) explicitChoice() (backendChoice, bool, error) {
	for _, src := range []struct{ value, from string }{
		{f.secretsFlag, "--secrets"},
		{f.sys.Getenv("ZCONN_SECRETS"), "ZCONN_SECRETS"},
	} {
		if v := strings.ToLower(strings.TrimSpace(src.value)); v != "" {
			if v != backendKeychain && v != backendFile {
				return backendChoice{}, false, usagef("%s=%q is not a secrets backend: use keychain or file", src.from, src.value)
			}
			return backendChoice{name: v, from: src.from}, true, nil
		}
	}
	return backendChoice{}, false, nil
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
	choice, ok, err := f.explicitChoice()
	if err != nil || !ok {
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
	// The backend in use, which has just saved the secret, names itself.
	now := f.secrets.Backend()
	if err := st.SetSecretsChoice(ctx, choice.name); err != nil {
		say(f.sys.Stderr, "zconn: note: could not remember the %s as the secrets backend (%v): keep setting %s", now, err, choice.from)
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
		say(f.sys.Stderr, "zconn: note: secrets now go to the %s; %s in the %s: move them with zconn secrets migrate --to %s",
			now, before, f.describeBackend(ctx, from), choice.name)
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
	return f.newVault(st, f.passphrase)
}

// newVault returns the encrypted vault in st's folder, whose passphrase is
// ZCONN_PASSPHRASE, or else what otherwise gives (a prompt, or an error
// that says why none can be had), and which names its file with ~ for the
// home folder, except in JSON.
func (f *factory) newVault(st *store.Store, otherwise store.Passphrase) *store.Vault {
	v := store.NewVault(st, func(ctx context.Context, create bool) (string, error) {
		if p := f.sys.Getenv("ZCONN_PASSPHRASE"); p != "" {
			return p, nil
		}
		return otherwise(ctx, create)
	})
	v.WorkFactor = f.sys.VaultWorkFactor
	if !f.fullPaths {
		v.Home = f.homeDir()
	}
	return v
}

// passphrase returns the vault's passphrase as typed at a prompt that
// does not echo (twice for a new vault), when ZCONN_PASSPHRASE is not set.
func (f *factory) passphrase(ctx context.Context, create bool) (string, error) {
	if !f.sys.stdinIsTerminal() {
		return "", errors.New("the encrypted vault needs its passphrase: set ZCONN_PASSPHRASE, or run the command on a terminal")
	}
	ask := func(prompt string) (string, error) { return f.askPassphrase(ctx, prompt) }
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
		Long:  `Secrets are kept in the OS keychain by default. Where there is none (SSH sessions, containers, WSL), choose the encrypted vault: one file in the config folder, encrypted with a passphrase (age, scrypt). Choose with --secrets keychain|file or ZCONN_SECRETS; zconn remembers the choice.`,
		Args:  args(0, 0),
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
		Long:  `Moves every connection's secret to the OS keychain or the encrypted vault, from wherever it is: each is looked for in both places, and one already there stays. Each secret is copied, read back and compared before the original is removed, so an interruption leaves every secret readable from one place or the other; run the command again to finish. Afterwards zconn uses the new backend. A --secrets or ZCONN_SECRETS that names the other place is refused: unset it first.`,
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

// migrateRun moves every secret to the backend named opts.to, from
// wherever each one is.
func migrateRun(ctx context.Context, opts *migrateOptions) error {
	f, to := opts.f, opts.to
	choice, err := f.chooseBackend()
	if err != nil {
		return err
	}
	if err := f.checkMigrateChoice(to); err != nil {
		return err
	}
	st, err := f.store()
	if err != nil {
		return err
	}
	conns, err := st.List()
	if err != nil {
		return err
	}
	dst, err := f.backendNamed(ctx, to)
	if err != nil {
		return err
	}
	src, err := f.migrateSource(ctx, to)
	if err != nil {
		return err
	}
	// The vaults are opened first, so that a passphrase is asked for once,
	// and a wrong or missing one stops here, before anything moves: one
	// that exists, and one the secrets will create.
	for _, sec := range []store.Secrets{dst, src} {
		if v, ok := sec.(*store.Vault); ok && (v.Exists() || (sec == dst && len(conns) > 0)) {
			if err := v.Open(ctx); err != nil {
				return err
			}
		}
	}
	moved, already := 0, 0
	mg := manager.Migration{To: dst, From: src, FromInUse: choice.name != to}
	err = manager.Migrate(ctx, conns, mg, func(r manager.MigrateResult) {
		name := safetext.Clean(r.Connection.Name, store.MaxNameLen)
		switch {
		case r.Err != nil:
			say(f.sys.Stderr, "zconn: %s", hint(r.Err))
		case r.Already:
			already++
		case r.Differed:
			moved++
			say(f.sys.Stdout, "moved %s (the two places held different secrets: kept the one zconn was using)", name)
		default:
			moved++
			say(f.sys.Stdout, "moved %s", name)
		}
	})
	if err != nil {
		return err
	}
	if err := st.SetSecretsChoice(ctx, to); err != nil {
		return fmt.Errorf("the secrets were moved, but remembering the choice failed (%w): set ZCONN_SECRETS=%s", err, to)
	}
	w := f.sys.Stdout
	switch {
	case moved == 0 && already == 0:
		say(w, "No secrets to move; zconn keeps them in the %s from now on.", dst.Backend())
	case moved == 0:
		say(w, "The secrets are already in the %s.", dst.Backend())
	default:
		there := ""
		if already > 0 {
			there = fmt.Sprintf("; %s there already", plural(already, "was", "were"))
		}
		say(w, "Moved %s from the %s to the %s, where zconn keeps them from now on%s.", plural(moved, "secret", "secrets"), src.Backend(), dst.Backend(), there)
	}
	return nil
}

// checkMigrateChoice refuses a --secrets or ZCONN_SECRETS that names the
// other backend than --to: once the secrets are moved, every command would
// look for them in the wrong place.
func (f *factory) checkMigrateChoice(to string) error {
	if v := strings.ToLower(strings.TrimSpace(f.secretsFlag)); v != "" && v != to {
		return usagef("--secrets %s contradicts --to %s: drop --secrets (zconn remembers where the secrets are once they are moved)", v, to)
	}
	if v := strings.ToLower(strings.TrimSpace(f.sys.Getenv("ZCONN_SECRETS"))); v != "" && v != to {
		return usagef("ZCONN_SECRETS=%s contradicts --to %s: unset ZCONN_SECRETS, which would keep zconn looking in the other place, and run the command again (zconn remembers where the secrets are once they are moved)", v, to)
	}
	return nil
}

// migrateSource opens the backend the secrets leave: the OS keychain when
// they go to the vault, else the vault, when it exists.
func (f *factory) migrateSource(ctx context.Context, to string) (store.Secrets, error) {
	if to == backendFile {
		return f.sys.Secrets(ctx)
	}
	if v := f.vault(); v.Exists() {
		return v, nil
	}
	return nil, nil
}

// backendNamed opens one backend regardless of the choice.
func (f *factory) backendNamed(ctx context.Context, name string) (store.Secrets, error) {
	if name == backendFile {
		return f.vault(), nil
	}
	return f.sys.Secrets(ctx)
}

// describeBackend names a backend for people, as the backend names
// itself. Opening one reads nothing; should the keychain not open, it is
// named by this system's keychain.
func (f *factory) describeBackend(ctx context.Context, name string) string {
	sec, err := f.backendNamed(ctx, name)
	if err != nil {
		return store.KeychainName()
	}
	return sec.Backend()
}
