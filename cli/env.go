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

// The variables that Zscaler's SDKs and Terraform providers read. The ZPA
// IDs go by two names: ZPA_* for the Go SDK and Terraform, ZSCALER_* for
// the Python SDK.
const (
	envClientID         = "ZSCALER_CLIENT_ID"
	envClientSecret     = "ZSCALER_CLIENT_SECRET"
	envPrivateKey       = "ZSCALER_PRIVATE_KEY"
	envVanity           = "ZSCALER_VANITY_DOMAIN"
	envCloud            = "ZSCALER_CLOUD"
	envZPACustomerID    = "ZPA_CUSTOMER_ID"
	envCustomerID       = "ZSCALER_CUSTOMER_ID"
	envZPAMicrotenantID = "ZPA_MICROTENANT_ID"
	envMicrotenantID    = "ZSCALER_MICROTENANT_ID"
	envPartnerID        = "ZSCALER_PARTNER_ID"
)

// envVar is one variable to set, or to unset when unset is true.
type envVar struct {
	name, value string
	unset       bool
}

// connectionEnv returns the variables that describe a connection and
// what proves it: the client secret, or the private key as PKCS#8 PEM
// (which both SDKs read), never both. The cloud is left unset for
// production, as the SDKs expect; the ZPA and partner IDs are set only
// when the connection has them.
func connectionEnv(c store.Connection, cr zidentity.Credentials) []envVar {
	vars := []envVar{{name: envClientID, value: c.ClientID}}
	if cr.PrivateKey != nil {
		vars = append(vars, envVar{name: envPrivateKey, value: string(cr.PrivateKey.PEM())})
	} else {
		vars = append(vars, envVar{name: envClientSecret, value: cr.ClientSecret})
	}
	vars = append(vars, envVar{name: envVanity, value: c.Vanity})
	if cloud := zidentity.Cloud(c.Cloud); cloud.IsProduction() {
		vars = append(vars, envVar{name: envCloud, unset: true})
	} else {
		vars = append(vars, envVar{name: envCloud, value: cloud.String()})
	}
	optional := func(value string, names ...string) {
		for _, name := range names {
			if value != "" {
				vars = append(vars, envVar{name: name, value: value})
			}
		}
	}
	optional(c.ZPACustomerID, envZPACustomerID, envCustomerID)
	optional(c.ZPAMicrotenantID, envZPAMicrotenantID, envMicrotenantID)
	optional(c.PartnerID, envPartnerID)
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
		Long: `Print the statements that set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET (or,
for a private-key client, ZSCALER_PRIVATE_KEY as PEM), ZSCALER_VANITY_DOMAIN
and ZSCALER_CLOUD (unset for production) for a saved connection, and the
ZPA and partner IDs it has (ZPA_CUSTOMER_ID and ZSCALER_CUSTOMER_ID,
ZPA_MICROTENANT_ID and ZSCALER_MICROTENANT_ID, ZSCALER_PARTNER_ID), quoted
safely for the shell, a multi-line key included. The output holds the
secret or key: feed it to your shell rather than a file. zconn exec is
usually the better way.`,
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
	f.noteAudience(conn, true)
	return writeEnv(f.sys.Stdout, opts.shell, connectionEnv(conn, cr))
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
