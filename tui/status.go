package tui

import (
	"strings"
	"time"

	"github.com/zconn/zconn/internal/humantime"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
)

// tone is how a piece of text is coloured.
type tone int

// The tones.
const (
	tonePlain tone = iota
	toneGood
	toneBad
	toneWarning
)

// label is a state as the screen shows it: a glyph, so it reads without
// colour, words, and a tone.
type label struct {
	glyph, words string
	tone         tone
}

// String is the glyph and the words.
func (l label) String() string {
	if l.glyph == "" {
		return l.words
	}
	return l.glyph + " " + l.words
}

// statusLabel shows a connection's status, or that a test is running.
func statusLabel(s manager.Status, testing bool, now time.Time) label {
	switch {
	case testing:
		return label{"…", "testing", tonePlain}
	case s.Kind == manager.NeverVerified:
		return label{"·", "never verified", tonePlain}
	case s.Concern() == manager.ConcernNoZIAM:
		return label{"⚠", "no ZIAM · " + humantime.Ago(s.At, now), toneWarning}
	case s.Concern() == manager.ConcernNoUserManagement:
		return label{"⚠", userMgmtShort + " · " + humantime.Ago(s.At, now), toneWarning}
	case s.Concern() == manager.ConcernUsersUnproven:
		// The token works; the users API did not say whether the
		// client may manage users.
		return label{"?", "users unproven · " + humantime.Ago(s.At, now), tonePlain}
	case s.Kind == manager.Verified:
		return label{"✓", "ok · " + humantime.Ago(s.At, now), toneGood}
	}
	if f := s.Failure(); f != "" {
		return label{"✗", f, toneBad}
	}
	return label{"✗", "failed", toneBad}
}

// userMgmtShort is "no user management" cut to fit the STATUS column.
const userMgmtShort = "no user mgmt"

// statusWords is a connection's status in full words, for sentences a
// screen reader reads: statusLabel's, unshortened.
func statusWords(s manager.Status, now time.Time) string {
	return strings.Replace(statusLabel(s, false, now).words, userMgmtShort, "no user management", 1)
}

// expiryLabel shows where a secret stands against its expiry date.
func expiryLabel(e store.Expiry) label {
	switch e.State {
	case store.SecretNoExpiry:
		return label{"", "—", tonePlain}
	case store.SecretExpired:
		return label{"✗", "expired", toneBad}
	case store.SecretExpiring:
		if e.Days == 0 {
			return label{"⚠", "today", toneWarning}
		}
		return label{"⚠", "in " + humantime.Plural(e.Days, "day"), toneWarning}
	}
	return label{"", e.Date.String(), tonePlain}
}
