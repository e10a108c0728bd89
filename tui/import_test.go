package tui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// sdkYAML is the SDKs' file as an admin keeps it: the secret in plain
// text, a comment, and a setting zconn does not read.
const sdkYAML = `# Zscaler SDK settings
zscaler:
  client:
    clientId: cid-123
    clientSecret: ` + canary + ` # shown once in the portal
    vanityDomain: acme
    connectionTimeout: 30 # seconds
`

// places are a home folder, a working folder and an environment for the
// wizard to look in.
type testPlaces struct {
	home, dir string
	env       map[string]string
}

func newPlaces(t *testing.T) *testPlaces {
	t.Helper()
	return &testPlaces{home: t.TempDir(), dir: t.TempDir(), env: map[string]string{}}
}

// write writes a file under the home folder, making its folders.
func (p *testPlaces) write(t *testing.T, rel, text string) string {
	t.Helper()
	path := filepath.Join(p.home, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func (p *testPlaces) options() Options {
	return Options{Getenv: func(k string) string { return p.env[k] }, Home: p.home, WorkDir: p.dir}
}

// importHarness starts the app, with no connection saved, looking in p.
func importHarness(t *testing.T, p *testPlaces) *harness {
	t.Helper()
	h := newHarness(t)
	h.start(p.options())
	return h
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportFromTheYAMLFileThenRemoveTheSecret(t *testing.T) {
	p := newPlaces(t)
	path := p.write(t, ".zscaler/zscaler.yaml", sdkYAML)
	h := importHarness(t, p)
	h.contains("Before you begin", "Credentials kept in plain text were found",
		"1 Import from ~/.zscaler/zscaler.yaml (client ID cid-123, tenant acme)", "Add API Client", "1 import")
	t.Run("offer", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t

	h.press("1")
	h.contains("The credentials work", "ZIAM, ZIA", "User management ✓ proven")
	f := h.wizard().form
	if f.value(fName) != "acme" || f.value(fTenant) != "acme" || f.value(fClientID) != "cid-123" || f.secret() != canary {
		t.Fatalf("the form holds %q %q %q and a secret of %d bytes; want acme, acme, cid-123 and the file's secret",
			f.value(fName), f.value(fTenant), f.value(fClientID), len(f.secret()))
	}
	h.press("enter")
	h.contains("Created acme; its credentials work; its secret is in the memory keychain",
		"⚠ Remove the client secret from ~/.zscaler/zscaler.yaml? It is now in the memory keychain.", "y remove it", "n/esc keep it")
	t.Run("question", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	if got := readFile(t, path); got != sdkYAML {
		t.Fatalf("the file changed before the answer:\n%s", got)
	}

	h.press("y")
	if !onHome(h.m) {
		t.Fatalf("the page is %q after y; want the Connections page", h.m.page.title())
	}
	h.contains("removed the client secret from ~/.zscaler/zscaler.yaml", "acme", "✓ ok · just now")
	got := readFile(t, path)
	if strings.Contains(got, canary) || strings.Contains(got, "clientSecret") {
		t.Errorf("the file still holds the secret:\n%s", got)
	}
	for _, kept := range []string{"# Zscaler SDK settings", "clientId: cid-123", "vanityDomain: acme", "connectionTimeout: 30 # seconds"} {
		if !strings.Contains(got, kept) {
			t.Errorf("the file lost %q:\n%s", kept, got)
		}
	}
	c, err := h.mgr.Store.Find("acme")
	if err != nil || c.Verification == nil || !c.Verification.OK || c.Verification.UserManagement != "ok" {
		t.Fatalf("saved %+v, %v; want acme verified, user management proven", c, err)
	}
	if s, _ := h.mem.Peek(c.ID); s != canary {
		t.Errorf("the keychain holds %q; want the file's secret", s)
	}
	h.assertNoCanary()
	if strings.Contains(h.m.flash, canary) {
		t.Error("the notice shows the secret")
	}
	// No temporary file or backup is left beside it.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries; want only the file", len(entries))
	}
}

func TestImportKeepsTheFileWhenAskedTo(t *testing.T) {
	p := newPlaces(t)
	path := p.write(t, ".zscaler/zscaler.yaml", sdkYAML)
	for _, no := range []string{"n", "esc"} {
		t.Run(no, func(t *testing.T) {
			h := importHarness(t, p)
			h.press("1", "enter", no)
			if !onHome(h.m) {
				t.Fatalf("the page is %q after %s; want the Connections page", h.m.page.title(), no)
			}
			h.contains("~/.zscaler/zscaler.yaml still holds the client secret in plain text")
			if got := readFile(t, path); got != sdkYAML {
				t.Errorf("the file changed:\n%s", got)
			}
			h.assertNoCanary()
		})
	}
}

func TestImportFromTheEnvironmentNamesTheShellFiles(t *testing.T) {
	p := newPlaces(t)
	p.env = map[string]string{"ZSCALER_CLIENT_ID": "cid-123", "ZSCALER_CLIENT_SECRET": canary, "ZSCALER_VANITY_DOMAIN": "acme"}
	bashrc := "export ZSCALER_CLIENT_SECRET=" + canary + "\n"
	p.write(t, ".bashrc", bashrc)
	h := importHarness(t, p)
	h.contains("1 Import from environment variables (client ID cid-123, tenant acme)")
	h.press("1")
	h.contains("The credentials work")
	h.press("enter")
	h.contains("ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN came from the environment; ~/.bashrc mentions them.",
		"Remove them there now that the memory keychain holds the client secret: zconn does not edit shell files.", "enter done")
	if strings.Contains(h.text(), "Remove the client secret from") {
		t.Error("the page asks to remove the secret from the environment")
	}
	t.Run("notes", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	h.press("y") // no question here
	if onHome(h.m) {
		t.Fatal("y left the page that asks nothing")
	}
	h.press("enter")
	if !onHome(h.m) {
		t.Fatalf("the page is %q after enter; want the Connections page", h.m.page.title())
	}
	h.contains("Created acme")
	if got := readFile(t, filepath.Join(p.home, ".bashrc")); got != bashrc {
		t.Errorf(".bashrc changed:\n%s", got)
	}
	h.assertNoCanary()
}

func TestImportOfAKeyFileLeavesTheKeyFile(t *testing.T) {
	p := newPlaces(t)
	k := newTestKey(t, "tui")
	keyPath := p.write(t, ".zscaler/api.pem", k.pem)
	yaml := "zscaler:\n  client:\n    clientId: cid-key\n    privateKey: " + keyPath + "\n    vanityDomain: acme\n    cloud: beta\n    customerId: '216196257331281920'\n"
	path := p.write(t, ".zscaler/zscaler.yaml", yaml)
	h := newHarness(t)
	h.srv.AddClient(zidentitytest.Client{ID: "cid-key", PublicKey: k.key.Public()})
	h.start(p.options())
	h.contains("1 Import from ~/.zscaler/zscaler.yaml (client ID cid-key, tenant acme (beta), private key)")
	h.press("1")
	h.contains("The credentials work")
	h.press("esc") // back to the form, to see what was filled in
	h.contains("acme-beta", "(•) Private key", "✓ "+k.key.Description(), "ZPA customer ID 216196257331281920")
	h.press("ctrl+s")
	h.press("enter")
	h.contains("Created acme-beta", "The key file ~/.zscaler/api.pem stays as it is: zconn never changes it.", "enter done")
	if strings.Contains(h.text(), "Remove the") {
		t.Error("the page asks to remove a key the file only names")
	}
	h.press("enter")
	c, err := h.mgr.Store.Find("acme-beta")
	if err != nil || c.AuthMethod != store.AuthPrivateKey || c.Cloud != "beta" || c.ZPACustomerID != "216196257331281920" {
		t.Fatalf("saved %+v, %v; want the key client in the beta cloud with its customer ID", c, err)
	}
	if got, _ := h.mem.Peek(c.ID); got != k.key.Encode() {
		t.Errorf("the keychain holds %d bytes; want the key's compact form", len(got))
	}
	if readFile(t, path) != yaml || readFile(t, keyPath) != k.pem {
		t.Error("the file or the key file changed")
	}
	h.assertNoKey(k)
}

func TestImportRejectedSavesNothing(t *testing.T) {
	p := newPlaces(t)
	path := p.write(t, ".zscaler/zscaler.yaml", strings.Replace(sdkYAML, canary, canary+"-old", 1))
	h := importHarness(t, p)
	h.press("1")
	h.contains("✗ the client ID or secret was rejected")
	if h.focused() != fSecret {
		t.Errorf("focus on %v after a rejection; want the secret", h.focused())
	}
	if conns, _ := h.mgr.Store.List(); len(conns) != 0 {
		t.Errorf("saved %d connections; want none", len(conns))
	}
	if h.mem.Calls() != 0 {
		t.Errorf("%d keychain calls; want none", h.mem.Calls())
	}
	// The secret typed instead is saved, and the file, whose secret is
	// not that one, is left as it is.
	h.press("ctrl+u")
	h.paste(canary)
	h.press("ctrl+s", "enter")
	h.contains("~/.zscaler/zscaler.yaml still holds the client secret in plain text: delete its clientSecret entry once no other tool needs it")
	h.press("y")
	if onHome(h.m) {
		t.Fatal("y removed a secret the keychain does not hold")
	}
	h.press("enter")
	if got := readFile(t, path); !strings.Contains(got, canary+"-old") {
		t.Errorf("the file lost its secret:\n%s", got)
	}
	h.assertNoCanary()
}

func TestNothingToImportLeavesThePageAsItWas(t *testing.T) {
	t.Run("nothing found", func(t *testing.T) {
		p := newPlaces(t)
		h := importHarness(t, p)
		plain := newHarness(t)
		if h.view() != plain.view() {
			t.Errorf("the page differs from one that looks nowhere:\n%s", h.text())
		}
		h.press("1")
		if h.wizard().step != stepIntro {
			t.Error("1 did something with nothing to import")
		}
	})
	t.Run("a file that cannot be read is one muted line", func(t *testing.T) {
		p := newPlaces(t)
		p.write(t, ".zscaler/zscaler.yaml", "zscaler:\n  client:\n    clientSecret: "+canary+"\n")
		h := importHarness(t, p)
		h.contains("Not offered: ~/.zscaler/zscaler.yaml")
		if strings.Contains(h.text(), "Import from") || strings.Contains(h.text(), "import") {
			t.Errorf("an offer without a setup to import:\n%s", h.text())
		}
		h.golden()
		h.assertNoCanary()
	})
}

func TestImportOfferNeverShowsTheSecret(t *testing.T) {
	p := newPlaces(t)
	path := p.write(t, ".zscaler/zscaler.yaml", sdkYAML)
	p.env = map[string]string{"ZSCALER_CLIENT_ID": "cid-123", "ZSCALER_CLIENT_SECRET": canary, "ZSCALER_VANITY_DOMAIN": "acme"}
	h := importHarness(t, p)
	h.contains("1 Import from environment variables", "2 Import from ~/.zscaler/zscaler.yaml", "1-2 import")
	h.press("2", "esc", "tab", "tab", "tab", "tab", "tab", "tab")
	if h.focused() != fSecret {
		t.Fatalf("focus on %v; want the secret", h.focused())
	}
	h.press("ctrl+s", "enter", "y")
	for i, m := range h.msgs {
		if s := strings.ReplaceAll(strings.ReplaceAll(fmtMsg(m), "\n", " "), "\t", " "); strings.Contains(s, canary) {
			t.Fatalf("message %d (%T) holds the secret", i, m)
		}
	}
	h.assertNoCanary()
	if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(canary)) {
		t.Error("the file still holds the secret")
	}
}

// fmtMsg prints a message as a log would.
func fmtMsg(m any) string { return fmt.Sprintf("%+v", m) }

// runPersonIn runs the accessible wizard with the person at its terminal,
// looking for credentials in p.
func runPersonIn(t *testing.T, h *harness, p *personAtTerminal, pl *testPlaces) error {
	t.Helper()
	conns, err := h.mgr.Store.List()
	if err != nil {
		t.Fatal(err)
	}
	o := pl.options()
	o.Manager, o.Wizard, o.Accessible, o.Input, o.Output, o.Environ, o.Now = h.mgr, true, true, p, p, []string{"TERM=dumb"}, h.m.c.now
	return runPrompts(context.Background(), newCommon(context.Background(), o), conns, o, p)
}

func TestAccessibleImport(t *testing.T) {
	t.Run("from the file, removing the secret", func(t *testing.T) {
		pl := newPlaces(t)
		path := pl.write(t, ".zscaler/zscaler.yaml", sdkYAML)
		h := newHarness(t)
		p := newPerson(answer{"Enter a number between 1 and 2", "1"}, answer{"Remove the client secret from ~/.zscaler/zscaler.yaml? It is now in the memory keychain.", "y"})
		if err := runPersonIn(t, h, p, pl); err != nil {
			t.Fatalf("got %v; want the connection imported", err)
		}
		text := p.text()
		for _, want := range []string{
			"Credentials kept in plain text were found. Importing verifies them and keeps the secret or key in the memory keychain.",
			"1. Import from ~/.zscaler/zscaler.yaml (client ID cid-123, tenant acme)",
			"2. Type the details instead",
			"Importing ~/.zscaler/zscaler.yaml (client ID cid-123, tenant acme) as acme.",
			"The credentials work.",
			"User management: proven: the ZIdentity users API answered the token.",
			"Saved acme (verified).",
			"Removed the client secret from ~/.zscaler/zscaler.yaml, whose other settings and comments stay.",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("no %q in:\n%s", want, text)
			}
		}
		if strings.Contains(text, "Name, unique") || strings.Contains(text, "To create one") {
			t.Errorf("the import asked for the fields:\n%s", text)
		}
		if strings.Contains(text, canary) {
			t.Error("the secret was shown")
		}
		if got := readFile(t, path); strings.Contains(got, canary) || !strings.Contains(got, "connectionTimeout: 30 # seconds") {
			t.Errorf("the file after the removal:\n%s", got)
		}
		c, err := h.mgr.Store.Find("acme")
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := h.mem.Peek(c.ID); s != canary {
			t.Errorf("the keychain holds %q; want the file's secret", s)
		}
	})
	t.Run("typing the details instead", func(t *testing.T) {
		pl := newPlaces(t)
		path := pl.write(t, ".zscaler/zscaler.yaml", sdkYAML)
		h := newHarness(t)
		p := newPerson(answer{"Enter a number between 1 and 2", "2"}, answer{"Name", "prod"}, answer{"Description", ""}, answer{"Tenant", "acme"},
			answer{"Cloud", ""}, answer{"Client ID", "cid-123"}, answer{"authenticate", "1"}, answer{"Client secret", canary}, answer{"Secret expires", ""}, answer{"ZPA customer ID", "n"})
		if err := runPersonIn(t, h, p, pl); err != nil {
			t.Fatalf("got %v; want the connection saved", err)
		}
		if _, err := h.mgr.Store.Find("prod"); err != nil {
			t.Error(err)
		}
		if strings.Contains(p.text(), "Remove the") || readFile(t, path) != sdkYAML {
			t.Error("typing the details dealt with the file")
		}
	})
	t.Run("from the environment, a forbidden role", func(t *testing.T) {
		pl := newPlaces(t)
		pl.env = map[string]string{"ZSCALER_CLIENT_ID": "cid-123", "ZSCALER_CLIENT_SECRET": canary, "ZSCALER_VANITY_DOMAIN": "acme"}
		h := newHarness(t)
		h.srv.SetUsersStatus(403)
		p := newPerson(answer{"Enter a number between 1 and 2", ""})
		if err := runPersonIn(t, h, p, pl); err != nil {
			t.Fatalf("got %v; want the connection imported", err)
		}
		text := p.text()
		for _, want := range []string{
			"Warning: the API client's role lacks user management: in the ZIdentity portal, Integration > API Clients > this client > Resources > Scopes > ZIAM, choose an admin role with user management.",
			"ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN came from the environment, and no shell startup file mentions them",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("no %q in:\n%s", want, text)
			}
		}
		if strings.Contains(text, "Remove the client secret") || strings.Contains(text, canary) {
			t.Errorf("got:\n%s", text)
		}
	})
}

func TestImportedFileChangedBeforeTheRemoval(t *testing.T) {
	p := newPlaces(t)
	path := p.write(t, ".zscaler/zscaler.yaml", sdkYAML)
	h := importHarness(t, p)
	h.press("1", "enter")
	h.contains("Remove the client secret from ~/.zscaler/zscaler.yaml?")
	changed := sdkYAML + "    proxyPort: 8080\n"
	p.write(t, ".zscaler/zscaler.yaml", changed)
	h.press("y")
	if !onHome(h.m) {
		t.Fatalf("the page is %q; want the Connections page", h.m.page.title())
	}
	h.contains("acme is saved and verified, but the client secret stays in ~/.zscaler/zscaler.yaml: the file changed since zconn read it, so zconn left it as it is: delete its clientSecret entry by hand")
	if !h.m.bad {
		t.Error("the notice is not shown as a failure")
	}
	if got := readFile(t, path); got != changed {
		t.Errorf("the file changed:\n%s", got)
	}
	if _, err := h.mgr.Store.Find("acme"); err != nil {
		t.Errorf("the connection is gone: %v", err)
	}
	h.assertNoCanary()
}

func TestImportOfAKeyWrittenInTheFileRemovesIt(t *testing.T) {
	p := newPlaces(t)
	k := newTestKey(t, "tui")
	yaml := "zscaler:\n  client:\n    clientId: cid-key\n    vanityDomain: acme\n    privateKey: |\n" + indent(k.pem, "      ")
	path := p.write(t, ".zscaler/zscaler.yaml", yaml)
	h := newHarness(t)
	h.srv.AddClient(zidentitytest.Client{ID: "cid-key", PublicKey: k.key.Public()})
	h.start(p.options())
	h.press("1")
	h.contains("The credentials work")
	h.press("enter")
	h.contains("Remove the private key from ~/.zscaler/zscaler.yaml? It is now in the memory keychain.", "without its privateKey entry")
	h.press("y")
	h.contains("removed the private key from ~/.zscaler/zscaler.yaml")
	got := readFile(t, path)
	if part, ok := k.leak(got); ok || strings.Contains(got, "privateKey") {
		t.Errorf("the file still holds the key (%q):\n%s", part, got)
	}
	if !strings.Contains(got, "clientId: cid-key") {
		t.Errorf("the file lost its other settings:\n%s", got)
	}
	h.assertNoKey(k)
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}

func TestFlowImport(t *testing.T) {
	p := newPlaces(t)
	path := p.write(t, ".zscaler/zscaler.yaml", sdkYAML)
	f := newFlowWith(t, p.options())
	f.waitFor("1  Import from ~/.zscaler/zscaler.yaml")
	f.press("1")
	f.waitFor("User management ✓ proven")
	f.press("enter")
	f.waitFor("Remove the client secret from")
	f.press("y")
	f.waitFor("removed the client secret")
	m := f.final()
	if c, _ := m.home.selected(); c.Name != "acme" {
		t.Errorf("selected %q; want the imported connection", c.Name)
	}
	if got := readFile(t, path); strings.Contains(got, canary) {
		t.Errorf("the file still holds the secret:\n%s", got)
	}
	if strings.Contains(f.screen.Raw(), canary) {
		t.Error("the secret reached the terminal")
	}
}
