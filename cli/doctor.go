package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/regularfile"
	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// doctorOptions are what zconn doctor takes, its flags resolved.
type doctorOptions struct {
	f       *factory
	name    string
	timeout time.Duration
}

func newCmdDoctor(f *factory, runF func(context.Context, *doctorOptions) error) *cobra.Command {
	opts := &doctorOptions{f: f}
	c := &cobra.Command{
		Use:               "doctor [NAME]",
		Short:             "Check the config folder, the keychain, the network and the clock",
		Long:              `Check what zconn depends on, one line per check with the fix for each failure: the config folder and its permissions, the metadata file, the keychain, each connection's secret, each tenant's token host (name lookup and TLS handshake, without sending any secret), the proxy variables, ZCONN_ZIDENTITY_URL, and the local clock against the server's. With NAME, or ZCONN_CONNECTION set, only that connection is checked. Exits 1 if any check failed.`,
		Example:           `  zconn doctor`,
		Args:              args(0, 1),
		ValidArgsFunction: f.completeName,
		RunE:              runNamed(opts, &opts.name, &opts.timeout, runF, doctorRun),
	}
	c.Flags().DurationVar(&opts.timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for each network check")
	return c
}

// doctorRun runs every check, one line each.
func doctorRun(ctx context.Context, opts *doctorOptions) error {
	r := &report{w: opts.f.sys.Stdout}
	name, fromEnv, err := opts.f.selectedName(opts.name)
	if err != nil {
		return err
	}
	if fromEnv {
		r.note("%s=%s selects the connection to check; give a NAME, or unset it, to check another or all", envConnection, name)
	}
	opts.f.doctor(ctx, r, name, opts.timeout)
	if r.failed > 0 {
		return fmt.Errorf("%s failed: see the FAIL lines for the fixes", plural(r.failed, "check", "checks"))
	}
	return nil
}

// report prints one aligned line per check.
type report struct {
	w      io.Writer
	failed int
}

func (r *report) ok(format string, a ...any) { r.line("ok  ", format, a...) }

func (r *report) note(format string, a ...any) { r.line("note", format, a...) }

// fail reports a failed check: what failed, then the fix.
func (r *report) fail(format string, a ...any) {
	r.failed++
	r.line("FAIL", format, a...)
}

func (r *report) line(tag, format string, a ...any) {
	fmt.Fprintf(r.w, "%s %s\n", tag, safetext.Clean(fmt.Sprintf(format, a...), 0))
}

func (f *factory) doctor(ctx context.Context, r *report, name string, timeout time.Duration) {
	f.ownNotices = true
	st, err := f.store()
	if err != nil {
		r.fail("config folder: %s", hint(err))
		return
	}
	for _, n := range f.notices {
		r.line("note", "%s", n)
	}
	f.checkFolder(r, st)
	conns, listed := f.checkMetadata(r, st, name)
	sec := f.checkKeychain(ctx, r)
	if sec != nil && listed {
		f.checkSecrets(ctx, r, sec, conns)
	}
	f.checkNetwork(ctx, r, conns, timeout)
}

// checkFolder checks the config folder and the metadata file's
// permissions.
func (f *factory) checkFolder(r *report, st *store.Store) {
	fi, err := os.Stat(st.Dir())
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.ok("config folder %s does not exist yet: zconn creates it on the first save", st.Dir())
		return
	case err != nil:
		r.fail("config folder %s: %v: check its permissions, or set ZCONN_CONFIG_DIR", st.Dir(), err)
		return
	case !fi.IsDir():
		r.fail("config folder %s is not a folder: move it aside, or set ZCONN_CONFIG_DIR", st.Dir())
		return
	}
	if err := st.CheckFolder(); err != nil {
		r.fail("%v", err)
		return
	}
	if fix := accessProblem(st.Dir(), fi); fix != "" {
		r.fail("config folder %s", fix)
		return
	}
	if _, err := f.readDir(st.Dir()); err != nil {
		r.fail("config folder %s cannot be read (%s): check its permissions, or set ZCONN_CONFIG_DIR", st.Dir(), regularfile.Cause(err))
		return
	}
	if fix := permissionProblem(st.Dir(), fi, 0o700); fix != "" {
		r.fail("config folder %s", fix)
	} else {
		r.ok("config folder %s", st.Dir())
	}
	// A link is reported by the metadata check; a chmod of it would
	// change the file it points to.
	fi, err = os.Lstat(st.Path())
	if err == nil && !fi.IsDir() {
		if fix := permissionProblem(st.Path(), fi, 0o600); fix != "" {
			r.fail("metadata file %s", fix)
		}
	}
}

