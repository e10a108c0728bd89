package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// The variables that Zscaler's SDKs and Terraform providers read.
const (
	envClientID     = "ZSCALER_CLIENT_ID"
	envClientSecret = "ZSCALER_CLIENT_SECRET"
	envVanity       = "ZSCALER_VANITY_DOMAIN"
	envCloud        = "ZSCALER_CLOUD"
)

// envVar is one variable to set, or to unset when unset is true.
type envVar struct {
	name, value string
	unset       bool
}

// connectionEnv returns the variables that describe a connection: the
// cloud is left unset for production, as the SDKs expect.
func connectionEnv(c store.Connection, secret string) []envVar {
	vars := []envVar{
		{name: envClientID, value: c.ClientID},
		{name: envClientSecret, value: secret},
		{name: envVanity, value: c.Vanity},
	}
	if cloud := zidentity.Cloud(c.Cloud); cloud.IsProduction() {
		vars = append(vars, envVar{name: envCloud, unset: true})
	} else {
		vars = append(vars, envVar{name: envCloud, value: cloud.String()})
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
		Long: `Print the statements that set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET,
ZSCALER_VANITY_DOMAIN and ZSCALER_CLOUD (unset for production) for a saved
connection, quoted safely for the shell. The output holds the secret: feed
it to your shell rather than a file. zconn exec is usually the better way.`,
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
	conn, secret, err := f.secretOf(ctx, opts.name)
	if err != nil {
		return err
	}
	return writeEnv(f.sys.Stdout, opts.shell, connectionEnv(conn, secret))
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
// doubled too.
func powershellStatement(v envVar) string {
	if v.unset {
		return "Remove-Item Env:" + v.name + " -ErrorAction SilentlyContinue"
	}
	r := strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019", "\u201a", "\u201a\u201a", "\u201b", "\u201b\u201b")
	return "$env:" + v.name + " = '" + r.Replace(v.value) + "'"
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
