package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// sdkYAML is an SDK YAML file with the canary secret and the comments an
// admin adds.
const sdkYAML = `# Zscaler SDK settings
zscaler:
  client:
    clientId: ` + clientID + `
    # shown once
    clientSecret: "` + canary + `" # expires 2027-03-31
    vanityDomain: acme
    customerId: "216196257331281920"
    microtenantId: "216196257331281921"
    partnerId: partner-7
    requestTimeout: 30 # seconds
`

// writeYAML writes text as an SDK YAML file at path, mode 0640, and
// returns path.
func writeYAML(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	return path
}

// homeYAML is where the SDKs' own file lives in the harness's home.
func (h *harness) homeYAML() string {
	return filepath.Join(h.env["HOME"], ".zscaler", "zscaler.yaml")
}

// setEnvSetup puts the canary setup in the environment zconn is given.
func (h *harness) setEnvSetup() {
	h.env["ZSCALER_CLIENT_ID"] = clientID
	h.env["ZSCALER_CLIENT_SECRET"] = canary
	h.env["ZSCALER_VANITY_DOMAIN"] = "acme"
}

// assertNoCanary fails when the secret, or the person the users API
// answered with, is in any output, the metadata file, or any file of the
// folders given.
func assertNoCanary(t *testing.T, h *harness, r result, dirs ...string) {
	t.Helper()
	for _, s := range []string{canary, zidentitytest.UserCanary} {
		if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) || strings.Contains(h.metadata(), s) {
			t.Errorf("%q is in the output or the metadata file", s)
		}
	}
	for _, dir := range append(dirs, h.dir) {
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(canary)) {
				t.Errorf("%s holds the secret", path)
			}
			return nil
		})
	}
}

func TestImportFromEnv(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"set in shell files", map[string]string{
			".bashrc":  "export ZSCALER_CLIENT_SECRET='" + canary + "'\n",
			"./.envrc": "export ZSCALER_CLIENT_ID=" + clientID + "\n",
		}, "ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN came from the environment; ~/.bashrc, CWD/.envrc mention them. Remove them there now that the memory keychain holds the client secret (zconn does not edit shell files).\n"},
		{"set elsewhere", nil, "ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN came from the environment, and no shell startup file mentions them: they may come from CI settings or the shell zconn was started from. Remove them there now that the memory keychain holds the client secret.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.setEnvSetup()
			var before []string
			for rel, text := range tt.files {
				path := filepath.Join(h.env["HOME"], rel)
				if rest, ok := strings.CutPrefix(rel, "./"); ok {
					path = filepath.Join(h.cwd, rest)
				}
				writeYAML(t, path, text)
				before = append(before, path, text)
			}
			r := h.run("", "import", "--from-env")
			r.want(t, 0)
			for _, want := range []string{
				"Importing environment variables (client ID " + clientID + ", tenant acme).\n",
				"Saved acme: acme.zslogin.net, client ID " + clientID + ", secret in the memory keychain.\n",
				"Verified: token lifetime 1 hour, products ZIAM, ZIA, user management proven.\n",
				strings.ReplaceAll(tt.want, "CWD/", h.cwd+string(filepath.Separator)),
			} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout\n%s\nwant %q", r.stdout, want)
				}
			}
			c, err := h.find("acme")
			if err != nil || c.Verification == nil || c.Verification.UserManagement != "ok" {
				t.Fatalf("saved %+v, %v; want acme, verified, user management ok", c, err)
			}
			if got, _ := h.mem.Peek(c.ID); got != canary {
				t.Error("the keychain does not hold the secret")
			}
			for i := 0; i < len(before); i += 2 {
				if b, _ := os.ReadFile(before[i]); string(b) != before[i+1] {
					t.Errorf("%s changed: zconn never edits shell files", before[i])
				}
			}
			assertNoCanary(t, h, r)
		})
	}
}

