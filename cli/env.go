package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/internal/sdkconfig"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// sdkVar is a variable that Zscaler's SDKs and Terraform providers read,
// and how a connection sets it.
type sdkVar struct {
	name string
	// value is the variable's value for a connection and what proves it;
	// "" leaves the variable unset.
	value func(c store.Connection, cr zidentity.Credentials) string
}

// privateKeyPEM is a private-key client's key as PKCS#8 PEM, which both
// SDKs read; "" for a client secret.
func privateKeyPEM(_ store.Connection, cr zidentity.Credentials) string {
	if cr.PrivateKey == nil {
		return ""
	}
	return string(cr.PrivateKey.PEM())
}

// sdkVars are the variables env and exec manage, in the order env writes
// them: a connection sets those it has a value for, and env unsets (exec
// leaves out) all the others, so that nothing of another connection stays
// behind. What proves the connection is the client secret or the private
// key, never both. The cloud is left unset for production, as the SDKs
// expect. The ZPA IDs go by two names: ZPA_* for the Go SDK and
// Terraform, ZSCALER_* for the Python SDK; they and the partner ID are set
// only when the connection has them. ZCONN_SECRET_EXPIRES, zconn's own,
// is the secret's (or key's) expiry date, for prompts and scripts, when
// it is recorded.
var sdkVars = [...]sdkVar{
	{sdkconfig.EnvClientID, func(c store.Connection, _ zidentity.Credentials) string { return c.ClientID }},
	{sdkconfig.EnvClientSecret, func(_ store.Connection, cr zidentity.Credentials) string {
		if cr.PrivateKey != nil {
			return ""
		}
		return cr.ClientSecret
	}},
	{sdkconfig.EnvPrivateKey, privateKeyPEM},
	{sdkconfig.EnvVanityDomain, func(c store.Connection, _ zidentity.Credentials) string { return c.Vanity }},
	{sdkconfig.EnvCloud, func(c store.Connection, _ zidentity.Credentials) string {
		if cloud := zidentity.Cloud(c.Cloud); !cloud.IsProduction() {
			return cloud.String()
		}
		return ""
	}},
	{sdkconfig.EnvZPACustomerID, func(c store.Connection, _ zidentity.Credentials) string { return c.ZPACustomerID }},
	{sdkconfig.EnvCustomerID, func(c store.Connection, _ zidentity.Credentials) string { return c.ZPACustomerID }},
	{sdkconfig.EnvZPAMicrotenantID, func(c store.Connection, _ zidentity.Credentials) string { return c.ZPAMicrotenantID }},
	{sdkconfig.EnvMicrotenantID, func(c store.Connection, _ zidentity.Credentials) string { return c.ZPAMicrotenantID }},
	{sdkconfig.EnvPartnerID, func(c store.Connection, _ zidentity.Credentials) string { return c.PartnerID }},
	{"ZCONN_SECRET_EXPIRES", func(c store.Connection, _ zidentity.Credentials) string {
		if c.SecretExpires.IsZero() {
			return ""
		}
		return c.SecretExpires.String()
	}},
}

// envVar is one variable to set, or to unset when unset is true.
type envVar struct {
	name, value string
	unset       bool
}

// connectionEnv returns every variable of sdkVars: set to the
// connection's value, or unset.
func connectionEnv(c store.Connection, cr zidentity.Credentials) []envVar {
	vars := make([]envVar, 0, len(sdkVars))
	for _, v := range sdkVars {
		value := v.value(c, cr)
		vars = append(vars, envVar{name: v.name, value: value, unset: value == ""})
	}
	return vars
}

// unsetEnv returns every variable of sdkVars, unset.
func unsetEnv() []envVar {
	vars := make([]envVar, 0, len(sdkVars))
	for _, v := range sdkVars {
		vars = append(vars, envVar{name: v.name, unset: true})
	}
	return vars
}

// envOptions are what zconn env takes, its flags resolved.
type envOptions struct {
	f     *factory
	name  string
	shell shellWriter
}

func newCmdEnv(f *factory, runF func(context.Context, *envOptions) error) *cobra.Command {
	var shell string
	c := &cobra.Command{
		Use:   "env [NAME]",
		Short: "Print shell statements that set the ZSCALER_* variables",
		Long: `Print the statements that set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET (or, for a private-key client, ZSCALER_PRIVATE_KEY as PEM), ZSCALER_VANITY_DOMAIN and ZSCALER_CLOUD (unset for production) for a saved connection, and the ZPA and partner IDs it has (ZPA_CUSTOMER_ID and ZSCALER_CUSTOMER_ID, ZPA_MICROTENANT_ID and ZSCALER_MICROTENANT_ID, ZSCALER_PARTNER_ID) and ZCONN_SECRET_EXPIRES (the secret's expiry date, YYYY-MM-DD) when it is known, quoted safely for the shell, a multi-line key included; and unset the other variables of these that zconn manages, so that none of another connection stays. The output holds the secret or key: feed it to your shell rather than a file. zconn exec is usually the better way.

When env fails, it says why on standard error and prints statements that unset those variables and then fail (false; throw in PowerShell), so that eval "$(zconn env NAME)" fails too and leaves no connection's variables.`,
		Example: `  eval "$(zconn env prod)"
  zconn env prod --shell fish | source
  zconn env prod --shell powershell | Invoke-Expression`,
		Args:              args(0, 1),
		ValidArgsFunction: f.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			statement, err := shellStatements(shell)
			if err != nil {
				return err
			}
			return run(c.Context(), &envOptions{f: f, name: nameArg(a), shell: statement}, runF, envRun)
		},
	}
	c.Flags().StringVar(&shell, "shell", defaultShell, "the shell to write for: sh (also bash, zsh), fish or powershell")
	_ = c.RegisterFlagCompletionFunc("shell", completeWords("sh", "fish", "powershell"))
	return c
}

