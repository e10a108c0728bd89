package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

func newListCmd(d *deps) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List the saved connections (never shows a secret)",
		Long: `List the saved connections: a table for people, or JSON for scripts.
It reads only the metadata file: never the keychain, never the network.`,
		Example: `  zconn list
  zconn list --json | jq -r '.[] | select(.last_result != "ok") | .name'`,
		Args: args(0, 0),
		RunE: func(*cobra.Command, []string) error { return d.list(asJSON) },
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: an array of objects with stable lower_snake_case fields")
	return c
}

func (d *deps) list(asJSON bool) error {
	st, err := d.store()
	if err != nil {
		return err
	}
	conns, err := st.List()
	if err != nil {
		return err
	}
	def := defaultIndex(conns)
	if asJSON {
		return writeListJSON(d.o.Stdout, conns, def)
	}
	if len(conns) == 0 {
		_, err := fmt.Fprintln(d.o.Stdout, "No connections yet: add one with zconn new (guided) or zconn add (see zconn add --help).")
		return err
	}
	return d.writeListTable(conns, def)
}

// defaultIndex returns the index of the connection commands use when none
// is named, as store.Default chooses it, or -1.
func defaultIndex(conns []store.Connection) int {
	if i := slices.IndexFunc(conns, func(c store.Connection) bool { return c.Default }); i >= 0 {
		return i
	}
	if len(conns) == 1 {
		return 0
	}
	return -1
}

// listItem is one connection in list --json. Its fields are a contract
// with scripts: add, never rename.
type listItem struct {
	Name          string  `json:"name"`
	Description   *string `json:"description"`
	VanityDomain  string  `json:"vanity_domain"`
	Cloud         string  `json:"cloud"`
	ClientID      string  `json:"client_id"`
	SecretExpires *string `json:"secret_expires"`
	Default       bool    `json:"default"`
	LastVerified  *string `json:"last_verified"`
	LastResult    *string `json:"last_result"`
}

func writeListJSON(w io.Writer, conns []store.Connection, def int) error {
	items := make([]listItem, len(conns))
	for i, c := range conns {
		it := listItem{
			Name:         c.Name,
			Description:  optional(c.Description),
			VanityDomain: c.Vanity,
			Cloud:        zidentity.Cloud(c.Cloud).String(),
			ClientID:     c.ClientID,
			Default:      i == def,
		}
		if !c.SecretExpires.IsZero() {
			it.SecretExpires = optional(c.SecretExpires.String())
		}
		if v := c.Verification; v != nil {
			it.LastVerified = optional(v.At.UTC().Format(time.RFC3339))
			result := "ok"
			if !v.OK {
				result = v.Category
				if result == "" {
					result = zidentity.Unknown.String()
				}
			}
			it.LastResult = &result
		}
		items[i] = it
	}
	return writeJSONArray(w, items)
}

// optional returns nil for "", so that JSON says null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// List table columns.
const (
	colMark = iota
	colName
	colDescription
	colTenant
	colClientID
	colStatus
	colSecret
)

func (d *deps) writeListTable(conns []store.Connection, def int) error {
	now := d.o.Now()
	t := table{header: []string{"", "NAME", "DESCRIPTION", "TENANT", "CLIENT ID", "STATUS", "SECRET"}}
	t.rows = make([][]string, len(conns))
	for i, c := range conns {
		mark := ""
		if i == def {
			mark = "*"
		}
		t.rows[i] = []string{
			mark,
			clean(c.Name, store.MaxNameLen),
			clean(c.Description, 40),
			clean(manager.Tenant(c).Host(), 80),
			clean(c.ClientID, 40),
			status(c, now),
			expiry(c, now),
		}
	}
	if !d.o.stdoutIsTerminal() {
		return t.write(d.o.Stdout)
	}
	w := colorprofile.NewWriter(d.o.Stdout, d.o.Environ())
	t.style = listStyle(conns, now)
	return t.write(w)
}

// listStyle colours the table on a terminal: the header faint, the default
// bold, the status green or red, an expiring secret yellow, an expired one
// red.
func listStyle(conns []store.Connection, now time.Time) func(row, col int, s string) string {
	var (
		faint  = lipgloss.NewStyle().Faint(true)
		bold   = lipgloss.NewStyle().Bold(true)
		green  = lipgloss.NewStyle().Foreground(lipgloss.Green)
		red    = lipgloss.NewStyle().Foreground(lipgloss.Red)
		yellow = lipgloss.NewStyle().Foreground(lipgloss.Yellow)
	)
	return func(row, col int, s string) string {
		if row < 0 {
			return faint.Render(s)
		}
		c := conns[row]
		switch col {
		case colMark:
			return bold.Render(s)
		case colStatus:
			switch {
			case strings.HasPrefix(s, "verified"):
				return green.Render(s)
			case strings.HasPrefix(s, "failed"):
				return red.Render(s)
			}
			return faint.Render(s)
		case colSecret:
			switch c.SecretState(now) {
			case store.SecretExpired:
				return red.Render(s)
			case store.SecretExpiring:
				return yellow.Render(s)
			}
		}
		return s
	}
}
