package sdkconfig

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// sdkExample is modelled on the "YAML configuration" example of
// zscaler-sdk-go's README (with its indentation fixed), with the comments
// an admin adds.
const sdkExample = `# Zscaler OneAPI credentials, read by zscaler-sdk-go and zscaler-sdk-python.
# See https://github.com/zscaler/zscaler-sdk-go#yaml-configuration

zscaler:
  client:
    # From Integration > API Clients in the ZIdentity portal.
    clientId: "0oa1b2c3d4e5f6g7h8i9"
    # Shown once when the API client was created.
    clientSecret: "` + canary + `" # expires 2026-12-31
    vanityDomain: "acme"
    cloud: beta # unset for production
    customerId: 216196257331281920 # Required if interacting with ZPA Service
    microtenantId: "216196257331282001"
    partnerId: partner-7
    connectionTimeout: 30 # seconds
    requestTimeout: 0 # seconds
    rateLimit:
      maxRetries: 4
    proxy:
      port: null
      host: null
      username: null
      password: null
    # Debugging.
    logging:
      enabled: false
      verbose: true
  testing:
    disableHttpsCheck: false
# End of the Zscaler settings.
`

// keptComments are the comments of sdkExample that must survive.
var keptComments = []string{
	"# Zscaler OneAPI credentials, read by zscaler-sdk-go and zscaler-sdk-python.",
	"# See https://github.com/zscaler/zscaler-sdk-go#yaml-configuration",
	"# From Integration > API Clients in the ZIdentity portal.",
	"# unset for production",
	"# Required if interacting with ZPA Service",
	"# seconds",
	"# Debugging.",
	"# End of the Zscaler settings.",
}

// decode reads YAML into Go values.
func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("decoding %q: %v", b, err)
	}
	return m
}

// withoutKeys decodes b and deletes zscaler.client's keys.
func withoutKeys(t *testing.T, b []byte, keys ...string) map[string]any {
	t.Helper()
	m := decode(t, b)
	client := m["zscaler"].(map[string]any)["client"].(map[string]any)
	for _, k := range keys {
		delete(client, k)
	}
	return m
}

// sameYAML compares decoded values by their canonical encoding.
func sameYAML(t *testing.T, got, want map[string]any) {
	t.Helper()
	g, _ := yaml.Marshal(got)
	w, _ := yaml.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("got settings\n%s; want\n%s", g, w)
	}
}

// keyOrder lists the keys of zscaler.client in file order.
func keyOrder(t *testing.T, b []byte) []string {
	t.Helper()
	p, err := parseFile(b, "test")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for i := 0; i < len(p.client.Content); i += 2 {
		keys = append(keys, p.client.Content[i].Value)
	}
	return keys
}

