package sdkconfig

import (
	"fmt"
	"log/slog"
)

// redacted is what a Secret shows instead of itself.
const redacted = "[redacted]"

// Secret holds a client secret or a private key's PEM text. It cannot print
// itself: String, GoString, Format (every fmt verb), LogValue and
// MarshalText all give "[redacted]". Reveal returns the value, for the one
// place that needs it. The zero Secret is empty.
type Secret struct {
	// v is a pointer so that even reflection-based printing of a struct
	// holding a Secret shows an address, never the text.
	v *string
}

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{v: &s} }

// Reveal returns the secret's text.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// String returns "[redacted]".
func (s Secret) String() string { return redacted }

// GoString returns "[redacted]", for %#v.
func (s Secret) GoString() string { return redacted }

// Format writes "[redacted]" whatever the verb, so that no fmt verb, even a
// wrong one such as %d, prints the text.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue keeps the secret out of structured logs.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps the secret out of JSON and other encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Kind says how an API client proves itself: with a client secret or with a
// private key.
type Kind int

const (
	// ClientSecret is a client secret (Client Authentication > Secret).
	ClientSecret Kind = iota + 1
	// PrivateKey is an RSA private key in PEM form, whose public half the
	// portal holds.
	PrivateKey
)

// String names the kind as a person reads it: "client secret" or
// "private key".
func (k Kind) String() string {
	switch k {
	case ClientSecret:
		return "client secret"
	case PrivateKey:
		return "private key"
	}
	return "no secret"
}

// YAMLKey is the key of zscaler.client, in the SDKs' YAML file, that
// holds a secret of this kind: clientSecret or privateKey.
func (k Kind) YAMLKey() string {
	if k == PrivateKey {
		return keyPrivateKey
	}
	return keyClientSecret
}
