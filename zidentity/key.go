package zidentity

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/zconn/zconn/internal/safetext"
)

// MinKeyBits is the smallest RSA key zconn accepts.
const MinKeyBits = 2048

// MaxKeyText is the most text ParsePrivateKey reads: far more than any
// RSA key in PEM, even with its certificate beside it.
const MaxKeyText = 64 << 10

// Why a private key was refused; ParsePrivateKey's errors match one of
// these with errors.Is, and ErrKeyRefused too.
var (
	// ErrKeyRefused matches every refusal of a private key, whatever the
	// reason.
	ErrKeyRefused = errors.New("the private key was refused")
	// ErrKeyNotPEM: the text holds no PEM block (nothing, a JWK, binary).
	ErrKeyNotPEM = errors.New("not a PEM private key")
	// ErrKeyEncrypted: the key is protected by a passphrase.
	ErrKeyEncrypted = errors.New("the private key is encrypted")
	// ErrKeyNotRSA: the key is EC, Ed25519, DSA or another kind.
	ErrKeyNotRSA = errors.New("the private key is not RSA")
	// ErrKeyPublic: a certificate or public key was given, not the
	// private half.
	ErrKeyPublic = errors.New("a public key or certificate, not a private key")
	// ErrKeyTooSmall: the RSA key has fewer than MinKeyBits bits.
	ErrKeyTooSmall = errors.New("the RSA key is too small")
	// ErrKeyUnreadable: a private key block that cannot be decoded, or
	// more than one.
	ErrKeyUnreadable = errors.New("the private key cannot be read")
)

// keyError is a refused key: a sentence for people and a kind for code.
type keyError struct {
	kind error
	msg  string
}

func (e *keyError) Error() string        { return e.msg }
func (e *keyError) Is(target error) bool { return target == e.kind || target == ErrKeyRefused }

func keyErr(kind error, format string, args ...any) error {
	return &keyError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// need is what every refusal says zconn needs.
const need = "zconn needs an unencrypted RSA private key of 2048 bits or more in PEM, beginning -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----"

// PrivateKey is an RSA private key that proves an API client by signing
// its client assertions. It never prints itself: String, GoString and
// LogValue describe it by size and fingerprint only.
type PrivateKey struct {
	key *rsa.PrivateKey
}

// ParsePrivateKey reads an RSA private key as an admin pastes it or as a
// key file holds it: PEM, PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 (BEGIN RSA
// PRIVATE KEY), 2048 bits or more. Other PEM blocks beside the key, such
// as its certificate, are ignored. An indented key, a key whose lines end
// in \r\n or a lone \r (as some terminals paste), and a key whose line
// breaks arrive as the two characters \n (as in some CI variables), are
// read too. Every refusal
// is one line that says what was given and what is needed, and matches
// one of the ErrKey errors.
func ParsePrivateKey(text []byte) (*PrivateKey, error) {
	if len(text) > MaxKeyText {
		return nil, keyErr(ErrKeyNotPEM, "the text is over 64 KiB, larger than any private key: %s", need)
	}
	// Every copy of the key's text made here is cleared once it is read,
	// so that none stays in memory (the form reads the key at each key
	// press while it is typed).
	var copies [][]byte
	defer func() {
		for _, c := range copies {
			clear(c)
		}
	}()
	own := func(b []byte) []byte { copies = append(copies, b); return b }
	if !bytes.ContainsAny(text, "\r\n") && bytes.Contains(text, []byte(`\n`)) {
		text = own(bytes.ReplaceAll(text, []byte(`\n`), []byte("\n")))
	}
	// A pasted or quoted key may be indented, and its lines may end in
	// \r\n or \r; PEM lines end in \n and are never indented.
	if bytes.Contains(text, []byte("\r")) {
		text = own(bytes.ReplaceAll(own(bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))), []byte("\r"), []byte("\n")))
	}
	lines := bytes.Split(text, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimSpace(l)
	}
	text = own(bytes.Join(lines, []byte("\n")))
	var keys, others []*pem.Block
	for rest := text; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		own(b.Bytes)
		if strings.HasSuffix(b.Type, "PRIVATE KEY") {
			keys = append(keys, b)
		} else {
			others = append(others, b)
		}
	}
	switch {
	case len(keys) > 1:
		return nil, keyErr(ErrKeyUnreadable, "the text holds %d private keys: give the one of this API client", len(keys))
	case len(keys) == 0 && len(others) > 0:
		return nil, refuseBlock(others[0])
	case len(keys) == 0:
		return nil, refuseText(text)
	}
	return parseKeyBlock(keys[0])
}

