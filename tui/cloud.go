package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// unconfirmedHost returns the host a token request for conn would go to,
// when it would be refused unless the person confirms it first
// (manager.CheckCloud).
func (c *common) unconfirmedHost(conn store.Connection) (string, bool) {
	return refusedHost(c.mgr.CheckCloud(conn))
}

// refusedHost returns the host of a token request that zidentity refused
// for its unknown cloud.
func refusedHost(err error) (string, bool) {
	var ze *zidentity.Error
	if errors.As(err, &ze) && ze.Category == zidentity.UnknownCloud {
		return ze.Host, true
	}
	return "", false
}

// cloudQuestion asks before the client credentials go to a host in a
// cloud zconn does not know: anyone may own zslogin<name>.net, so a
// mistyped cloud would hand them to a stranger.
type cloudQuestion struct {
	host string
	keys cloudKeys
}

func newCloudQuestion(host string) *cloudQuestion {
	return &cloudQuestion{host: host, keys: newCloudKeys()}
}

// text is the question in one line.
func (q *cloudQuestion) text() string {
	return fmt.Sprintf("Send the client credentials to %s? zconn does not know this cloud.", q.host)
}

// answer reads a key: yes, no, or neither (false, false).
func (q *cloudQuestion) answer(k tea.KeyPressMsg) (yes, no bool) {
	return key.Matches(k, q.keys.Send), key.Matches(k, q.keys.Back)
}

func (q *cloudQuestion) view(s *Styles, width int) string {
	var b strings.Builder
	b.WriteString(s.Warning.Render(ansi.Wordwrap(clean("⚠ "+q.text()), width, " ")) + "\n\n")
	b.WriteString(ansi.Wordwrap("zconn knows the "+zidentity.KnownCloudList(" and ")+" clouds. Any other cloud name becomes a host such as "+clean(q.host)+", and anyone may own such a domain: a mistyped cloud would hand the secret to a stranger. Send it only if this is your tenant's host, as your ZIdentity portal's address shows.", width, " ") + "\n\n")
	b.WriteString(ansi.Wordwrap("Nothing has been sent yet. y sends the credentials and records your answer with the connection; n goes back to the tenant.", width, " ") + "\n")
	return b.String()
}

func (q *cloudQuestion) helpKeys() keyHelp { return keyHelp{q.keys.Send, q.keys.Back} }

// backToTenantBanner is what the form says after no.
const backToTenantBanner = "Nothing was sent. Check the tenant and the cloud: the address of your ZIdentity portal shows both."