// entries lists a folder's names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// importFile reads path as an import does and returns its digest.
func importFile(t *testing.T, path string) [sha256.Size]byte {
	t.Helper()
	s, err := FromFile(path, t.TempDir(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s.Digest
}

func assertNoCanary(t *testing.T, b []byte) {
	t.Helper()
	if bytes.Contains(b, []byte(canary)) || bytes.Contains(b, []byte(pemLine)) {
		t.Errorf("got file\n%s\nwant no secret in it", b)
	}
}

func TestRemoveSecretSDKExample(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "zscaler.yaml", sdkExample, 0o640)
	if err := RemoveSecret(path, importFile(t, path)); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rewritten:\n%s", got)

	assertNoCanary(t, got)
	if bytes.Contains(got, []byte("clientSecret")) || bytes.Contains(got, []byte("Shown once")) || bytes.Contains(got, []byte("expires 2026")) {
		t.Errorf("got\n%s\nwant no clientSecret entry or its comments", got)
	}
	for _, c := range keptComments {
		if !bytes.Contains(got, []byte(c)) {
			t.Errorf("got\n%s\nwant the comment %q kept", got, c)
		}
	}
	sameYAML(t, decode(t, got), withoutKeys(t, []byte(sdkExample), "clientSecret"))
	wantOrder := []string{"clientId", "vanityDomain", "cloud", "customerId", "microtenantId", "partnerId", "connectionTimeout", "requestTimeout", "rateLimit", "proxy", "logging"}
	if order := keyOrder(t, got); !slices.Equal(order, wantOrder) {
		t.Errorf("got key order %v; want %v", order, wantOrder)
	}
	if !bytes.Contains(got, []byte("customerId: 216196257331281920")) {
		t.Errorf("got\n%s\nwant the customer ID's digits kept as written", got)
	}
	if !bytes.Contains(got, []byte("\n  client:\n    # From")) || !bytes.Contains(got, []byte("\n    rateLimit:\n      maxRetries: 4\n")) {
		t.Errorf("got\n%s\nwant the file's two-space indentation kept", got)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o640 {
			t.Errorf("got mode %v; want 0640", fi.Mode().Perm())
		}
	}
	if names := entries(t, dir); !slices.Equal(names, []string{"zscaler.yaml"}) {
		t.Errorf("got folder %v; want only zscaler.yaml (no temporary file, no backup)", names)
	}
	// The rewritten file imports no more: its secret is gone.
	if _, err := FromFile(path, dir, dir); !errors.Is(err, ErrNoSecret) {
		t.Errorf("got %v reading the rewritten file; want ErrNoSecret", err)
	}
}

func TestRemoveSecret(t *testing.T) {
	keyDir := t.TempDir()
	keyPath := writeFile(t, keyDir, "api.pem", canaryPEM, 0o600)
	client := "zscaler:\n  client:\n"
	tests := []struct {
		name    string
		yaml    string
		removed []string // keys that must be gone
		want    []string // fragments the result must hold
		exact   string   // the whole result, when set
		err     error
		message string // a fragment of the error
	}{
		{name: "inline private key", yaml: client + "    clientId: 0oa1\n    privateKey: | # THE KEY\n" + indentBlock(canaryPEM, 6) + "    vanityDomain: acme\n",
			removed: []string{"privateKey"}, exact: client + "    clientId: 0oa1\n    vanityDomain: acme\n"},
		{name: "private key path stays", yaml: client + "    clientId: 0oa1\n    privateKey: " + keyPath + "\n    vanityDomain: acme\n", err: ErrNoPlaintext, message: "holds no client secret or private key to remove"},
		{name: "four-space indentation kept", yaml: "zscaler:\n    client:\n        clientId: 0oa1\n        clientSecret: " + canary + "\n        vanityDomain: acme\n        proxy:\n            port: 8080\n",
			removed: []string{"clientSecret"}, exact: "zscaler:\n    client:\n        clientId: 0oa1\n        vanityDomain: acme\n        proxy:\n            port: 8080\n"},
		{name: "crlf line endings kept", yaml: "zscaler:\r\n  client:\r\n    clientId: 0oa1\r\n    clientSecret: " + canary + "\r\n    vanityDomain: acme\r\n",
			removed: []string{"clientSecret"}, exact: "zscaler:\r\n  client:\r\n    clientId: 0oa1\r\n    vanityDomain: acme\r\n"},
		{name: "byte-order mark kept", yaml: "\ufeffzscaler:\n  client:\n    clientId: 0oa1\n    clientSecret: " + canary + "\n    vanityDomain: acme\n",
			removed: []string{"clientSecret"}, exact: "\ufeffzscaler:\n  client:\n    clientId: 0oa1\n    vanityDomain: acme\n"},
		{name: "flow mapping", yaml: "zscaler:\n  client: {clientId: 0oa1, clientSecret: " + canary + ", vanityDomain: acme}\n",
			removed: []string{"clientSecret"}, exact: "zscaler:\n  client: {clientId: 0oa1, vanityDomain: acme}\n"},
		{name: "secret first", yaml: client + "    clientSecret: " + canary + "\n    clientId: 0oa1\n    vanityDomain: acme\n",
			removed: []string{"clientSecret"}, exact: client + "    clientId: 0oa1\n    vanityDomain: acme\n"},
		{name: "secret alone", yaml: "# mine\n" + client + "    clientSecret: " + canary + "\n",
			removed: []string{"clientSecret"}, exact: "# mine\nzscaler:\n  client: {}\n"},
		{name: "comment below the secret moves up", yaml: client + "    clientId: 0oa1\n    clientSecret: " + canary + "\n    # a note after the secret\n\n  other: 1\n",
			removed: []string{"clientSecret"}, want: []string{"# a note after the secret", "other: 1"}},
		{name: "other keys and anchors elsewhere kept", yaml: "defaults: &d {retries: 4}\nuse: *d\n" + client + "    clientId: 0oa1\n    clientSecret: " + canary + "\n    vanityDomain: acme\n",
			removed: []string{"clientSecret"}, want: []string{"defaults: &d {retries: 4}", "use: *d"}},
		{name: "secret also in a comment", yaml: "# old secret: " + canary + "\n" + client + "    clientId: 0oa1\n    clientSecret: " + canary + "\n    vanityDomain: acme\n", err: ErrUnsafe},
		{name: "secret also in another setting", yaml: client + "    clientId: 0oa1\n    clientSecret: " + canary + "\n    vanityDomain: acme\n    proxy:\n      password: \"" + canary + "\"\n", err: ErrUnsafe},
		{name: "pem line also elsewhere", yaml: "# " + pemLine + "\n" + client + "    clientId: 0oa1\n    privateKey: |\n" + indentBlock(canaryPEM, 6) + "    vanityDomain: acme\n", err: ErrUnsafe, message: "holds the secret in another place too"},
		{name: "anchored secret", yaml: client + "    clientId: 0oa1\n    clientSecret: &s " + canary + "\n    vanityDomain: acme\nagain: *s\n", err: ErrUnsafe},
		{name: "no secret left", yaml: client + "    clientId: 0oa1\n    vanityDomain: acme\n", err: ErrNoPlaintext, message: "holds no client secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, "zscaler.yaml", tt.yaml, 0o600)
			err := RemoveSecret(path, sha256.Sum256([]byte(tt.yaml)))
			checkErr(t, err, tt.err, tt.message)
			got, rerr := os.ReadFile(path)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if names := entries(t, dir); !slices.Equal(names, []string{"zscaler.yaml"}) {
				t.Errorf("got folder %v; want only zscaler.yaml", names)
			}
			if tt.err != nil {
				if string(got) != tt.yaml {
					t.Errorf("got file changed to\n%s\nwant it untouched", got)
				}
				return
			}
			assertNoCanary(t, got)
			if tt.exact != "" && string(got) != tt.exact {
				t.Errorf("got\n%q\nwant\n%q", got, tt.exact)
			}
			for _, w := range tt.want {
				if !bytes.Contains(got, []byte(w)) {
					t.Errorf("got\n%s\nwant it to hold %q", got, w)
				}
			}
			sameYAML(t, decode(t, got), withoutKeys(t, []byte(tt.yaml), tt.removed...))
		})
	}
}