// refuseText explains text that holds no PEM block at all.
func refuseText(text []byte) error {
	t := bytes.TrimSpace(text)
	switch {
	case len(t) == 0:
		return keyErr(ErrKeyNotPEM, "no private key was given: %s", need)
	case t[0] == '{':
		return keyErr(ErrKeyNotPEM, "a JSON Web Key was given: %s", need)
	case t[0] == 0x30:
		return keyErr(ErrKeyNotPEM, "a binary (DER) key was given: %s", need)
	case bytes.Contains(t, []byte("-----BEGIN")):
		return keyErr(ErrKeyUnreadable, "the PEM text is cut short or changed: copy the whole key again, from its BEGIN line to its END line")
	}
	return keyErr(ErrKeyNotPEM, "the text is not a PEM private key: %s", need)
}

// refuseBlock explains a PEM block that is not a private key.
func refuseBlock(b *pem.Block) error {
	switch b.Type {
	case "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE":
		return keyErr(ErrKeyPublic, "a certificate was given, which holds only the public half: %s (the half that stays with you)", need)
	case "PUBLIC KEY", "RSA PUBLIC KEY", "SSH2 PUBLIC KEY":
		return keyErr(ErrKeyPublic, "a public key was given: the ZIdentity portal holds that half; %s (the half that stays with you)", need)
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		return keyErr(ErrKeyPublic, "a certificate request was given: %s", need)
	}
	return keyErr(ErrKeyNotPEM, "a PEM block of type %q was given: %s", safetext.Clean(b.Type, 40), need)
}

// parseKeyBlock reads one PEM block whose type ends in PRIVATE KEY.
func parseKeyBlock(b *pem.Block) (*PrivateKey, error) {
	if b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, keyErr(ErrKeyEncrypted, "the private key is encrypted with a passphrase: zconn needs it unencrypted, as Zscaler's SDKs read it")
	}
	switch b.Type {
	case "EC PRIVATE KEY":
		return nil, notRSA("an EC")
	case "DSA PRIVATE KEY":
		return nil, notRSA("a DSA")
	case "OPENSSH PRIVATE KEY":
		return nil, keyErr(ErrKeyNotPEM, "an OpenSSH private key was given: %s", need)
	case "RSA PRIVATE KEY", "PRIVATE KEY":
	default:
		return nil, keyErr(ErrKeyNotPEM, "a PEM block of type %q was given: %s", safetext.Clean(b.Type, 40), need)
	}
	// Like the SDKs, read either encoding whatever the label says.
	var key any
	var err error
	if b.Type == "RSA PRIVATE KEY" {
		if key, err = x509.ParsePKCS1PrivateKey(b.Bytes); err != nil {
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		}
	} else if key, err = x509.ParsePKCS8PrivateKey(b.Bytes); err != nil {
		key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
	}
	if err != nil {
		return nil, keyErr(ErrKeyUnreadable, "the %s block cannot be read as a key (it may be cut short or changed): copy the whole key again", b.Type)
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return NewPrivateKey(k)
	case *ecdsa.PrivateKey:
		return nil, notRSA("an EC " + k.Curve.Params().Name)
	case ed25519.PrivateKey:
		return nil, notRSA("an Ed25519")
	}
	return nil, notRSA(fmt.Sprintf("a %T", key))
}

