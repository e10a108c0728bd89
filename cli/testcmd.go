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

// testOptions are what zconn test takes, its flags resolved.
type testOptions struct {
	f       *factory
	name    string
	all     bool
	asJSON  bool
	timeout time.Duration
	// skipUsers is --skip-users-check.
	skipUsers bool
}

func newCmdTest(f *factory, runF func(context.Context, *testOptions) error) *cobra.Command {
	opts := &testOptions{f: f}
	c := &cobra.Command{
		Use:   "test [NAME]",
		Short: "Verify saved connections by fetching a token, and record the result",
		Long:  `Fetch a token with a saved connection's credentials and record the result, which zconn list shows. Without NAME the default connection is tested, and with --all every connection. Exits 0 only if all passed.`,
		Example: `  zconn test
  zconn test prod
  zconn test --all --json | jq '.[] | select(.ok | not)'`,
		Args: func(c *cobra.Command, a []string) error {
			if opts.all && len(a) > 0 {
				return usagef("give a NAME or --all, not both: usage is %s", useLine(c))
			}
			return args(0, 1)(c, a)
		},
		ValidArgsFunction: f.completeName,
		RunE:              runNamed(opts, &opts.name, &opts.timeout, runF, testRun),
	}
	c.Flags().BoolVar(&opts.all, "all", false, "test every connection")
	c.Flags().BoolVar(&opts.asJSON, "json", false, "print JSON: one object per connection")
	c.Flags().DurationVar(&opts.timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity, per connection")
	c.Flags().BoolVar(&opts.skipUsers, "skip-users-check", false, skipUsersUsage)
	return c
}

// testRun tests the connections and prints the results.
func testRun(ctx context.Context, opts *testOptions) error {
	f := opts.f
	f.fullPaths = opts.asJSON
	m, err := f.checking(opts.timeout, opts.skipUsers)
	if err != nil {
		return err
	}
	var conns []store.Connection
	if opts.all {
		if conns, err = m.Store.List(); err != nil {
			return err
		}
	} else {
		c, err := f.resolve(opts.name)
		if err != nil {
			return err
		}
		conns = []store.Connection{c}
	}
	if _, err := f.openSecrets(ctx); err != nil {
		return err
	}
	results := m.TestAll(ctx, conns, nil)
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
		}
	}
	switch {
	case opts.asJSON:
		if err := writeTestJSON(f.sys.Stdout, results); err != nil {
			return err
		}
	case opts.all:
		f.writeTestLines(results)
	case results[0].Err == nil:
		r := results[0]
		say(f.sys.Stdout, "ok   %s: %s", r.Connection.Name, verifiedSummary(r.Token, r.Connection))
		f.warnVerified(r.Connection, !conns[0].OmitAudience)
	}
	switch {
	case failed == 0:
		if opts.all && !opts.asJSON && len(conns) == 0 {
			fmt.Fprintln(f.sys.Stdout, "No connections to test: add one with zconn new or zconn add.")
		}
		return nil
	case !opts.all:
		r := results[0]
		return fmt.Errorf("testing %s: %w", safetext.Clean(r.Connection.Name, 0), r.Err)
	}
	where := "the FAIL lines"
	if opts.asJSON {
		where = "the message of each in the JSON"
	}
	return fmt.Errorf("%d of %s failed: see %s", failed, plural(len(results), "connection", "connections"), where)
}

// writeTestLines prints one aligned line per connection.
func (f *factory) writeTestLines(results []manager.Result) {
	t := table{header: []string{"", "NAME", "TENANT", "RESULT"}}
	for _, r := range results {
		tag, detail := "ok", ""
		if r.Err != nil {
			tag, detail = "FAIL", hint(r.Err)
		} else {
			detail = verifiedSummary(r.Token, r.Connection)
		}
		// The table cleans every cell.
		t.rows = append(t.rows, []string{tag, r.Connection.Name, manager.Tenant(r.Connection).Host(), detail})
	}
	// On a terminal, the tenant gives up room first, and the result wraps
	// in its column rather than under the others.
	t.width, t.fit, t.wrapLast = f.sys.stdoutWidth(), []fitColumn{{col: 2, min: 12}}, true
	_ = t.write(f.sys.Stdout)
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
	// AudienceSent says whether the token came to a request with the
	// audience parameter (false: the tenant refuses it); null on failure.
	AudienceSent *bool `json:"audience_sent"`
	// UserManagement is what the users check found: "ok", "forbidden",
	// "unauthorized", "unavailable" or "not_checked"; null on failure.
	UserManagement *string `json:"user_management"`
}

func writeTestJSON(w io.Writer, results []manager.Result) error {
	items := make([]testItem, len(results))
	for i, r := range results {
		it := testItem{Name: r.Connection.Name, OK: r.Err == nil}
		if r.Err != nil {
			cat := manager.Category(r.Err)
			msg := safetext.Clean(hint(r.Err), 0)
			it.Category, it.Message = &cat, &msg
		} else if r.Token != nil {
			secs := int64(r.Token.Lifetime / time.Second)
			it.TokenLifetimeSeconds = &secs
			it.Products, it.Roles = nonNil(r.Token.Claims.Products()), nonNil(r.Token.Claims.Roles())
			sent := !r.Token.AudienceOmitted
			it.AudienceSent = &sent
			if v := r.Connection.Verification; v != nil {
				it.UserManagement = optional(v.UserManagement)
			}
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
