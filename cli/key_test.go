package cli_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// keyClientID is the private-key API client the fake knows once
// keyClient registers it.
const keyClientID = "cid-key-0oa9"

// keyClient registers the private-key client with the public half of a
// test key of that size, and returns the key.
func (h *harness) keyClient(bits int) *rsa.PrivateKey {
	rk := zidentitytest.Key(h.t, "cli", bits)
	h.srv.AddClient(zidentitytest.Client{ID: keyClientID, PublicKey: &rk.PublicKey})
	return rk
}

// wrapped returns k as zidentity wraps it.
func wrapped(t testing.TB, k *rsa.PrivateKey) *zidentity.PrivateKey {
	t.Helper()
	key, err := zidentity.NewPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// keyCanaries are every form of a key that must never be shown: each
// base64 line of its PKCS#1 and PKCS#8 PEM, and its compact stored form.
func keyCanaries(t testing.TB, k *rsa.PrivateKey) []string {
	t.Helper()
	var out []string
	for _, p := range [][]byte{zidentitytest.PKCS1(k), zidentitytest.PKCS8(k)} {
		for _, line := range strings.Split(string(p), "\n") {
			if line != "" && !strings.HasPrefix(line, "-----") {
				out = append(out, line)
			}
		}
	}
	return append(out, wrapped(t, k).Encode())
}

// noKey fails the test when any form of the key is in text.
func noKey(t testing.TB, where, text string, k *rsa.PrivateKey) {
	t.Helper()
	for _, c := range keyCanaries(t, k) {
		if strings.Contains(text, c) {
			t.Errorf("the private key is in %s", where)
			return
		}
	}
}

// writeKeyFile writes a key file and returns its path.
func writeKeyFile(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func keyAddArgs(extra ...string) []string {
	return append([]string{"add", "--name", "keyed", "--tenant", "acme", "--client-id", keyClientID}, extra...)
}

// savedLine is what add prints of a saved private-key connection.
func savedLine(key *zidentity.PrivateKey) string {
	return "Saved keyed: acme.zslogin.net, client ID " + keyClientID + ", private key (RSA " + itoa(key.Bits()) + "-bit key, SHA-256 fingerprint " + key.Fingerprint()[:23] + "…) in the memory keychain.\n"
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// TestAddPrivateKey adds a private-key client from each source a key comes
// from: the backend keeps the compact form, the metadata file and the
// output hold no part of the key, and a key file is left as it was.
func TestAddPrivateKey(t *testing.T) {
	tests := []struct {
		name  string
		bits  int
		pkcs8 bool
		// how is "file", "stdin" or "paste".
		how string
	}{
		{"PKCS#1 file", 2048, false, "file"},
		{"PKCS#8 file", 3072, true, "file"},
		{"PKCS#8 on standard input", 2048, true, "stdin"},
		{"PKCS#1 on standard input, 4096 bits", 4096, false, "stdin"},
		{"pasted at the terminal", 2048, false, "paste"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			rk := h.keyClient(tt.bits)
			key := wrapped(t, rk)
			text := zidentitytest.PKCS1(rk)
			if tt.pkcs8 {
				text = zidentitytest.PKCS8(rk)
			}
			var r result
			switch tt.how {
			case "file":
				path := writeKeyFile(t, text)
				past := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
				if err := os.Chtimes(path, past, past); err != nil {
					t.Fatal(err)
				}
				before, _ := os.Stat(path)
				r = h.run("", keyAddArgs("--private-key-file", path)...)
				after, _ := os.Stat(path)
				now, _ := os.ReadFile(path)
				if !bytes.Equal(now, text) || after.Mode() != before.Mode() || !after.ModTime().Equal(before.ModTime()) {
					t.Error("the key file changed")
				}
			case "stdin":
				r = h.run(string(text), keyAddArgs("--auth", "private-key")...)
			case "paste":
				h.tty, h.pasted = true, string(text)
				r = h.run("", keyAddArgs("--auth", "private-key")...)
				if !strings.Contains(r.stderr, "Paste the private key (PEM) for acme.zslogin.net, then press Ctrl-D") {
					t.Errorf("stderr %q; want the prompt to say how to end the paste", r.stderr)
				}
				r.stderr = ""
			}
			r.want(t, 0)
			if !strings.HasPrefix(r.stdout, savedLine(key)) || !strings.Contains(r.stdout, "Verified: token lifetime 1 hour") {
				t.Errorf("stdout %q; want it to start %q and say it was verified", r.stdout, savedLine(key))
			}
			c, err := h.find("keyed")
			if err != nil || c.AuthMethod != store.AuthPrivateKey {
				t.Fatalf("saved %+v, %v; want a private-key connection", c, err)
			}
			if got, _ := h.mem.Peek(c.ID); got != key.Encode() {
				t.Errorf("the backend holds %d bytes; want the %d of the compact form", len(got), len(key.Encode()))
			}
			noKey(t, "stdout", r.stdout, rk)
			noKey(t, "stderr", r.stderr, rk)
			// Nothing of the key in the config folder: not copied anywhere.
			entries, _ := os.ReadDir(h.dir)
			for _, e := range entries {
				b, _ := os.ReadFile(filepath.Join(h.dir, e.Name()))
				noKey(t, e.Name(), string(b), rk)
			}
		})
	}
}

// TestAddPrivateKeyFailures covers every key that cannot be used, and how
// it is said: a bad key given as input exits 2, before the keychain is
// touched or anything is sent; a key the portal does not hold is
// rejected (exit 1). Nothing is saved.
func TestAddPrivateKeyFailures(t *testing.T) {
	rk := zidentitytest.Key(t, "cli", 2048)
	other := zidentitytest.Key(t, "cli-other", 2048)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalECPrivateKey(ec)
	ecPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER})
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "zconn test"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &rk.PublicKey, rk)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: certDER})
	encrypted := []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIc2FsdHNhbHQCAggA\n-----END ENCRYPTED PRIVATE KEY-----\n")
	dir := t.TempDir()
	large := filepath.Join(dir, "large.pem")
	if err := os.WriteFile(large, bytes.Repeat([]byte("A"), 65<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")

	tests := []struct {
		name  string
		stdin string
		args  func(t *testing.T) []string
		setup func(h *harness)
		code  int
		msg   string
		// opens is whether the keychain may be opened.
		opens bool
	}{
		{name: "missing file", args: fileArgs(missing), code: 2, msg: "zconn: --private-key-file " + missing + " does not exist: check the path"},
		{name: "folder", args: fileArgs(dir), code: 2, msg: "zconn: --private-key-file " + dir + " is a folder, not a regular file: give the private key's PEM file itself"},
		{name: "named pipe", args: func(t *testing.T) []string {
			p := filepath.Join(t.TempDir(), "fifo")
			mkfifo(t, p)
			return keyAddArgs("--private-key-file", p)
		}, code: 2, msg: "is a named pipe, not a regular file"},
		{name: "too large", args: fileArgs(large), code: 2, msg: "is larger than 64 KiB, too large for a private key's PEM file: check the path"},
		{name: "empty path", args: func(*testing.T) []string { return keyAddArgs("--private-key-file", "") }, code: 2, msg: "zconn: --private-key-file is empty: give the path of the private key's PEM file"},
		{name: "encrypted", args: keyFileArgs(encrypted), code: 2, msg: ": the private key is encrypted with a passphrase: zconn needs it unencrypted"},
		{name: "EC key", args: keyFileArgs(ecPEM), code: 2, msg: "an EC private key was given: ZIdentity API clients sign with RS256"},
		{name: "certificate", args: keyFileArgs(certPEM), code: 2, msg: "a certificate was given, which holds only the public half"},
		{name: "file and --auth secret", args: func(t *testing.T) []string {
			return keyAddArgs("--auth", "secret", "--private-key-file", writeKeyFile(t, zidentitytest.PKCS1(rk)))
		}, code: 2, msg: "zconn: --private-key-file is for a private key, but --auth says secret: drop --auth, or the key file"},
		{name: "unknown method", args: func(*testing.T) []string { return keyAddArgs("--auth", "jwks") }, code: 2, msg: `zconn: --auth "jwks" is not known: use secret or private-key`},
		{name: "nothing on standard input", args: func(*testing.T) []string { return keyAddArgs("--auth", "private-key") }, code: 2,
			msg: "zconn: no private key was given: zconn needs an unencrypted RSA private key", opens: true},
		{name: "a secret on standard input", stdin: canary, args: func(*testing.T) []string { return keyAddArgs("--auth", "private-key") }, code: 2,
			msg: "zconn: the text is not a PEM private key", opens: true},
		{name: "a key the portal does not hold", stdin: string(zidentitytest.PKCS8(other)), args: func(*testing.T) []string { return keyAddArgs("--auth", "private-key") }, code: 1,
			msg: "zconn: verifying credentials: the client ID or private key was rejected (invalid_client: The client_assertion signature is invalid): check the client ID, and that the API client in Integration > API Clients holds this key's public half", opens: true},
		{name: "too large for the keychain", stdin: string(zidentitytest.PKCS1(rk)), args: func(*testing.T) []string { return keyAddArgs("--auth", "private-key") },
			setup: func(h *harness) { h.keychain = limitedSecrets{h.mem, 300} }, code: 1, opens: true,
			msg: "zconn: the private key takes 368 bytes even in zconn's compact form, but the memory keychain holds at most 300: keep it in the encrypted vault, which holds keys of any size, or use a key of at most 4096 bits (move the secrets there with zconn secrets migrate --to file, then run this again)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.srv.AddClient(zidentitytest.Client{ID: keyClientID, PublicKey: &rk.PublicKey})
			if tt.setup != nil {
				tt.setup(h)
			}
			r := h.run(tt.stdin, tt.args(t)...)
			r.want(t, tt.code, tt.msg)
			if list, _ := h.store().List(); len(list) != 0 || h.mem.Len() != 0 {
				t.Errorf("saved %d connections, %d secrets; want none", len(list), h.mem.Len())
			}
			if tt.code == 2 && h.srv.Requests() != 0 {
				t.Errorf("made %d requests; want none for a key refused as input", h.srv.Requests())
			}
			if !tt.opens && h.opened.Load() != 0 {
				t.Errorf("opened the keychain %d times; want a bad key file said first", h.opened.Load())
			}
			for _, k := range []*rsa.PrivateKey{rk, other} {
				noKey(t, "the output", r.stdout+r.stderr, k)
			}
		})
	}
}

