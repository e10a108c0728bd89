package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// listOptions are what zconn list takes, its flags resolved.
type listOptions struct {
	f      *factory
	asJSON bool
}

func newCmdList(f *factory, runF func(context.Context, *listOptions) error) *cobra.Command {
	opts := &listOptions{f: f}
	c := &cobra.Command{
		Use:   "list",
		Short: "List the saved connections (never shows a secret)",
		Long: `List the saved connections: a table for people, or JSON for scripts. It reads only the metadata file: never the keychain, never the network.

On a terminal the table fits its width: the description, then the client ID, then the tenant are cut (…) or left out, and no row wraps. Piped, each connection is one line of tab-separated values, whole, without the header line, in the table's columns: the default mark (*), name, description, tenant, client ID, status and secret expiry. For scripts, --json is the stable form.`,
		Example: `  zconn list
  zconn list --json | jq -r '.[] | select(.last_result != "ok") | .name'`,
		Args: args(0, 0),
		RunE: func(c *cobra.Command, _ []string) error { return run(c.Context(), opts, runF, listRun) },
	}
	c.Flags().BoolVar(&opts.asJSON, "json", false, "print JSON: an array of objects with stable lower_snake_case fields")
	return c
}

// listRun prints the connections.
func listRun(_ context.Context, opts *listOptions) error {
	f := opts.f
	st, err := f.store()
	if err != nil {
		return err
	}
	conns, err := st.List()
	if err != nil {
		return err
	}
	def := store.DefaultIndex(conns)
	if opts.asJSON {
		return writeListJSON(f.sys.Stdout, conns, def)
	}
	if len(conns) == 0 {
		_, err := fmt.Fprintln(f.sys.Stdout, "No connections yet: add one with zconn new (guided) or zconn add (see zconn add --help).")
		return err
	}
	return f.writeListTable(conns, def)
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
	// AuthMethod is "secret" or "private_key".
	AuthMethod string `json:"auth_method"`
	// The ZPA and partner IDs are strings: ZPA IDs exceed the integers
	// that JavaScript and jq hold exactly.
	ZPACustomerID    *string `json:"zpa_customer_id"`
	ZPAMicrotenantID *string `json:"zpa_microtenant_id"`
	PartnerID        *string `json:"partner_id"`
	// UserManagement is what the users check of the last verification
	// found ("ok", "forbidden", "unauthorized", "unavailable",
	// "not_checked"); null when none was recorded.
	UserManagement *string `json:"user_management"`
}

func writeListJSON(w io.Writer, conns []store.Connection, def int) error {
	items := make([]listItem, len(conns))
	for i, c := range conns {
		it := listItem{
			Name:             c.Name,
			Description:      optional(c.Description),
			VanityDomain:     c.Vanity,
			Cloud:            zidentity.Cloud(c.Cloud).String(),
			ClientID:         c.ClientID,
			Default:          i == def,
			AuthMethod:       string(store.AuthSecret),
			ZPACustomerID:    optional(c.ZPACustomerID),
			ZPAMicrotenantID: optional(c.ZPAMicrotenantID),
			PartnerID:        optional(c.PartnerID),
		}
		if c.AuthMethod != "" {
			it.AuthMethod = string(c.AuthMethod)
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
			it.UserManagement = optional(v.UserManagement)
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

func (f *factory) writeListTable(conns []store.Connection, def int) error {
	now := f.sys.Now()
	statuses := make([]manager.Status, len(conns))
	expiries := make([]store.Expiry, len(conns))
	t := table{header: []string{"", "NAME", "DESCRIPTION", "TENANT", "CLIENT ID", "STATUS", "SECRET"}}
	t.rows = make([][]string, len(conns))
	for i, c := range conns {
		statuses[i], expiries[i] = manager.StatusOf(c), c.Expiry(now)
		mark := ""
		if i == def {
			mark = "*"
		}
		t.rows[i] = []string{
			mark,
			c.Name,
			c.Description,
			manager.Tenant(c).Host(),
			c.ClientID,
			statusText(statuses[i], now),
			expiryText(expiries[i]),
		}
	}
	if !f.sys.stdoutIsTerminal() {
		return t.writeTSV(f.sys.Stdout)
	}
	t.width, t.fit = f.sys.stdoutWidth(), listFit
	w := colorprofile.NewWriter(f.sys.Stdout, f.sys.Environ())
	t.style = listStyle(statuses, expiries)
	return t.write(w)
}

// listFit is how the list gives up room on a narrow terminal: the
// description first, then the client ID, then the tenant, each cut with
// an ellipsis, or left out when too little of it would be left. The name,
// status and secret expiry stay.
var listFit = []fitColumn{
	{col: colDescription, min: 12, drop: true},
	{col: colClientID, min: 10, drop: true},
	{col: colTenant, min: 12, drop: true},
}

// listStyle colours the table on a terminal: the header faint, the default
// bold, the status green or red (yellow when it verified without ZIAM or
// user management), an expiring secret yellow, an expired one red.
func listStyle(statuses []manager.Status, expiries []store.Expiry) func(row, col int, s string) string {
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
		switch col {
		case colMark:
			return bold.Render(s)
		case colStatus:
			switch statuses[row].Kind {
			case manager.Verified:
				if c := statuses[row].Concern(); c == manager.ConcernNoZIAM || c == manager.ConcernNoUserManagement {
					return yellow.Render(s)
				}
				return green.Render(s)
			case manager.Failed, manager.SecretMissing:
				return red.Render(s)
			}
			return faint.Render(s)
		case colSecret:
			switch expiries[row].State {
			case store.SecretExpired:
				return red.Render(s)
			case store.SecretExpiring:
				return yellow.Render(s)
			}
		}
		return s
	}
}