func TestRemoveSecretChangedFile(t *testing.T) {
	path := writeFile(t, t.TempDir(), "zscaler.yaml", sdkExample, 0o600)
	digest := importFile(t, path)
	changed := strings.Replace(sdkExample, "acme", "acme2", 1)
	if err := os.WriteFile(path, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	err := RemoveSecret(path, digest)
	checkErr(t, err, ErrChanged, path, "import it again")
	if got, _ := os.ReadFile(path); string(got) != changed {
		t.Errorf("got file\n%s\nwant it untouched", got)
	}
}

func TestRemoveSecretSymlink(t *testing.T) {
	dotfiles, home := t.TempDir(), t.TempDir()
	target := writeFile(t, dotfiles, "zscaler.yaml", sdkExample, 0o600)
	link := filepath.Join(home, "zscaler.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	if err := RemoveSecret(link, importFile(t, link)); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("got %v at the link's place; want the link kept", fi.Mode())
	}
	got, _ := os.ReadFile(target)
	assertNoCanary(t, got)
	if !bytes.Contains(got, []byte("clientId")) {
		t.Errorf("got target\n%s\nwant the other settings kept", got)
	}
	if names := entries(t, dotfiles); !slices.Equal(names, []string{"zscaler.yaml"}) {
		t.Errorf("got target folder %v; want only zscaler.yaml", names)
	}
}

func TestRemoveSecretHardLink(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "zscaler.yaml", sdkExample, 0o600)
	if err := os.Link(path, filepath.Join(dir, "copy.yaml")); err != nil {
		t.Skipf("cannot make a hard link: %v", err)
	}
	if runtime.GOOS == "windows" {
		t.Skip("link counts are not read on Windows")
	}
	err := RemoveSecret(path, importFile(t, path))
	checkErr(t, err, ErrUnsafe, "2 hard links")
	if got, _ := os.ReadFile(path); string(got) != sdkExample {
		t.Errorf("got file changed; want it untouched")
	}
}