func fileArgs(path string) func(*testing.T) []string {
	return func(*testing.T) []string { return keyAddArgs("--private-key-file", path) }
}

func keyFileArgs(data []byte) func(*testing.T) []string {
	return func(t *testing.T) []string { return keyAddArgs("--private-key-file", writeKeyFile(t, data)) }
}

// TestAddOptionalIDs saves the ZPA and partner IDs given as flags, and
// refuses bad ones naming the flag, before anything is read or sent.
func TestAddOptionalIDs(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
		code  int
		msg   string
		want  [3]string
	}{
		{"all three", []string{"--zpa-customer-id", "216196257331281920", "--zpa-microtenant-id", " 216196257331281921 ", "--partner-id", "partner-7"}, 0, "",
			[3]string{"216196257331281920", "216196257331281921", "partner-7"}},
		{"none means none", []string{"--zpa-customer-id", "none", "--partner-id", "NONE"}, 0, "", [3]string{}},
		{"customer ID with letters", []string{"--zpa-customer-id", "2161x"}, 2,
			"zconn: --zpa-customer-id: the ZPA customer ID holds characters other than digits: type only its digits, such as 216196257331281920", [3]string{}},
		{"microtenant ID too long", []string{"--zpa-microtenant-id", strings.Repeat("1", 21)}, 2,
			"zconn: --zpa-microtenant-id: the ZPA microtenant ID has 21 digits", [3]string{}},
		{"partner ID with a space", []string{"--partner-id", "a b"}, 2,
			"zconn: --partner-id: the partner ID holds spaces or characters other than visible ASCII", [3]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			r := h.run(canary, addArgs(tt.flags...)...)
			if tt.code != 0 {
				r.want(t, tt.code, tt.msg)
				if h.opened.Load() != 0 || h.srv.Requests() != 0 {
					t.Error("a bad ID reached the keychain or ZIdentity")
				}
				return
			}
			r.want(t, 0)
			c, _ := h.find("prod")
			if got := [3]string{c.ZPACustomerID, c.ZPAMicrotenantID, c.PartnerID}; got != tt.want {
				t.Errorf("saved %q; want %q", got, tt.want)
			}
		})
	}
}

