package zidentity_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

func TestParsePrivateKeyAccepts(t *testing.T) {
	for _, bits := range []int{2048, 3072, 4096} {
		k := zidentitytest.Key(t, "a", bits)
		for name, text := range map[string][]byte{
			"pkcs8":                       zidentitytest.PKCS8(k),
			"pkcs1":                       zidentitytest.PKCS1(k),
			"crlf":                        bytes.ReplaceAll(zidentitytest.PKCS1(k), []byte("\n"), []byte("\r\n")),
			"cr, as terminals paste":      bytes.ReplaceAll(zidentitytest.PKCS8(k), []byte("\n"), []byte("\r")),
			"with its certificate before": append(certificatePEM(t, k), zidentitytest.PKCS8(k)...),
			"escaped newlines":            bytes.ReplaceAll(zidentitytest.PKCS8(k), []byte("\n"), []byte(`\n`)),
			"surrounded by blank lines":   append(append([]byte("\n\n  "), zidentitytest.PKCS8(k)...), "\n\n"...),
			"pkcs1 labelled pkcs8":        pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}),
		} {
			t.Run(fmt.Sprintf("%d %s", bits, name), func(t *testing.T) {
				got, err := zidentity.ParsePrivateKey(text)
				if err != nil {
					t.Fatalf("ParsePrivateKey: %v", err)
				}
				if got.Bits() != bits {
					t.Errorf("Bits = %d; want %d", got.Bits(), bits)
				}
				if !got.Public().Equal(&k.PublicKey) {
					t.Error("the parsed key is not the given key")
				}
			})
		}
	}
}

func TestParsePrivateKeyRefuses(t *testing.T) {
	rsaKey := zidentitytest.Key(t, "a", 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecPKCS8, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	ecSEC1, _ := x509.MarshalECPrivateKey(ecKey)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	edPKCS8, _ := x509.MarshalPKCS8PrivateKey(edKey)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	//lint:ignore SA1019 an encrypted PEM is what the test needs to refuse
	encrypted, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey), []byte("pw"), x509.PEMCipherAES256) //nolint:staticcheck
	if err != nil {
		t.Fatal(err)
	}
	pemOf := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	cut := zidentitytest.PKCS8(rsaKey)
	cut = cut[:len(cut)/2]

	tests := []struct {
		name    string
		text    []byte
		kind    error
		mention string
	}{
		{"empty", nil, zidentity.ErrKeyNotPEM, "no private key"},
		{"garbage", []byte("hello there"), zidentity.ErrKeyNotPEM, "not a PEM private key"},
		{"jwk", []byte(`{"kty":"RSA","n":"..."}`), zidentity.ErrKeyNotPEM, "JSON Web Key"},
		{"der", x509.MarshalPKCS1PrivateKey(rsaKey), zidentity.ErrKeyNotPEM, "binary (DER)"},
		{"cut short", cut, zidentity.ErrKeyUnreadable, "cut short"},
		{"corrupt body", pemOf("RSA PRIVATE KEY", []byte("not asn1")), zidentity.ErrKeyUnreadable, "cannot be read"},
		{"encrypted pkcs1", pem.EncodeToMemory(encrypted), zidentity.ErrKeyEncrypted, "encrypted"},
		{"encrypted pkcs8", pemOf("ENCRYPTED PRIVATE KEY", []byte{0x30, 0x03, 0x02, 0x01, 0x00}), zidentity.ErrKeyEncrypted, "encrypted"},
		{"ec pkcs8", pemOf("PRIVATE KEY", ecPKCS8), zidentity.ErrKeyNotRSA, "EC P-256"},
		{"ec sec1", pemOf("EC PRIVATE KEY", ecSEC1), zidentity.ErrKeyNotRSA, "RS256"},
		{"ed25519", pemOf("PRIVATE KEY", edPKCS8), zidentity.ErrKeyNotRSA, "Ed25519"},
		{"openssh", pemOf("OPENSSH PRIVATE KEY", []byte("openssh-key-v1")), zidentity.ErrKeyNotPEM, "OpenSSH"},
		{"certificate", certificatePEM(t, rsaKey), zidentity.ErrKeyPublic, "certificate"},
		{"public key", pemOf("PUBLIC KEY", pub), zidentity.ErrKeyPublic, "public key"},
		{"rsa public key", pemOf("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)), zidentity.ErrKeyPublic, "public key"},
		{"1024 bits", zidentitytest.PKCS8(small), zidentity.ErrKeyTooSmall, "1024-bit"},
		{"1024 bits pkcs1", zidentitytest.PKCS1(small), zidentity.ErrKeyTooSmall, "2048 bits or more"},
		{"two keys", append(zidentitytest.PKCS8(rsaKey), zidentitytest.PKCS1(small)...), zidentity.ErrKeyUnreadable, "2 private keys"},
		{"too long", bytes.Repeat([]byte("a"), zidentity.MaxKeyText+1), zidentity.ErrKeyNotPEM, "64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := zidentity.ParsePrivateKey(tt.text)
			if err == nil {
				t.Fatalf("ParsePrivateKey = %v; want an error", k)
			}
			if !errors.Is(err, tt.kind) || !errors.Is(err, zidentity.ErrKeyRefused) {
				t.Errorf("error %q is not %q and ErrKeyRefused", err, tt.kind)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.mention) {
				t.Errorf("error %q; want it to mention %q", msg, tt.mention)
			}
			if strings.ContainsAny(msg, "\n\r") || !strings.Contains(msg, ":") {
				t.Errorf("error %q; want one line that says what was given, a colon, then what is needed", msg)
			}
		})
	}
}