// envRun prints the statements that set the connection's variables.
func envRun(ctx context.Context, opts *envOptions) error {
	f := opts.f
	conn, cr, err := f.credentialsOf(ctx, opts.name)
	if err != nil {
		return err
	}
	vars := connectionEnv(conn, cr)
	if err := checkEnvValues(conn, vars); err != nil {
		return err
	}
	f.noteAudience(conn, true)
	return writeEnv(f.sys.Stdout, opts.shell, vars)
}

// checkEnvValues refuses to print a value with control characters or
// escape sequences, which quoting keeps from the shell but not from a
// terminal that shows the output: only a hand edit of the metadata file
// puts them there (or, for the secret, an older zconn that kept secrets
// of several lines). The secret must be one store.ValidateSecret accepts;
// the private key's PEM, which zconn writes, is lines of printable text.
func checkEnvValues(c store.Connection, vars []envVar) error {
	for _, v := range vars {
		var bad bool
		switch v.name {
		case sdkconfig.EnvClientSecret:
			bad = store.ValidateSecret(v.value) != nil
		case sdkconfig.EnvPrivateKey:
			bad = !safetext.Printable(strings.ReplaceAll(v.value, "\n", ""))
		default:
			bad = !safetext.Printable(v.value)
		}
		if bad {
			return fmt.Errorf("the %s of %s holds control characters, so env does not print it: fix the connection in the metadata file, or remove it and add it again", v.name, shellArg(c.Name))
		}
	}
	return nil
}

// shellWriter writes the statement that sets or unsets one variable.
type shellWriter func(v envVar) string

// shellStatements returns the writer for a shell's statements.
func shellStatements(shell string) (shellWriter, error) {
	switch strings.ToLower(shell) {
	case "sh", "bash", "zsh", "dash", "ksh":
		return shStatement, nil
	case "fish":
		return fishStatement, nil
	case "powershell", "pwsh":
		return powershellStatement, nil
	}
	return nil, usagef("--shell %q is not known: use sh, fish or powershell", shell)
}

// shStatement writes POSIX sh: inside single quotes nothing is special
// but the quote itself, which closes, is escaped, and reopens.
func shStatement(v envVar) string {
	if v.unset {
		return "unset " + v.name
	}
	return "export " + v.name + "='" + strings.ReplaceAll(v.value, "'", `'\''`) + "'"
}

// fishStatement writes fish: inside single quotes only \ and ' are
// special, each escaped with \. set -e fails on a variable that is not
// set, hence "or true".
func fishStatement(v envVar) string {
	if v.unset {
		return "set -e " + v.name + "; or true"
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "set -gx " + v.name + " '" + r.Replace(v.value) + "'"
}

// powershellStatement writes PowerShell: inside single quotes only the
// quote is special, doubled to escape it; PowerShell also takes the
// typographic single quotes (U+2018 to U+201B) as quotes, so those are
// doubled too. Each statement stays on one line, as `zconn env |
// Invoke-Expression` runs every line of its input on its own: a line end
// in the value (a PEM key has several) closes the quote and joins the
// next piece with "`n" (or "`r"), the escapes double quotes expand.
func powershellStatement(v envVar) string {
	if v.unset {
		return "Remove-Item Env:" + v.name + " -ErrorAction SilentlyContinue"
	}
	r := strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019", "\u201a", "\u201a\u201a", "\u201b", "\u201b\u201b",
		"\n", "' + \"`n\" + '", "\r", "' + \"`r\" + '")
	return "$env:" + v.name + " = '" + r.Replace(v.value) + "'"
}

// envFailure returns what env prints on standard output when it fails:
// for a known shell, statements that unset every variable of sdkVars, so
// that no connection's variables stay, then one that fails the evaluation.
// The shell is the --shell given; an unknown one gets false alone, which
// fails in sh and fish and is no command in PowerShell.
func envFailure(shell string) string {
	statement, err := shellStatements(shell)
	if err != nil {
		return "false\n"
	}
	var b strings.Builder
	_ = writeEnv(&b, statement, unsetEnv())
	switch strings.ToLower(shell) {
	case "powershell", "pwsh":
		// throw ends Invoke-Expression, and a script, with an error; exit
		// would close the person's own PowerShell.
		b.WriteString("throw 'zconn env failed: see the error above'\n")
	default:
		b.WriteString("false\n")
	}
	return b.String()
}

// writeEnv writes one statement per line.
func writeEnv(w io.Writer, statement shellWriter, vars []envVar) error {
	var b strings.Builder
	for _, v := range vars {
		b.WriteString(statement(v))
		b.WriteByte('\n')
	}
	_, err := fmt.Fprint(w, b.String())
	return err
}