// TestAddAudienceRefused adds a connection to a tenant that refuses the
// audience: it is saved, recorded, and the admin is told.
func TestAddAudienceRefused(t *testing.T) {
	h := newHarness(t)
	h.srv.SetRefuseAudience(clientID, true)
	r := h.run(canary, addArgs()...)
	r.want(t, 0)
	if !strings.Contains(r.stdout, "Note: the tenant of prod refuses the audience parameter, so zconn leaves it out of token requests; SDKs and tools that always send it may fail against this tenant\n") {
		t.Errorf("stdout %q; want the audience note", r.stdout)
	}
	if c, _ := h.find("prod"); !c.OmitAudience {
		t.Error("OmitAudience was not recorded")
	}
}

// seedKey saves a private-key connection named keyed with k.
func (h *harness) seedKey(k *rsa.PrivateKey) store.Connection {
	h.t.Helper()
	return h.seed(store.Connection{Name: "keyed", ClientID: keyClientID, AuthMethod: store.AuthPrivateKey}, wrapped(h.t, k).Encode())
}

// TestEditRotateKey replaces a private-key client's key from a file or
// standard input, only once the new key is verified.
func TestEditRotateKey(t *testing.T) {
	tests := []struct {
		name  string
		stdin bool
		flags []string
	}{
		{"file with --rotate-key", false, []string{"--rotate-key"}},
		{"file alone implies --rotate-key", false, nil},
		{"standard input", true, []string{"--rotate-key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			old := h.keyClient(2048)
			c := h.seedKey(old)
			next := zidentitytest.Key(t, "cli-next", 2048)
			args := append([]string{"edit", "keyed"}, tt.flags...)
			stdin := ""
			if tt.stdin {
				stdin = string(zidentitytest.PKCS8(next))
			} else {
				args = append(args, "--private-key-file", writeKeyFile(t, zidentitytest.PKCS1(next)))
			}
			// The portal does not hold the new key yet: rejected, nothing changes.
			r := h.run(stdin, args...)
			r.want(t, 1, "zconn: verifying the new credentials (nothing was changed): the client ID or private key was rejected")
			if got, _ := h.mem.Peek(c.ID); got != wrapped(t, old).Encode() {
				t.Fatal("a rejected key replaced the old one")
			}
			h.srv.SetPublicKey(keyClientID, &next.PublicKey)
			r = h.run(stdin, args...)
			r.want(t, 0)
			nextKey := wrapped(t, next)
			want := "Rotated the private key of keyed, now RSA 2048-bit key, SHA-256 fingerprint " + nextKey.Fingerprint()[:23] + "…: verified, token lifetime 1 hour"
			if !strings.HasPrefix(r.stdout, want) {
				t.Errorf("stdout %q; want it to start %q", r.stdout, want)
			}
			if got, _ := h.mem.Peek(c.ID); got != nextKey.Encode() {
				t.Error("the backend does not hold the new key in its compact form")
			}
			noKey(t, "the output", r.stdout+r.stderr, next)
		})
	}
}