// TestImportFileIDs imports the ZPA and partner IDs, names the connection
// after the tenant and its cloud, and gives each import a name of its own.
func TestImportFileIDs(t *testing.T) {
	h := newHarness(t)
	path := writeYAML(t, filepath.Join(t.TempDir(), "zscaler.yaml"), strings.Replace(sdkYAML, "vanityDomain: acme", "vanityDomain: acme\n    cloud: beta", 1))
	h.run("", "import", "--file", path).want(t, 0, "warning: "+path+" still holds the client secret in plain text: delete its clientSecret entry now that the memory keychain holds it, or import with --remove-plaintext")
	h.run("", "import", "--file", path, "--skip-users-check").want(t, 0, "still holds the client secret")
	h.run("", "import", "--file", path, "--name", "ACME-beta").want(t, 1, `zconn: a connection named "acme-beta" already exists`)
	var listed []map[string]any
	if err := json.Unmarshal([]byte(h.run("", "list", "--json").stdout), &listed); err != nil || len(listed) != 2 {
		t.Fatalf("list --json: %v, %d connections; want 2", err, len(listed))
	}
	for i, want := range []map[string]any{
		{"name": "acme-beta", "cloud": "beta", "zpa_customer_id": "216196257331281920", "zpa_microtenant_id": "216196257331281921", "partner_id": "partner-7", "user_management": "ok"},
		{"name": "acme-beta-2", "user_management": "not_checked"},
	} {
		for k, v := range want {
			if listed[i][k] != v {
				t.Errorf("connection %d %s = %v; want %v", i, k, listed[i][k], v)
			}
		}
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), canary) {
		t.Error("the file lost its secret without --remove-plaintext")
	}
	if h.srv.UsersRequests() != 1 {
		t.Errorf("users requests = %d; want 1: --skip-users-check skips it", h.srv.UsersRequests())
	}
}

// TestImportRemovePlaintext takes the secret out of the file with the flag,
// or when the person agrees at the terminal, and only then.
func TestImportRemovePlaintext(t *testing.T) {
	tests := []struct {
		name    string
		flag    bool
		tty     bool
		answer  string
		removed bool
		stderr  []string
	}{
		{"flag", true, false, "", true, nil},
		{"flag at a terminal asks nothing", true, true, "", true, nil},
		{"agreed at a terminal", false, true, "y\n", true, []string{"Remove the client secret from PATH? It is now in the memory keychain. [y/N]"}},
		{"declined at a terminal", false, true, "n\n", false, []string{"Remove the client secret from PATH? It is now in the memory keychain. [y/N] warning: PATH still holds the client secret in plain text"}},
		{"off a terminal", false, false, "", false, []string{"warning: PATH still holds the client secret in plain text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.tty = tt.tty
			folder := t.TempDir()
			path := writeYAML(t, filepath.Join(folder, "zscaler.yaml"), sdkYAML)
			args := []string{"import", "--file", path}
			if tt.flag {
				args = append(args, "--remove-plaintext")
			}
			r := h.run(tt.answer, args...)
			var stderr []string
			for _, s := range tt.stderr {
				stderr = append(stderr, strings.ReplaceAll(s, "PATH", path))
			}
			r.want(t, 0, stderr...)
			b, _ := os.ReadFile(path)
			if got := !strings.Contains(string(b), "clientSecret"); got != tt.removed {
				t.Fatalf("secret removed %v; want %v:\n%s", got, tt.removed, b)
			}
			if !tt.removed {
				if string(b) != sdkYAML {
					t.Error("the file changed")
				}
				return
			}
			if want := "Removed the client secret from " + path + "; its other settings and comments stay.\n"; !strings.Contains(r.stdout, want) {
				t.Errorf("stdout\n%s\nwant %q", r.stdout, want)
			}
			for _, keep := range []string{"# Zscaler SDK settings", "clientId: " + clientID, "vanityDomain: acme", `customerId: "216196257331281920"`, "requestTimeout: 30 # seconds"} {
				if !strings.Contains(string(b), keep) {
					t.Errorf("the file lost %q:\n%s", keep, b)
				}
			}
			if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o640 {
				t.Errorf("mode %v; want 0640 kept", fi.Mode().Perm())
			}
			if entries, _ := os.ReadDir(folder); len(entries) != 1 {
				t.Errorf("the folder holds %d files; want the YAML file alone, no temporary file or backup", len(entries))
			}
			assertNoCanary(t, h, r, folder)
		})
	}
}

