package store

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/zconn/zconn/internal/safetext"
)

// Limits on what a connection holds.
const (
	MaxNameLen        = 64
	MaxDescriptionLen = 512
	MaxClientIDLen    = 256
	// MaxZPAIDLen bounds a ZPA customer or microtenant ID: more digits than
	// any 64-bit ID has (19).
	MaxZPAIDLen = 20
	// MaxPartnerIDLen bounds a partner ID.
	MaxPartnerIDLen = 128
)

// AuthMethod is how an API client proves itself.
type AuthMethod string

// The ways an API client proves itself, by the names the metadata file and
// list --json use.
const (
	// AuthSecret is a client secret.
	AuthSecret AuthMethod = "secret"
	// AuthPrivateKey is a private key whose public half the API client
	// holds: the token request carries a signed assertion.
	AuthPrivateKey AuthMethod = "private_key"
)

// Connection is a named, verified set of ZIdentity API client credentials,
// without its secret.
type Connection struct {
	ID            string        `json:"id"`
	Name          string        `json:"name"`
	Description   string        `json:"description,omitempty"`
	Vanity        string        `json:"vanity_domain"`
	Cloud         string        `json:"cloud,omitempty"`
	ClientID      string        `json:"client_id"`
	AuthMethod    AuthMethod    `json:"auth_method"`
	SecretExpires Date          `json:"secret_expires,omitzero"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	Verification  *Verification `json:"last_verification,omitempty"`
	Default       bool          `json:"default,omitempty"`
	// ZPACustomerID, ZPAMicrotenantID and PartnerID are the optional IDs
	// that ZPA tools and partner integrations need; digits for the first
	// two.
	ZPACustomerID    string `json:"zpa_customer_id,omitempty"`
	ZPAMicrotenantID string `json:"zpa_microtenant_id,omitempty"`
	PartnerID        string `json:"partner_id,omitempty"`
	// OmitAudience records that the tenant refuses the audience parameter,
	// so token requests leave it out.
	OmitAudience bool `json:"omit_audience,omitempty"`
	// AllowUnknownCloud records that the admin confirmed sending the
	// credentials to a cloud zconn does not know by name.
	AllowUnknownCloud bool `json:"allow_unknown_cloud,omitempty"`
}

// Verification is the outcome of the last token request made with a
// connection's credentials.
type Verification struct {
	At time.Time `json:"at"`
	OK bool      `json:"ok"`
	// Category is the failure's category name, such as "rejected".
	Category string `json:"category,omitempty"`
	// Message is the one-line explanation of a failure.
	Message string `json:"message,omitempty"`
	// Lifetime is the token's lifetime in seconds.
	Lifetime int64    `json:"token_lifetime_seconds,omitempty"`
	Products []string `json:"products,omitempty"`
	Roles    []string `json:"roles,omitempty"`
	// AudienceOmitted records that the token was issued to a request
	// without the audience parameter: the tenant refused it, or the
	// connection already said to leave it out.
	AudienceOmitted bool `json:"audience_omitted,omitempty"`
	// UserManagement is what the users API answered the token: "ok",
	// "forbidden", "unauthorized", "unavailable" or "not_checked"; empty
	// when no check was recorded.
	UserManagement string `json:"user_management,omitempty"`
}

// CategorySecretMissing is the Verification category recorded when the
// keychain no longer holds the connection's secret.
const CategorySecretMissing = "secret_missing"

// HasProduct reports whether the verified token granted product p (such as
// "ZIAM"), ignoring case. A verification that listed no products at all
// (a token that is not a JWT) is given the benefit of the doubt.
func (v *Verification) HasProduct(p string) bool {
	if len(v.Products) == 0 {
		return true
	}
	return slices.ContainsFunc(v.Products, func(q string) bool { return strings.EqualFold(q, p) })
}

// TokenLifetime is the lifetime of the token the verification obtained.
func (v *Verification) TokenLifetime() time.Duration { return time.Duration(v.Lifetime) * time.Second }

// RecordVerification makes v the connection's last verification. A
// successful one whose token was issued without the audience also records
// that the tenant refuses it (OmitAudience), so that later requests leave
// it out rather than ask twice.
func (c *Connection) RecordVerification(v *Verification) {
	c.Verification = v
	if v != nil && v.OK && v.AudienceOmitted {
		c.OmitAudience = true
	}
}

// Validate checks the fields a person types and returns the first problem
// as an error that names the fix. It trims the name, description, client
// ID and the optional IDs in place.
func (c *Connection) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	c.Description = strings.TrimSpace(c.Description)
	c.ClientID = strings.TrimSpace(c.ClientID)
	c.Vanity = strings.ToLower(strings.TrimSpace(c.Vanity))
	c.ZPACustomerID = strings.TrimSpace(c.ZPACustomerID)
	c.ZPAMicrotenantID = strings.TrimSpace(c.ZPAMicrotenantID)
	c.PartnerID = strings.TrimSpace(c.PartnerID)
	if err := ValidateName(c.Name); err != nil {
		return err
	}
	if err := ValidateDescription(c.Description); err != nil {
		return err
	}
	if c.Vanity == "" {
		return errors.New("enter the tenant: the vanity domain, such as acme for acme.zslogin.net")
	}
	if err := ValidateClientID(c.ClientID); err != nil {
		return err
	}
	if err := ValidateZPACustomerID(c.ZPACustomerID); err != nil {
		return err
	}
	if err := ValidateZPAMicrotenantID(c.ZPAMicrotenantID); err != nil {
		return err
	}
	if err := ValidatePartnerID(c.PartnerID); err != nil {
		return err
	}
	switch c.AuthMethod {
	case "":
		c.AuthMethod = AuthSecret
	case AuthSecret, AuthPrivateKey:
	default:
		return fmt.Errorf("the authentication method %q is not one zconn knows: use %q or %q", safetext.Clean(string(c.AuthMethod), 40), AuthSecret, AuthPrivateKey)
	}
	return nil
}

// ValidateZPACustomerID checks a ZPA customer ID (already trimmed): empty,
// or up to 20 digits.
func ValidateZPACustomerID(id string) error { return validateZPAID("ZPA customer ID", id) }

// ValidateZPAMicrotenantID checks a ZPA microtenant ID (already trimmed):
// empty, or up to 20 digits.
func ValidateZPAMicrotenantID(id string) error { return validateZPAID("ZPA microtenant ID", id) }

func validateZPAID(what, id string) error {
	if id == "" {
		return nil
	}
	if strings.Trim(id, "0123456789") != "" {
		return fmt.Errorf("the %s holds characters other than digits: type only its digits, such as 216196257331281920", what)
	}
	if len(id) > MaxZPAIDLen {
		return fmt.Errorf("the %s has %d digits: check it, as no ZPA ID has more than %d", what, len(id), MaxZPAIDLen)
	}
	return nil
}

// ValidatePartnerID checks a partner ID (already trimmed): empty, or up to
// 128 visible ASCII characters without spaces, as it travels in an HTTP
// header.
func ValidatePartnerID(id string) error {
	if len(id) > MaxPartnerIDLen {
		return fmt.Errorf("the partner ID has %d characters: check it, as zconn takes at most %d", len(id), MaxPartnerIDLen)
	}
	for _, r := range id {
		if r <= ' ' || r > '~' {
			return errors.New("the partner ID holds spaces or characters other than visible ASCII: copy it again, and only it")
		}
	}
	return nil
}

// Quote returns a connection's name (or ID) in double quotes for a
// message: cleaned by safetext.Clean of escape sequences and control
// characters, which an old metadata file or a typed argument may hold, and
// cut to MaxNameLen. Every message of store and manager that names a
// connection quotes it with Quote.
func Quote(name string) string {
	return strconv.Quote(safetext.Clean(name, MaxNameLen))
}

// ValidateName checks a connection name (already trimmed): 1 to 64
// characters that are all visible and easy to type. A name may not start
// with "-", which commands would read as an option, nor hold characters
// that cannot be seen (zero-width, format and bidirectional controls,
// variation selectors, blank fillers), spaces other than the plain one, or
// two spaces in a row: two such names would look identical.
func ValidateName(name string) error {
	switch n := utf8.RuneCountInString(name); {
	case strings.TrimSpace(name) == "":
		return errors.New("enter a name for the connection, such as prod or acme-eu")
	case n > MaxNameLen:
		return fmt.Errorf("the name has %d characters: use at most %d", n, MaxNameLen)
	case !safetext.Printable(name):
		return errors.New("the name holds control characters: type it again with letters, digits and punctuation only")
	case strings.HasPrefix(name, "-"):
		return errors.New(`the name starts with "-", which commands read as an option: start it with a letter or a digit`)
	case startsWithMark(name):
		return errors.New("the name starts with a combining mark, which shows on no letter: start it with a letter or a digit")
	case strings.Contains(name, "  "):
		return errors.New("the name holds two spaces in a row, which look like one: type it with single spaces")
	}
	for _, r := range name {
		if invisible(r) {
			return fmt.Errorf("the name holds a character that cannot be seen (%U): type it again with visible characters only", r)
		}
	}
	return nil
}

// startsWithMark reports whether s begins with a combining mark (an
// accent, for one), which has no letter to show on.
func startsWithMark(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.M, r)
}

// invisible reports whether r shows as nothing, or as a plain space while
// being another character: format characters (Cf: zero-width spaces and
// joiners, the soft hyphen, bidirectional controls, the byte order mark,
// tags), variation selectors, other default-ignorable characters (blank
// fillers, the combining grapheme joiner), spaces other than U+0020, and
// the blank braille pattern.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		(r != ' ' && (unicode.IsSpace(r) || unicode.Is(unicode.Zs, r))) ||
		r == '\u2800'
}

// ValidateDescription checks a description: up to 512 printable characters.
func ValidateDescription(d string) error {
	if n := utf8.RuneCountInString(d); n > MaxDescriptionLen {
		return fmt.Errorf("the description has %d characters: shorten it to at most %d", n, MaxDescriptionLen)
	}
	if !safetext.Printable(d) {
		return errors.New("the description holds control characters: type it again on one line")
	}
	return nil
}

// ValidateClientID checks a client ID (already trimmed).
func ValidateClientID(id string) error {
	if id == "" {
		return errors.New("enter the client ID: copy it from Integration > API Clients")
	}
	if utf8.RuneCountInString(id) > MaxClientIDLen || !safetext.Printable(id) || strings.ContainsAny(id, " \t") {
		return errors.New("the client ID holds spaces or characters a client ID cannot hold: copy it again from Integration > API Clients")
	}
	return nil
}

// NormalizeSecret returns a client secret without the white space that
// pasting or piping adds around it (a line end, a trailing space): no
// client secret begins or ends with white space.
func NormalizeSecret(s string) string { return strings.TrimSpace(s) }

// ValidateSecret checks a client secret (already normalized) before it is
// saved, so that every secrets backend gives back exactly what was typed
// and nothing but a secret ZIdentity could have issued is sent: a PEM
// private key is refused with ErrSecretIsPrivateKey; the rest must be
// valid UTF-8, on one line, with no tab or other control character, as no
// ZIdentity secret holds one and they come from pasting more than the
// secret.
func ValidateSecret(s string) error {
	if LooksLikePrivateKey(s) {
		return ErrSecretIsPrivateKey
	}
	if !utf8.ValidString(s) {
		return errors.New("the secret is not valid UTF-8 text: copy only the client secret from Integration > API Clients")
	}
	if strings.ContainsAny(s, "\r\n") {
		return errors.New("the secret has more than one line: copy only the client secret from Integration > API Clients")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return errors.New("the secret holds a tab or another control character: copy only the client secret from Integration > API Clients")
	}
	return nil
}

// ErrSecretIsPrivateKey is ValidateSecret's refusal of a PEM private key
// given as a client secret, which would otherwise be sent to ZIdentity as
// one. The front ends say how to give it as the private key.
var ErrSecretIsPrivateKey = errors.New("this is a private key, not a client secret")

// LooksLikePrivateKey reports whether text holds a PEM private key (of
// any kind: PKCS#1, PKCS#8, encrypted, EC).
func LooksLikePrivateKey(s string) bool { return strings.Contains(s, "PRIVATE KEY-----") }

// EndsPEM reports whether a line of pasted or typed text is the END line
// of a PEM block, the last line of a private key. It takes the line as
// bytes too, which it does not copy: a line of a key is cleared after.
func EndsPEM[T ~string | ~[]byte](line T) bool {
	for len(line) > 0 && (line[0] == ' ' || line[0] == '\t' || line[0] == '\r') {
		line = line[1:]
	}
	return len(line) >= 8 && string(line[:8]) == "-----END"
}

// SameName reports whether two names are the same, ignoring case and how
// accented letters are written: é as one character or as e and a
// combining accent (Unicode normalization form C), which look the same.
func SameName(a, b string) bool { return nameKey(a) == nameKey(b) }

// nameKey maps the names SameName finds equal to one key: their NFC form,
// in upper then lower case, which folds ſ with s and the Kelvin sign with
// k, as strings.EqualFold does.
func nameKey(name string) string {
	return strings.ToLower(strings.ToUpper(norm.NFC.String(strings.TrimSpace(name))))
}

// ExpiringSoon is how close to its expiry a secret is flagged.
const ExpiringSoon = 14 * 24 * time.Hour

// SecretState says where a secret stands against its expiry date.
type SecretState int

// The secret states.
const (
	// SecretNoExpiry means no expiry date was recorded.
	SecretNoExpiry SecretState = iota
	// SecretValid means the expiry is more than 14 days away.
	SecretValid
	// SecretExpiring means the secret expires within 14 days.
	SecretExpiring
	// SecretExpired means the expiry date has passed.
	SecretExpired
)

// Expiry is where a connection's secret stands against its expiry date on
// one day: what the front ends show, and warn about.
type Expiry struct {
	State SecretState
	// Date is the recorded expiry date; zero with SecretNoExpiry.
	Date Date
	// Days is how many days are left: 0 on the expiry date itself,
	// negative once it has passed.
	Days int
}

// Expiry returns where the secret stands on the day of now. A secret is
// valid through its expiry date and expired from the next day.
func (c Connection) Expiry(now time.Time) Expiry {
	if c.SecretExpires.IsZero() {
		return Expiry{State: SecretNoExpiry}
	}
	e := Expiry{Date: c.SecretExpires, Days: c.SecretExpires.DaysFrom(now), State: SecretValid}
	switch {
	case e.Days < 0:
		e.State = SecretExpired
	case e.Days <= int(ExpiringSoon/(24*time.Hour)):
		e.State = SecretExpiring
	}
	return e
}

// Due reports whether the secret has expired or expires soon: what a person
// should be warned about.
func (e Expiry) Due() bool { return e.State == SecretExpiring || e.State == SecretExpired }

// Date is a calendar day, written YYYY-MM-DD. The zero Date is no date.
type Date struct{ t time.Time }

// DateLayout is how dates are written and parsed.
const DateLayout = "2006-01-02"

// ParseDate reads YYYY-MM-DD; blank input gives the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, such as 2027-03-31", s)
	}
	return Date{t}, nil
}

// NewDate returns the Date of year, month and day. zconn itself reads
// dates with ParseDate; NewDate exists for the tests of this package and
// of the packages above it (manager, cli, tui), which build connections
// with a known expiry.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// DaysFrom returns how many days lie from now's calendar day (in now's
// location) to d: 0 on the day itself, negative once d has passed.
func (d Date) DaysFrom(now time.Time) int {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return int(d.t.Sub(today).Hours() / 24)
}

// MarshalText writes YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