// TestEditSwitchesTheMethod switches a secret connection to a private key
// with --rotate-key, and back with --rotate-secret, each only once the new
// credential is verified.
func TestEditSwitchesTheMethod(t *testing.T) {
	h := newHarness(t)
	c := h.seed(store.Connection{Name: "prod", SecretExpires: store.NewDate(2030, 1, 31)}, canary)
	rk := zidentitytest.Key(t, "cli", 2048)
	path := writeKeyFile(t, zidentitytest.PKCS1(rk))

	h.run("", "edit", "prod", "--private-key-file", path).want(t, 1, "the client ID or private key was rejected")
	if got, _ := h.find("prod"); got.AuthMethod != store.AuthSecret {
		t.Fatalf("method %q after a rejected switch; want secret", got.AuthMethod)
	}
	h.srv.AddClient(zidentitytest.Client{ID: clientID, PublicKey: &rk.PublicKey})
	r := h.run("", "edit", "prod", "--private-key-file", path)
	r.want(t, 0)
	if want := "Switched prod from a client secret to a private key (RSA 2048-bit key, SHA-256 fingerprint "; !strings.HasPrefix(r.stdout, want) {
		t.Errorf("stdout %q; want it to start %q", r.stdout, want)
	}
	got, _ := h.find("prod")
	if stored, _ := h.mem.Peek(c.ID); got.AuthMethod != store.AuthPrivateKey || !got.SecretExpires.IsZero() || stored != wrapped(t, rk).Encode() {
		t.Errorf("method %q, expires %v; want a private key, stored compactly, and no expiry", got.AuthMethod, got.SecretExpires)
	}

	h.srv.AddClient(zidentitytest.Client{ID: clientID, Secret: canary})
	r = h.run(canary, "edit", "prod", "--rotate-secret")
	r.want(t, 0)
	if !strings.HasPrefix(r.stdout, "Switched prod from a private key to a client secret: verified") {
		t.Errorf("stdout %q; want the switch back said", r.stdout)
	}
	if got, _ := h.find("prod"); got.AuthMethod != store.AuthSecret {
		t.Errorf("method %q; want secret", got.AuthMethod)
	}
	h.run("", "edit", "prod", "--rotate-secret", "--rotate-key").want(t, 2, "zconn: give --rotate-secret or --rotate-key, not both")
}