// TestImportRemovalRefused: a file zconn cannot rewrite safely (here, one
// with another hard link, which would keep the secret) stays as it was;
// the connection is saved, and the command fails saying so.
func TestImportRemovalRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("hard links")
	}
	h := newHarness(t)
	folder := t.TempDir()
	path := writeYAML(t, filepath.Join(folder, "zscaler.yaml"), sdkYAML)
	if err := os.Link(path, filepath.Join(folder, "copy.yaml")); err != nil {
		t.Skipf("cannot make a hard link: %v", err)
	}
	r := h.run("", "import", "--file", path, "--remove-plaintext")
	r.want(t, 1, "zconn: acme is saved and verified, but the client secret stays in the file: "+path+": has 2 hard links, which would keep the secret")
	if b, _ := os.ReadFile(path); string(b) != sdkYAML {
		t.Error("the file changed")
	}
	if _, err := h.find("acme"); err != nil {
		t.Errorf("the connection was not kept: %v", err)
	}
}

// TestImportKeyFile: a private key that the YAML file names is imported,
// and neither the key file nor the YAML file changes.
func TestImportKeyFile(t *testing.T) {
	h := newHarness(t)
	rk := h.keyClient(2048)
	folder := t.TempDir()
	keyPath := filepath.Join(folder, "key.pem")
	pemText := string(zidentitytest.PKCS8(rk))
	if err := os.WriteFile(keyPath, []byte(pemText), 0o600); err != nil {
		t.Fatal(err)
	}
	yamlText := "zscaler:\n  client:\n    clientId: " + keyClientID + "\n    privateKey: " + keyPath + "\n    vanityDomain: acme\n"
	path := writeYAML(t, filepath.Join(folder, "zscaler.yaml"), yamlText)
	r := h.run("", "import", "--file", path, "--remove-plaintext")
	r.want(t, 0)
	for _, want := range []string{
		"Saved acme: acme.zslogin.net, client ID " + keyClientID + ", private key (RSA 2048-bit key, SHA-256 fingerprint ",
		"The key file " + keyPath + " stays as it is: zconn never changes it.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout\n%s\nwant %q", r.stdout, want)
		}
	}
	if b, _ := os.ReadFile(keyPath); string(b) != pemText {
		t.Error("the key file changed")
	}
	if b, _ := os.ReadFile(path); string(b) != yamlText {
		t.Error("the YAML file changed, though it holds only the key's path")
	}
	if c, err := h.find("acme"); err != nil || c.AuthMethod != store.AuthPrivateKey {
		t.Errorf("saved %+v, %v; want a private-key connection", c, err)
	}
}

// TestImportInlineKey: a key written in the YAML file is taken out of it.
func TestImportInlineKey(t *testing.T) {
	h := newHarness(t)
	rk := h.keyClient(2048)
	pemText := strings.TrimSpace(string(zidentitytest.PKCS1(rk)))
	folder := t.TempDir()
	yamlText := "zscaler:\n  client:\n    clientId: " + keyClientID + "\n    vanityDomain: acme\n    privateKey: |\n      " + strings.ReplaceAll(pemText, "\n", "\n      ") + "\n"
	path := writeYAML(t, filepath.Join(folder, "zscaler.yaml"), yamlText)
	r := h.run("", "import", "--file", path, "--remove-plaintext")
	r.want(t, 0)
	b, _ := os.ReadFile(path)
	if string(b) != "zscaler:\n  client:\n    clientId: "+keyClientID+"\n    vanityDomain: acme\n" {
		t.Errorf("the file holds\n%s\nwant it without the key", b)
	}
	for _, line := range strings.Split(pemText, "\n")[1:3] {
		if strings.Contains(r.stdout+r.stderr+h.metadata(), line) {
			t.Error("a line of the key is in the output or the metadata file")
		}
	}
}