func TestPrivateKeyDescription(t *testing.T) {
	rk := zidentitytest.Key(t, "a", 2048)
	k, err := zidentity.NewPrivateKey(rk)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&rk.PublicKey)
	sum := sha256.Sum256(der)
	want := fmt.Sprintf("%x", sum)
	if got := strings.ReplaceAll(k.Fingerprint(), ":", ""); got != want {
		t.Errorf("Fingerprint = %s; want the SHA-256 of the SubjectPublicKeyInfo DER, %s", got, want)
	}
	if !regexp.MustCompile(`^([0-9a-f]{2}:){31}[0-9a-f]{2}$`).MatchString(k.Fingerprint()) {
		t.Errorf("Fingerprint = %q; want 32 lower-case hex pairs joined by colons", k.Fingerprint())
	}
	wantDesc := "RSA 2048-bit key, SHA-256 fingerprint " + k.Fingerprint()[:23] + "…"
	if got := k.Description(); got != wantDesc {
		t.Errorf("Description = %q; want %q", got, wantDesc)
	}
	pub, err := x509.ParsePKIXPublicKey(pemBody(t, k.PublicKeyPEM(), "PUBLIC KEY"))
	if err != nil || !rk.PublicKey.Equal(pub) {
		t.Errorf("PublicKeyPEM does not hold the public key: %v", err)
	}
}

// TestPrivateKeyNeverPrintsItself formats a key and credentials that hold
// it every way a careless caller might, and checks that no part of the key
// (in any encoding a PEM or JSON dump would use) comes out.
func TestPrivateKeyNeverPrintsItself(t *testing.T) {
	rk := zidentitytest.Key(t, "a", 2048)
	k, _ := zidentity.NewPrivateKey(rk)
	cr := zidentity.Credentials{ClientID: "id", PrivateKey: k}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "key", k, "creds", cr)
	out := fmt.Sprintf("%v %+v %#v %s %v %+v %#v", k, k, k, k, cr, cr, cr) + logged.String()
	secretParts := []string{
		rk.D.String(), rk.Primes[0].String(), fmt.Sprintf("%x", rk.D.Bytes()[:16]),
		base64.StdEncoding.EncodeToString(rk.Primes[0].Bytes())[:32],
		base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PrivateKey(rk))[40:80],
		k.Encode()[20:60],
	}
	for _, p := range secretParts {
		if strings.Contains(out, p) {
			t.Fatalf("formatting the key shows a part of it: %q in %q", p, out)
		}
	}
	if !strings.Contains(out, "RSA 2048-bit key") || !strings.Contains(out, "private key redacted") {
		t.Errorf("formatted %q; want the key's description and the credentials' redaction", out)
	}
}