func notRSA(what string) error {
	return keyErr(ErrKeyNotRSA, "%s private key was given: ZIdentity API clients sign with RS256, as Zscaler's SDKs do, so zconn needs an RSA key of 2048 bits or more", what)
}

func tooSmall(bits int) error {
	return keyErr(ErrKeyTooSmall, "an RSA %d-bit key was given: zconn needs 2048 bits or more; create a new key pair and add its public half to the API client", bits)
}

// NewPrivateKey checks an RSA key (2048 bits or more, consistent) and
// wraps it.
func NewPrivateKey(k *rsa.PrivateKey) (*PrivateKey, error) {
	if k == nil || k.N == nil {
		return nil, keyErr(ErrKeyUnreadable, "no private key was given: %s", need)
	}
	if bits := k.N.BitLen(); bits < MinKeyBits {
		return nil, tooSmall(bits)
	}
	if err := k.Validate(); err != nil {
		return nil, keyErr(ErrKeyUnreadable, "the RSA key is not consistent (its parts do not belong together): copy the whole key again")
	}
	k.Precompute()
	return &PrivateKey{key: k}, nil
}

func (k *PrivateKey) valid() bool { return k != nil && k.key != nil }

// Bits returns the size of the key's modulus.
func (k *PrivateKey) Bits() int {
	if !k.valid() {
		return 0
	}
	return k.key.N.BitLen()
}

// Public returns the public half, which the ZIdentity portal holds.
func (k *PrivateKey) Public() *rsa.PublicKey {
	if !k.valid() {
		return nil
	}
	return &k.key.PublicKey
}

// Fingerprint returns the SHA-256 digest of the public key in its
// SubjectPublicKeyInfo DER form (as x509.MarshalPKIXPublicKey writes it,
// and as `openssl pkey -pubout -outform DER | sha256sum` reads it), in
// lower-case hex pairs joined by colons.
func (k *PrivateKey) Fingerprint() string {
	if !k.valid() {
		return ""
	}
	der, err := x509.MarshalPKIXPublicKey(&k.key.PublicKey)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(der)
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(pairs, ":")
}

// Description says what the key is without a bit of it, for display:
// "RSA 2048-bit key, SHA-256 fingerprint ab:cd:ef:01:23:45:67:89…", the
// first 8 bytes of Fingerprint, enough to tell keys apart at a glance.
func (k *PrivateKey) Description() string {
	if !k.valid() {
		return "no private key"
	}
	return fmt.Sprintf("RSA %d-bit key, SHA-256 fingerprint %s…", k.Bits(), k.Fingerprint()[:8*3-1])
}

// String is Description: printing a key by mistake shows no part of it.
func (k *PrivateKey) String() string { return k.Description() }

// GoString is Description, for %#v.
func (k *PrivateKey) GoString() string { return k.Description() }

// LogValue keeps the key out of structured logs.
func (k *PrivateKey) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("bits", k.Bits()), slog.String("sha256", k.Fingerprint()))
}

// Equal reports whether both are the same key pair.
func (k *PrivateKey) Equal(o *PrivateKey) bool {
	return k.valid() && o.valid() && k.key.PublicKey.Equal(&o.key.PublicKey)
}