// TestImportDiscovers looks where the SDKs look when no source is named.
func TestImportDiscovers(t *testing.T) {
	t.Run("nothing", func(t *testing.T) {
		h := newHarness(t)
		h.run("", "import").want(t, 1, "zconn: no credentials to import in the environment, ~/.zscaler/zscaler.yaml, "+filepath.Join(h.cwd, "zscaler.yaml")+": set the ZSCALER_* variables, or name a file with --file PATH")
	})
	t.Run("only a setup that cannot be imported", func(t *testing.T) {
		h := newHarness(t)
		writeYAML(t, filepath.Join(h.cwd, "zscaler.yaml"), "zscaler: [")
		h.run("", "import").want(t, 1, "zconn: note: not importable: "+filepath.Join(h.cwd, "zscaler.yaml"), "fix what is noted above, or name a file with --file PATH")
	})
	t.Run("one", func(t *testing.T) {
		h := newHarness(t)
		writeYAML(t, h.homeYAML(), sdkYAML)
		r := h.run("", "import", "--remove-plaintext")
		r.want(t, 0)
		if !strings.Contains(r.stdout, "Importing ~/.zscaler/zscaler.yaml (client ID "+clientID+", tenant acme).\n") {
			t.Errorf("stdout\n%s\nwant the setup found", r.stdout)
		}
		if b, _ := os.ReadFile(h.homeYAML()); strings.Contains(string(b), canary) {
			t.Error("the secret stayed in the file")
		}
	})
	t.Run("several off a terminal", func(t *testing.T) {
		h := newHarness(t)
		h.setEnvSetup()
		writeYAML(t, h.homeYAML(), sdkYAML)
		r := h.run("", "import")
		r.want(t, 2, "zconn: 2 setups found and standard input is not a terminal, so zconn cannot ask which: run zconn import --from-env for environment variables (client ID "+clientID+", tenant acme), or zconn import --file "+h.homeYAML()+" for ~/.zscaler/zscaler.yaml (client ID "+clientID+", tenant acme)")
		if want := "Found 2 setups with credentials:\n  1. environment variables (client ID " + clientID + ", tenant acme)\n  2. ~/.zscaler/zscaler.yaml (client ID " + clientID + ", tenant acme)\n"; r.stdout != want {
			t.Errorf("stdout\n%s\nwant\n%s", r.stdout, want)
		}
		if h.srv.Requests() != 0 || h.mem.Len() != 0 || h.metadata() != "" {
			t.Error("something was sent or saved")
		}
	})
	t.Run("several at a terminal", func(t *testing.T) {
		h := newHarness(t)
		h.tty = true
		h.setEnvSetup()
		writeYAML(t, h.homeYAML(), sdkYAML)
		r := h.run("2\ny\n", "import")
		r.want(t, 0, "Import which one? [1-2] Remove the client secret from ~/.zscaler/zscaler.yaml? It is now in the memory keychain. [y/N]")
		if !strings.Contains(r.stdout, "Importing ~/.zscaler/zscaler.yaml") || !strings.Contains(r.stdout, "Removed the client secret from ~/.zscaler/zscaler.yaml") {
			t.Errorf("stdout\n%s\nwant the file imported and its secret removed", r.stdout)
		}
		if c, _ := h.find("acme"); c.ZPACustomerID != "216196257331281920" {
			t.Errorf("imported %+v; want the file's setup", c)
		}
	})
	t.Run("no choice at a terminal", func(t *testing.T) {
		h := newHarness(t)
		h.tty = true
		h.setEnvSetup()
		writeYAML(t, h.homeYAML(), sdkYAML)
		h.run("3\n", "import").want(t, 2, "no setup chosen (answer a number from 1 to 2): nothing was imported")
		if h.metadata() != "" {
			t.Error("something was saved")
		}
	})
}

