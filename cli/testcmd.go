package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

func newTestCmd(d *deps) *cobra.Command {
	var (
		all, asJSON bool
		timeout     time.Duration
	)
	c := &cobra.Command{
		Use:   "test [NAME]",
		Short: "Verify saved connections by fetching a token, and record the result",
		Long: `Fetch a token with a saved connection's credentials and record the result,
which zconn list shows. Without NAME the default connection is tested; with
--all, every connection. Exits 0 only if all passed.`,
		Example: `  zconn test
  zconn test prod
  zconn test --all --json | jq '.[] | select(.ok | not)'`,
		Args:              args(0, 1),
		ValidArgsFunction: d.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			if all && len(a) > 0 {
				return usagef("give a NAME or --all, not both: usage is %s", useLine(c))
			}
			if err := checkTimeout(timeout); err != nil {
				return err
			}
			return d.test(c.Context(), nameArg(a), all, asJSON, timeout)
		},
	}
	c.Flags().BoolVar(&all, "all", false, "test every connection")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: one object per connection")
	c.Flags().DurationVar(&timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity, per connection")
	return c
}

func (d *deps) test(ctx context.Context, name string, all, asJSON bool, timeout time.Duration) error {
	m, err := d.verifying(timeout)
	if err != nil {
		return err
	}
	var conns []store.Connection
	if all {
		if conns, err = m.Store.List(); err != nil {
			return err
		}
	} else {
		c, err := d.resolve(name)
		if err != nil {
			return err
		}
		conns = []store.Connection{c}
	}
	if _, err := d.openSecrets(ctx); err != nil {
		return err
	}
	results := m.TestAll(ctx, conns, nil)
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
		}
	}
	if asJSON {
		if err := writeTestJSON(d.o.Stdout, results); err != nil {
			return err
		}
	} else if all {
		d.writeTestLines(results)
	} else if r := results[0]; r.Err == nil {
		fmt.Fprintf(d.o.Stdout, "ok   %s: %s\n", safetext.Clean(r.Connection.Name, 0), tokenSummary(r.Token))
		d.warnZIAM(r.Connection, r.Token)
	}
	switch {
	case failed == 0:
		if all && !asJSON && len(conns) == 0 {
			fmt.Fprintln(d.o.Stdout, "No connections to test: add one with zconn new or zconn add.")
		}
		return nil
	case !all:
		r := results[0]
		return fmt.Errorf("testing %s: %w", safetext.Clean(r.Connection.Name, 0), r.Err)
	}
	where := "the FAIL lines"
	if asJSON {
		where = "the message of each in the JSON"
	}
	return fmt.Errorf("%d of %s failed: see %s", failed, plural(len(results), "connection", "connections"), where)
}

// writeTestLines prints one aligned line per connection.
func (d *deps) writeTestLines(results []manager.Result) {
	t := table{header: []string{"", "NAME", "TENANT", "RESULT"}}
	for _, r := range results {
		tag, detail := "ok", ""
		if r.Err != nil {
			tag, detail = "FAIL", safetext.Clean(r.Err.Error(), 0)
		} else {
			detail = tokenSummary(r.Token)
		}
		t.rows = append(t.rows, []string{tag, safetext.Clean(r.Connection.Name, 0), manager.Tenant(r.Connection).Host(), detail})
	}
	_ = t.write(d.o.Stdout)
}

// testItem is one connection in test --json. Its fields are a contract
// with scripts: add, never rename.
type testItem struct {
	Name                 string   `json:"name"`
	OK                   bool     `json:"ok"`
	Category             *string  `json:"category"`
	Message              *string  `json:"message"`
	TokenLifetimeSeconds *int64   `json:"token_lifetime_seconds"`
	Products             []string `json:"products"`
	Roles                []string `json:"roles"`
}

func writeTestJSON(w io.Writer, results []manager.Result) error {
	items := make([]testItem, len(results))
	for i, r := range results {
		it := testItem{Name: r.Connection.Name, OK: r.Err == nil}
		if r.Err != nil {
			cat := manager.Category(r.Err)
			msg := safetext.Clean(r.Err.Error(), 0)
			it.Category, it.Message = &cat, &msg
		} else if r.Token != nil {
			secs := int64(r.Token.Lifetime / time.Second)
			it.TokenLifetimeSeconds = &secs
			it.Products, it.Roles = nonNil(r.Token.Claims.Products()), nonNil(r.Token.Claims.Roles())
		}
		items[i] = it
	}
	return writeJSONArray(w, items)
}

// nonNil makes an absent list an empty one in JSON.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