// TestEditOptionalIDs sets and clears the ZPA and partner IDs.
func TestEditOptionalIDs(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod", PartnerID: "partner-7"}, canary)
	r := h.run("", "edit", "prod", "--zpa-customer-id", "216196257331281920", "--zpa-microtenant-id", "42")
	r.want(t, 0)
	if r.stdout != "Updated prod.\n" {
		t.Errorf("stdout %q; want Updated prod.", r.stdout)
	}
	c, _ := h.find("prod")
	if c.ZPACustomerID != "216196257331281920" || c.ZPAMicrotenantID != "42" || c.PartnerID != "partner-7" {
		t.Errorf("IDs %q %q %q; want the two set and the partner ID kept", c.ZPACustomerID, c.ZPAMicrotenantID, c.PartnerID)
	}
	h.run("", "edit", "prod", "--zpa-microtenant-id", "none", "--partner-id", "").want(t, 0)
	c, _ = h.find("prod")
	if c.ZPACustomerID != "216196257331281920" || c.ZPAMicrotenantID != "" || c.PartnerID != "" {
		t.Errorf("IDs %q %q %q; want only the customer ID left", c.ZPACustomerID, c.ZPAMicrotenantID, c.PartnerID)
	}
	h.run("", "edit", "prod", "--zpa-customer-id", "12a").want(t, 2, "zconn: --zpa-customer-id: the ZPA customer ID holds characters other than digits")
	if h.srv.Requests() != 0 {
		t.Errorf("made %d requests; want none: the IDs need no verification", h.srv.Requests())
	}
}

// TestMissingKeyNamesTheKeyFlag checks that a private-key connection whose
// key is gone is told to use --rotate-key, by every command that reads it.
func TestMissingKeyNamesTheKeyFlag(t *testing.T) {
	h := newHarness(t)
	rk := h.keyClient(2048)
	c := h.seedKey(rk)
	h.mem.Remove(c.ID)
	for _, args := range [][]string{{"env", "keyed"}, {"token", "keyed"}, {"test", "keyed"}} {
		r := h.run("", args...)
		if !strings.Contains(r.stderr, `the private key of "keyed" is missing from the memory keychain`) || !strings.Contains(r.stderr, "zconn edit keyed --rotate-key") {
			t.Errorf("%s: stderr %q; want the key said missing and --rotate-key named", args[0], r.stderr)
		}
	}
	if r := h.run("", "doctor"); !strings.Contains(r.stdout, "private key of keyed is missing from the memory keychain: enter it again with zconn edit keyed --rotate-key") {
		t.Errorf("doctor said %q; want the key said missing", r.stdout)
	}
}

// TestPrivateKeyGivenAsASecretIsRefused pipes a private key to add and to
// edit --rotate-secret, as if it were a client secret: it is refused
// before any request, so that no part of it is sent as a client_secret,
// and the message says how to give it as a key.
func TestPrivateKeyGivenAsASecretIsRefused(t *testing.T) {
	for _, form := range []string{"PKCS#1", "PKCS#8"} {
		for _, cmd := range []string{"add", "edit"} {
			t.Run(form+"/"+cmd, func(t *testing.T) {
				h := newHarness(t)
				k := h.keyClient(2048)
				text := zidentitytest.PKCS1(k)
				if form == "PKCS#8" {
					text = zidentitytest.PKCS8(k)
				}
				args := addArgs()
				if cmd == "edit" {
					h.seed(store.Connection{Name: "prod"}, canary)
					args = []string{"edit", "prod", "--rotate-secret"}
				}
				r := h.run(string(text), args...)
				r.want(t, 2, "zconn: this is a private key, not a client secret: give it as the private key, with zconn add --auth private-key (or --private-key-file PATH), or zconn edit NAME --rotate-key")
				if n := h.srv.Requests(); n != 0 {
					t.Errorf("%d token requests; want none", n)
				}
				noKey(t, "the output", r.stdout+r.stderr, k)
				noKey(t, "the metadata file", h.metadata(), k)
				if cmd == "add" {
					if _, err := h.find("prod"); err == nil {
						t.Error("prod was saved")
					}
				} else if c, err := h.find("prod"); err != nil {
					t.Fatal(err)
				} else if got, _ := h.mem.Peek(c.ID); got != canary {
					t.Errorf("the keychain holds %d bytes; want the old secret kept", len(got))
				}
			})
		}
	}
}