// TestImportFailureChangesNothing: an import that fails saves nothing,
// puts nothing in the keychain, leaves the file as it was (bytes and
// mode), and exits with the usual one-line cause.
func TestImportFailureChangesNothing(t *testing.T) {
	tests := []struct {
		name  string
		setup func(h *harness)
		args  []string
		// text is the file's, when not sdkYAML.
		text  string
		code  int
		cause string
	}{
		{"rejected", func(h *harness) { h.srv.SetClientFailure(clientID, zidentitytest.Reject) }, nil, "", 1,
			"zconn: verifying credentials: the client ID or secret was rejected"},
		{"echoed secret", func(h *harness) { h.srv.SetFailure(zidentitytest.EchoSecret) }, nil, "", 1, "zconn: verifying credentials: "},
		{"cannot connect", func(h *harness) { h.env["ZCONN_ZIDENTITY_URL"] = "https://127.0.0.1:1" }, nil, "", 1, "zconn: verifying credentials: "},
		{"keychain fails", func(h *harness) {
			h.mem.Fail("set", &store.SecretError{Op: "saving", Message: "the memory keychain is locked: unlock it"})
		}, nil, "", 1, "the memory keychain is locked"},
		{"name taken", func(h *harness) { h.seed(store.Connection{Name: "mine"}, "other") }, []string{"--name", "mine"}, "", 1, `a connection named "mine" already exists`},
		{"bad setting", nil, nil, strings.Replace(sdkYAML, `"216196257331281920"`, "21619x", 1), 1, "zscaler.client.customerId is refused: the ZPA customer ID holds characters other than digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			conns, _ := h.store().List()
			secrets := h.mem.Len()
			text := sdkYAML
			if tt.text != "" {
				text = tt.text
			}
			folder := t.TempDir()
			path := writeYAML(t, filepath.Join(folder, "zscaler.yaml"), text)
			r := h.run("", append([]string{"import", "--file", path, "--remove-plaintext"}, tt.args...)...)
			r.want(t, tt.code, tt.cause)
			if after, _ := h.store().List(); len(after) != len(conns) || h.mem.Len() != secrets {
				t.Errorf("%d connections and %d secrets after; want %d and %d", len(after), h.mem.Len(), len(conns), secrets)
			}
			b, _ := os.ReadFile(path)
			fi, _ := os.Stat(path)
			if string(b) != text || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o640) {
				t.Errorf("the file changed: mode %v", fi.Mode().Perm())
			}
			if entries, _ := os.ReadDir(folder); len(entries) != 1 {
				t.Errorf("the folder holds %d files; want the YAML file alone", len(entries))
			}
			if strings.Contains(r.stdout+r.stderr, canary) {
				t.Error("the secret is in the output")
			}
		})
	}
}

// TestImportUnknownCloud: a cloud zconn does not know is refused before
// anything is sent, unless --allow-unknown-cloud confirms it.
func TestImportUnknownCloud(t *testing.T) {
	h := unknownCloud(t)
	h.setEnvSetup()
	h.env["ZSCALER_CLOUD"] = "evil"
	h.run("", "import", "--from-env").want(t, 2, "zconn: acme.zsloginevil.net is not in a ZIdentity cloud zconn knows (production, beta, gov, govus), so nothing was sent to it: check the cloud, or confirm that this host is your tenant's: if it is, add --allow-unknown-cloud")
	if h.srv.Requests() != 0 || h.mem.Len() != 0 || h.metadata() != "" {
		t.Fatal("something was sent or saved")
	}
	h.run("", "import", "--from-env", "--allow-unknown-cloud", "--skip-users-check").want(t, 0)
	if c, err := h.find("acme-evil"); err != nil || !c.AllowUnknownCloud {
		t.Errorf("saved %+v, %v; want acme-evil, confirmed", c, err)
	}
}
