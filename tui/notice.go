package tui

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/store"
)

// dueSecret is a connection whose secret has expired or expires soon, as
// the start-up notice names it.
type dueSecret struct {
	name   string
	expiry store.Expiry
	// method is how the client authenticates: what expires is its secret,
	// or the public key or certificate of its private key.
	method store.AuthMethod
}

// dueSecrets returns the connections whose secrets are due on the day of
// now.
func dueSecrets(conns []store.Connection, now time.Time) []dueSecret {
	var due []dueSecret
	for _, c := range conns {
		if e := c.Expiry(now); e.Due() {
			due = append(due, dueSecret{name: c.Name, expiry: e, method: c.AuthMethod})
		}
	}
	return due
}

// expiryNotice is the one line that warns of secrets and private keys
// due, in at most width cells: one with its date, or how many, then as
// many names as fit, soonest first, and how many more ("3 secrets expire
// within 14 days: prod, lab, +1").
func expiryNotice(due []dueSecret, width int) string {
	if len(due) == 0 {
		return ""
	}
	due = slices.Clone(due)
	slices.SortStableFunc(due, func(a, b dueSecret) int { return cmp.Compare(a.expiry.Days, b.expiry.Days) })
	name := func(i int) string { return safetext.Clean(due[i].name, store.MaxNameLen) }
	if len(due) == 1 {
		return ansi.Truncate(fmt.Sprintf("The %s of %s: %s. Rotate it with r.", credentialName(due[0].method), name(0), expiryLabel(due[0].expiry).words), width, "…")
	}
	expired := 0
	for _, d := range due {
		if d.expiry.State == store.SecretExpired {
			expired++
		}
	}
	days := int(store.ExpiringSoon / (24 * time.Hour))
	what := dueKind(due)
	var lead string
	switch expired {
	case len(due):
		lead = fmt.Sprintf("%d %s have expired", len(due), what)
	case 0:
		lead = fmt.Sprintf("%d %s expire within %d days", len(due), what, days)
	default:
		lead = fmt.Sprintf("%d %s have expired or expire within %d days", len(due), what, days)
	}
	// more is what follows the names listed when others are left out.
	more := func(left int) string {
		if left == 0 {
			return ""
		}
		return fmt.Sprintf(", +%d", left)
	}
	line := lead + ": " + name(0)
	if ansi.StringWidth(line+more(len(due)-1)) > width {
		return ansi.Truncate(lead, width, "…")
	}
	for i := 1; i < len(due); i++ {
		next := line + ", " + name(i)
		if ansi.StringWidth(next+more(len(due)-i-1)) > width {
			return line + more(len(due)-i)
		}
		line = next
	}
	return line
}

// dueKind names what is due, in the plural: "secrets" or "private keys"
// when all are of one kind, else "credentials".
func dueKind(due []dueSecret) string {
	keys := 0
	for _, d := range due {
		if d.method == store.AuthPrivateKey {
			keys++
		}
	}
	switch keys {
	case 0:
		return "secrets"
	case len(due):
		return "private keys"
	}
	return "credentials"
}