// TestPrivateKeyCompactForm checks that Encode and DecodePrivateKey give
// back a key that signs exactly as the original, and the sizes the stores
// rely on. The compact form is base64 of the DER of SEQUENCE { INTEGER 1,
// INTEGER e, INTEGER p, INTEGER q }. For a k-bit key each prime has k/2
// bits with its top bit set, so its INTEGER holds k/16 bytes plus a 0x00
// in front; e = 65537 is 3 bytes:
//
//	2048: p, q 02 81 81 + 129 = 132 each; 264 + 3 (version) + 5 (e) = 272;
//	      SEQUENCE 30 82 01 10 + 272 = 276 bytes; base64 4*ceil(276/3) = 368
//	3072: p, q 02 81 c1 + 193 = 196 each; 392 + 8 = 400; 30 82 01 90 + 400
//	      = 404 bytes; base64 4*ceil(404/3) = 540
//	4096: p, q 02 82 01 01 + 257 = 261 each; 522 + 8 = 530; 30 82 02 12 +
//	      530 = 534 bytes; base64 4*178 = 712
//
// PKCS#8 PEM is about 1704, 2484 and 3272 bytes: a 4096-bit key in PEM
// fits neither the Windows Credential Manager (2560 bytes) nor the macOS
// Keychain through the security tool (about 2900); the compact form fits
// both at every size.
func TestPrivateKeyCompactForm(t *testing.T) {
	tests := []struct {
		bits, encoded int
	}{
		{2048, 368},
		{3072, 540},
		{4096, 712},
	}
	const windowsLimit, macOSLimit = 2560, 2900
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.bits), func(t *testing.T) {
			rk := zidentitytest.Key(t, "a", tt.bits)
			k, err := zidentity.NewPrivateKey(rk)
			if err != nil {
				t.Fatal(err)
			}
			enc := k.Encode()
			if len(enc) != tt.encoded {
				t.Errorf("len(Encode()) = %d; want %d", len(enc), tt.encoded)
			}
			if len(enc) > windowsLimit || len(enc) > macOSLimit {
				t.Errorf("len(Encode()) = %d; want it to fit Windows (%d) and macOS (%d)", len(enc), windowsLimit, macOSLimit)
			}
			pemLen := len(k.PEM())
			t.Logf("%d bits: compact %d bytes, PKCS#8 PEM %d, PKCS#1 PEM %d", tt.bits, len(enc), pemLen, len(zidentitytest.PKCS1(rk)))
			if tt.bits == 4096 && pemLen <= windowsLimit {
				t.Errorf("PKCS#8 PEM of a 4096-bit key is %d bytes; the arithmetic above says it exceeds %d", pemLen, windowsLimit)
			}
			back, err := zidentity.DecodePrivateKey(enc)
			if err != nil {
				t.Fatalf("DecodePrivateKey: %v", err)
			}
			if !back.Equal(k) || back.Bits() != tt.bits || back.Fingerprint() != k.Fingerprint() {
				t.Fatalf("decoded key %v; want %v", back, k)
			}
			digest := sha256.Sum256([]byte("zconn"))
			want, _ := rsa.SignPKCS1v15(nil, rk, crypto.SHA256, digest[:])
			decoded, err := x509.ParsePKCS8PrivateKey(pemBody(t, back.PEM(), "PRIVATE KEY"))
			if err != nil {
				t.Fatalf("the decoded key's PEM does not parse: %v", err)
			}
			got, _ := rsa.SignPKCS1v15(nil, decoded.(*rsa.PrivateKey), crypto.SHA256, digest[:])
			if !bytes.Equal(got, want) {
				t.Error("the decoded key signs differently from the original")
			}
			if fromPEM, err := zidentity.DecodePrivateKey(string(zidentitytest.PKCS1(rk))); err != nil || !fromPEM.Equal(k) {
				t.Errorf("DecodePrivateKey(PEM) = %v, %v; want the key", fromPEM, err)
			}
		})
	}
}

func TestDecodePrivateKeyRefuses(t *testing.T) {
	for name, s := range map[string]string{
		"not base64":    "!!!",
		"not der":       base64.StdEncoding.EncodeToString([]byte("hello")),
		"a secret":      "zconn-canary-S3cr3t",
		"version 2":     base64.StdEncoding.EncodeToString([]byte{0x30, 0x0c, 0x02, 0x01, 0x02, 0x02, 0x01, 0x03, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07}),
		"tiny primes":   base64.StdEncoding.EncodeToString([]byte{0x30, 0x0c, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07}),
		"trailing junk": zidentitytestEncodeWithJunk(t),
	} {
		t.Run(name, func(t *testing.T) {
			if k, err := zidentity.DecodePrivateKey(s); err == nil {
				t.Errorf("DecodePrivateKey(%q) = %v; want an error", s, k)
			}
		})
	}
}

func zidentitytestEncodeWithJunk(t *testing.T) string {
	k, _ := zidentity.NewPrivateKey(zidentitytest.Key(t, "a", 2048))
	der, _ := base64.StdEncoding.DecodeString(k.Encode())
	return base64.StdEncoding.EncodeToString(append(der, 0))
}

func certificatePEM(t *testing.T, k *rsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "zconn test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func pemBody(t *testing.T, text []byte, typ string) []byte {
	t.Helper()
	b, _ := pem.Decode(text)
	if b == nil || b.Type != typ {
		t.Fatalf("no %s PEM block in %d bytes", typ, len(text))
	}
	return b.Bytes
}