// failingFiles makes one step of the replacement fail, or changes the
// file as another program would while the new one is being written.
type failingFiles struct {
	createErr, renameErr error
	change               string // written to the file when the temporary file is created
}

func (f failingFiles) CreateTemp(dir, pattern string) (*os.File, error) {
	if f.change != "" {
		if err := os.WriteFile(filepath.Join(dir, "zscaler.yaml"), []byte(f.change), 0o600); err != nil {
			return nil, err
		}
	}
	if f.createErr != nil {
		return nil, &os.PathError{Op: "open", Path: filepath.Join(dir, pattern), Err: f.createErr}
	}
	return os.CreateTemp(dir, pattern)
}

func (f failingFiles) Rename(oldpath, newpath string) error {
	if f.renameErr != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: f.renameErr}
	}
	return os.Rename(oldpath, newpath)
}

func TestRemoveSecretWriteFailure(t *testing.T) {
	const edited = "# edited meanwhile\n" + sdkExample
	tests := []struct {
		name     string
		files    failingFiles
		err      error
		want     string
		contents string // the file afterwards
	}{
		{"folder not writable", failingFiles{createErr: os.ErrPermission}, ErrWrite, "could not create a new file next to it (permission denied): the file is unchanged; make", sdkExample},
		{"rename refused", failingFiles{renameErr: errors.New("device busy")}, ErrWrite, "could not replace it (device busy): the file is unchanged; remove the secret by hand", sdkExample},
		{"changed while rewriting", failingFiles{change: edited}, ErrChanged, "changed while the secret was being removed", edited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, "zscaler.yaml", sdkExample, 0o600)
			err := removeSecret(path, importFile(t, path), tt.files)
			checkErr(t, err, tt.err, path, tt.want)
			if got, _ := os.ReadFile(path); string(got) != tt.contents {
				t.Errorf("got file\n%s\nwant\n%s", got, tt.contents)
			}
			if names := entries(t, dir); !slices.Equal(names, []string{"zscaler.yaml"}) {
				t.Errorf("got folder %v; want the temporary file removed", names)
			}
		})
	}
}

// TestRemoveSecretReadOnlyFolder uses a real read-only folder. Root writes
// anywhere, so it is skipped as root; TestRemoveSecretWriteFailure covers
// the same path everywhere.
func TestRemoveSecretReadOnlyFolder(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a non-root Unix user for a folder it cannot write")
	}
	dir := t.TempDir()
	path := writeFile(t, dir, "zscaler.yaml", sdkExample, 0o600)
	digest := importFile(t, path)
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	err := RemoveSecret(path, digest)
	checkErr(t, err, ErrWrite, "permission denied", "the file is unchanged")
	if got, _ := os.ReadFile(path); string(got) != sdkExample {
		t.Errorf("got file changed; want it untouched")
	}
	if names := entries(t, dir); !slices.Equal(names, []string{"zscaler.yaml"}) {
		t.Errorf("got folder %v; want only zscaler.yaml", names)
	}
}