// PEM returns the key as PKCS#8 PEM (BEGIN PRIVATE KEY), whatever form it
// came in: the form both Zscaler SDKs read from ZSCALER_PRIVATE_KEY (the
// Python SDK takes only this label as key text, anything else as a path).
func (k *PrivateKey) PEM() []byte {
	if !k.valid() {
		return nil
	}
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// PublicKeyPEM returns the public half as PEM (BEGIN PUBLIC KEY), which
// may be added to the API client in the ZIdentity portal.
func (k *PrivateKey) PublicKeyPEM() []byte {
	if !k.valid() {
		return nil
	}
	der, err := x509.MarshalPKIXPublicKey(&k.key.PublicKey)
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// compactKey is the stored form of a key: the public exponent and the two
// primes, from which every other part follows.
type compactKey struct {
	Version int
	E       int
	P, Q    *big.Int
}

// compactVersion is the version of compactKey that Encode writes.
const compactVersion = 1

// Encode returns the key in its compact stored form: base64 (standard,
// padded, one line) of the DER of SEQUENCE { version 1, e, p, q }. The
// modulus and the private exponents follow from the primes, so the form
// is about a fifth of the PEM: 368 bytes for 2048 bits, 540 for 3072, 712
// for 4096 (PKCS#8 PEM: about 1704, 2484 and 3272), which fits every
// keychain, including Windows (2560 bytes) and macOS (about 2900).
func (k *PrivateKey) Encode() string {
	if !k.valid() || len(k.key.Primes) != 2 {
		return ""
	}
	der, err := asn1.Marshal(compactKey{Version: compactVersion, E: k.key.E, P: k.key.Primes[0], Q: k.key.Primes[1]})
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(der)
}

// DecodePrivateKey reads a key as Encode wrote it, or as PEM (so a store
// may keep either); it checks the key as ParsePrivateKey does.
func DecodePrivateKey(s string) (*PrivateKey, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-----BEGIN") {
		return ParsePrivateKey([]byte(s))
	}
	der, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, keyErr(ErrKeyUnreadable, "the stored private key is not in zconn's form (not base64)")
	}
	var ck compactKey
	if rest, err := asn1.Unmarshal(der, &ck); err != nil || len(rest) != 0 {
		return nil, keyErr(ErrKeyUnreadable, "the stored private key is not in zconn's form")
	}
	if ck.Version != compactVersion {
		return nil, keyErr(ErrKeyUnreadable, "the stored private key has form version %d, which this zconn does not read", ck.Version)
	}
	if ck.P == nil || ck.Q == nil || ck.P.Sign() <= 0 || ck.Q.Sign() <= 0 || ck.E < 3 {
		return nil, keyErr(ErrKeyUnreadable, "the stored private key is not in zconn's form")
	}
	one := big.NewInt(1)
	p1, q1 := new(big.Int).Sub(ck.P, one), new(big.Int).Sub(ck.Q, one)
	gcd := new(big.Int).GCD(nil, nil, p1, q1)
	lambda := new(big.Int).Div(new(big.Int).Mul(p1, q1), gcd)
	d := new(big.Int).ModInverse(big.NewInt(int64(ck.E)), lambda)
	if d == nil {
		return nil, keyErr(ErrKeyUnreadable, "the stored private key is not consistent")
	}
	k := &rsa.PrivateKey{
		PublicKey: rsa.PublicKey{N: new(big.Int).Mul(ck.P, ck.Q), E: ck.E},
		D:         d,
		Primes:    []*big.Int{ck.P, ck.Q},
	}
	return NewPrivateKey(k)
}

// ClientAssertionType is the client_assertion_type of a private-key
// client's token request (RFC 7523).
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// AssertionLifetime is how long a client assertion is valid, as Zscaler's
// SDKs make it.
const AssertionLifetime = 10 * time.Minute

// assertion returns a client assertion for clientID, signed now: an RS256
// JWT with the header Zscaler's SDKs send (alg RS256, typ JWT, no kid),
// iss = sub = the client ID, aud = Audience, exp = now + 10 minutes, and,
// beyond what the SDKs send, iat and a random jti so that a server can
// refuse a replay.
func (k *PrivateKey) assertion(clientID string, now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"iss": clientID,
		"sub": clientID,
		"aud": Audience,
		"iat": now.Unix(),
		"exp": now.Add(AssertionLifetime).Unix(),
		"jti": rand.Text(),
	}
	return jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(k.key)
}