// permissionProblem says, with the fix, how path is open to other users
// (store.OpenToOthers); "" when it is not, or when zconn would not change
// it (a file with another name elsewhere). perm is the mode to set. The
// mode is written in octal, with the setuid, setgid and sticky bits.
func permissionProblem(path string, fi fs.FileInfo, perm fs.FileMode) string {
	if !store.OpenToOthers(fi) {
		return ""
	}
	return fmt.Sprintf("%s is open to other users (mode %s): run chmod %o %s", path, store.ModeString(fi.Mode()), perm, shellArg(path))
}

// checkMetadata checks that the metadata file parses and returns the
// connections to check: all, or the one named.
func (f *factory) checkMetadata(r *report, st *store.Store, name string) ([]store.Connection, bool) {
	conns, err := st.List()
	if err != nil {
		r.fail("metadata file: %s", hint(err))
		return nil, false
	}
	if _, err := os.Stat(st.Path()); errors.Is(err, fs.ErrNotExist) {
		r.ok("metadata file %s does not exist yet: no connections saved", st.Path())
	} else {
		r.ok("metadata file %s parses: %s", st.Path(), plural(len(conns), "connection", "connections"))
	}
	if name == "" {
		return conns, true
	}
	c, err := st.Find(name)
	if err != nil {
		r.fail("%s", hint(err))
		return nil, false
	}
	return []store.Connection{c}, true
}

// checkKeychain checks that the secrets backend answers, and returns it
// when it does.
func (f *factory) checkKeychain(ctx context.Context, r *report) store.Secrets {
	choice, err := f.chooseBackend()
	if err != nil {
		r.fail("secrets backend: %s", hint(err))
		return nil
	}
	why := "chosen by " + choice.from
	if choice.from == "" {
		why = "the default; choose with --secrets or ZCONN_SECRETS"
	}
	sec, err := f.openSecrets(ctx)
	if err != nil {
		r.fail("secrets backend %s (%s): %s", choice.name, why, hint(err))
		return nil
	}
	if err := store.Probe(ctx, sec); err != nil {
		r.fail("secrets backend %s (%s) does not open: %s", sec.Backend(), why, hint(err))
		return nil
	}
	if v, ok := sec.(interface{ Exists() bool }); ok && !v.Exists() {
		r.ok("secrets backend: %s (%s), not created yet", sec.Backend(), why)
		return sec
	}
	r.ok("secrets backend opens: %s (%s)", sec.Backend(), why)
	return sec
}

// checkSecrets checks that each connection's secret is present, without
// showing it; a missing one is looked for in the other backend too.
func (f *factory) checkSecrets(ctx context.Context, r *report, sec store.Secrets, conns []store.Connection) {
	m, err := f.manager(zidentity.DefaultTimeout)
	if err != nil {
		r.fail("secrets: %s", hint(err))
		return
	}
	for _, c := range conns {
		_, err := m.Secret(ctx, c)
		keyed := c.AuthMethod == store.AuthPrivateKey
		what := "secret"
		if keyed {
			what = "private key"
		}
		var missing *manager.MissingSecretError
		switch {
		case err == nil:
			r.ok("%s of %s is in the %s", what, c.Name, sec.Backend())
		case errors.As(err, &missing) && missing.Elsewhere == manager.NotElsewhere:
			r.fail("%s of %s is missing from the %s: enter it again with zconn edit %s %s", what, c.Name, sec.Backend(), shellArg(c.Name), rotateFlag(keyed))
		case errors.As(err, &missing):
			r.fail("%s", hint(err))
		default:
			r.fail("%s of %s cannot be read: %s", what, c.Name, hint(err))
		}
	}
}
