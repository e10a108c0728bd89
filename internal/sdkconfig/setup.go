package sdkconfig

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/zconn/zconn/internal/humanpath"
	"github.com/zconn/zconn/internal/safetext"
)

// Setup is one plain-text credential setup found in the environment or in
// an SDK YAML file. Its Secret never prints itself; every other field is
// as read, trimmed of surrounding white space, and still unchecked: the
// caller verifies the credentials and applies zconn's rules for tenants and
// IDs.
type Setup struct {
	// Path is the YAML file the setup was read from, as given to FromFile
	// or as Discover built it. It is empty for the environment.
	Path string
	// Variables lists the environment variables that were set (ZSCALER_*,
	// ZPA_*), for a setup from the environment, so that a front end can say
	// which ones can go now that the secret is stored.
	Variables []string

	// ClientID is the API client's ID.
	ClientID string
	// Kind says whether Secret is a client secret or a private key.
	Kind Kind
	// Secret is the client secret, or the private key's PEM text (read
	// from KeyPath when the setup named a key file).
	Secret Secret
	// KeyPath is the absolute path of the key file that privateKey or
	// ZSCALER_PRIVATE_KEY named. It is empty when the PEM was written in
	// the setup itself or the kind is ClientSecret. The key file is read,
	// never changed.
	KeyPath string

	// VanityDomain is the tenant's vanity domain, acme for acme.zslogin.net.
	VanityDomain string
	// Cloud is the cloud as written (empty, PRODUCTION, beta, gov, govus,
	// ...); empty means production.
	Cloud string
	// CustomerID is the ZPA customer ID, as the exact digits written.
	CustomerID string
	// MicrotenantID is the ZPA microtenant ID.
	MicrotenantID string
	// PartnerID is the partner ID the SDKs send as a header.
	PartnerID string

	// Digest is the SHA-256 of the YAML file's bytes as read. RemoveSecret
	// refuses to rewrite a file whose content no longer has this digest.
	Digest [sha256.Size]byte
}

// FromEnvironment reports whether the setup came from environment variables.
func (s *Setup) FromEnvironment() bool { return s.Path == "" }

// Where returns the file's path, or Environment.
func (s *Setup) Where() string {
	if s.FromEnvironment() {
		return Environment
	}
	return s.Path
}

// Plaintext reports whether the secret is written in the YAML file itself,
// so that RemoveSecret has something to remove: a clientSecret, or a
// privateKey that holds the PEM. It is false for the environment and for a
// privateKey that names a key file.
func (s *Setup) Plaintext() bool {
	return !s.FromEnvironment() && !s.Secret.IsZero() && s.KeyPath == ""
}

// Summary describes the setup on one line for a chooser, with the client ID
// shortened and never the secret:
// "~/.zscaler/zscaler.yaml (client ID 0oa1…h8i9, tenant acme)". A path under
// home is shown with ~; an empty home shows paths in full. Values read from
// the setup are cleaned of control and escape characters.
func (s *Setup) Summary(home string) string {
	where := "environment variables"
	if !s.FromEnvironment() {
		where = safetext.Clean(humanpath.Tilde(s.Path, home), 0)
	}
	tenant := safetext.Clean(s.VanityDomain, 40)
	if c := safetext.Clean(s.Cloud, 20); c != "" && !strings.EqualFold(c, "production") {
		tenant += " (" + c + ")"
	}
	extra := ""
	if s.Kind == PrivateKey {
		extra = ", private key"
	}
	return fmt.Sprintf("%s (client ID %s, tenant %s%s)", where, shortID(s.ClientID), tenant, extra)
}

// shortID keeps the first and last four characters of a long client ID.
func shortID(id string) string {
	r := []rune(safetext.Clean(id, 0))
	if len(r) <= 12 {
		return string(r)
	}
	return string(r[:4]) + "…" + string(r[len(r)-4:])
}
