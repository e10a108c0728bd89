package manager_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zconn/zconn/internal/sdkconfig"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

func TestImportName(t *testing.T) {
	saved := func(names ...string) []store.Connection {
		var conns []store.Connection
		for i, n := range names {
			conns = append(conns, store.Connection{ID: "id" + string(rune('a'+i)), Name: n})
		}
		return conns
	}
	long := strings.Repeat("a", 63)
	tests := []struct {
		name   string
		tenant zidentity.Tenant
		conns  []store.Connection
		want   string
	}{
		{"production", zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Production}, nil, "acme"},
		{"empty cloud is production", zidentity.Tenant{Vanity: "acme"}, nil, "acme"},
		{"another cloud", zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Beta}, nil, "acme-beta"},
		{"gov", zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Gov}, nil, "acme-gov"},
		{"taken", zidentity.Tenant{Vanity: "acme"}, saved("acme"), "acme-2"},
		{"taken in another case", zidentity.Tenant{Vanity: "acme"}, saved("ACME"), "acme-2"},
		{"taken twice", zidentity.Tenant{Vanity: "acme"}, saved("acme", "acme-2"), "acme-3"},
		{"other names", zidentity.Tenant{Vanity: "acme"}, saved("acme-beta", "prod"), "acme"},
		{"cloud taken", zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Beta}, saved("acme-beta"), "acme-beta-2"},
		{"too long", zidentity.Tenant{Vanity: long, Cloud: zidentity.Beta}, nil, long[:59] + "-beta"},
		{"too long and taken", zidentity.Tenant{Vanity: long}, saved(long), long[:62] + "-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := manager.ImportName(tt.tenant, tt.conns)
			if got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
			if err := store.ValidateName(got); err != nil {
				t.Errorf("the name is not valid: %v", err)
			}
		})
	}
}

// envSetup reads a setup from the variables given.
func envSetup(t *testing.T, vars map[string]string) *sdkconfig.Setup {
	t.Helper()
	s, err := sdkconfig.FromEnv(func(k string) string { return vars[k] }, "", "")
	must(t, err)
	return s
}

// yamlFile writes an SDK YAML file with mode 0640 and returns its path.
func yamlFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "zscaler.yaml")
	must(t, os.WriteFile(path, []byte(text), 0o600))
	must(t, os.Chmod(path, 0o640))
	return path
}

const sdkYAML = `# Zscaler SDK settings
zscaler:
  client:
    clientId: cid
    # shown once
    clientSecret: "` + canary + `" # expires 2027-03-31
    vanityDomain: acme
    cloud: beta
    customerId: "216196257331281920"
    partnerId: partner-7
    requestTimeout: 30 # seconds
`

func TestImportDraft(t *testing.T) {
	f := setup(t)
	s := envSetup(t, map[string]string{
		"ZSCALER_CLIENT_ID":      "cid",
		"ZSCALER_CLIENT_SECRET":  canary + "\n",
		"ZSCALER_VANITY_DOMAIN":  "acme",
		"ZSCALER_CLOUD":          "BETA",
		"ZSCALER_CUSTOMER_ID":    "216196257331281920",
		"ZPA_MICROTENANT_ID":     "216196257331281921",
		"ZSCALER_PARTNER_ID":     "partner-7",
		"ZSCALER_PRIVATE_KEY":    "",
		"ZSCALER_UNRELATED_NAME": "x",
	})
	c, secret, err := f.m.ImportDraft(s, manager.ImportOptions{})
	must(t, err)
	want := store.Connection{Name: "acme-beta", Vanity: "acme", Cloud: "beta", ClientID: "cid", AuthMethod: store.AuthSecret,
		ZPACustomerID: "216196257331281920", ZPAMicrotenantID: "216196257331281921", PartnerID: "partner-7"}
	if c != want {
		t.Errorf("draft %+v; want %+v", c, want)
	}
	if secret != canary {
		t.Errorf("secret of %d bytes; want the canary without its line end", len(secret))
	}
	c, _, err = f.m.ImportDraft(s, manager.ImportOptions{Name: "mine", AllowUnknownCloud: true})
	must(t, err)
	if c.Name != "mine" || c.AllowUnknownCloud {
		t.Errorf("name %q, allow unknown cloud %v; want mine, and no confirmation for a cloud zconn knows", c.Name, c.AllowUnknownCloud)
	}
}

// TestImportDraftRefusals: a setting zconn cannot use is refused before
// anything is sent, naming the setting and its place but never its value.
func TestImportDraftRefusals(t *testing.T) {
	base := map[string]string{"ZSCALER_CLIENT_ID": "cid", "ZSCALER_CLIENT_SECRET": canary, "ZSCALER_VANITY_DOMAIN": "acme"}
	tests := []struct {
		name    string
		set     map[string]string
		setting string
		message string
	}{
		{"vanity domain", map[string]string{"ZSCALER_VANITY_DOMAIN": "acme_" + canary}, "ZSCALER_VANITY_DOMAIN", "is not a vanity domain"},
		{"cloud", map[string]string{"ZSCALER_CLOUD": "moon base " + canary}, "ZSCALER_CLOUD", "is not a cloud zconn can name"},
		{"clouds disagree", map[string]string{"ZSCALER_VANITY_DOMAIN": "acme.zsloginbeta.net", "ZSCALER_CLOUD": "gov"}, "ZSCALER_CLOUD", "names another cloud"},
		{"client ID", map[string]string{"ZSCALER_CLIENT_ID": "a b" + canary}, "ZSCALER_CLIENT_ID", "the client ID holds spaces"},
		{"customer ID", map[string]string{"ZPA_CUSTOMER_ID": "12x" + canary}, "ZPA_CUSTOMER_ID or ZSCALER_CUSTOMER_ID", "holds characters other than digits"},
		{"microtenant ID", map[string]string{"ZPA_MICROTENANT_ID": "12x"}, "ZPA_MICROTENANT_ID or ZSCALER_MICROTENANT_ID", "holds characters other than digits"},
		{"partner ID", map[string]string{"ZSCALER_PARTNER_ID": "a b"}, "ZSCALER_PARTNER_ID", "holds spaces"},
		{"secret with a tab", map[string]string{"ZSCALER_CLIENT_SECRET": canary + "\tmore"}, "ZSCALER_CLIENT_SECRET", "holds a tab"},
		{"secret of two lines", map[string]string{"ZSCALER_CLIENT_SECRET": canary + "\nmore"}, "ZSCALER_CLIENT_SECRET", "the secret has more than one line"},
		{"private key as the secret", map[string]string{"ZSCALER_CLIENT_SECRET": "-----BEGIN RSA PRIVATE KEY-----\n" + canary + "\n-----END RSA PRIVATE KEY-----\n"}, "ZSCALER_CLIENT_SECRET", "holds a private key, not a client secret: move it to ZSCALER_PRIVATE_KEY"},
		{"key that is not one", map[string]string{"ZSCALER_CLIENT_SECRET": "", "ZSCALER_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\n" + canary + "\n-----END PRIVATE KEY-----\n"}, "ZSCALER_PRIVATE_KEY", "is refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			vars := map[string]string{}
			for k, v := range base {
				vars[k] = v
			}
			for k, v := range tt.set {
				vars[k] = v
			}
			_, _, err := f.m.ImportDraft(envSetup(t, vars), manager.ImportOptions{})
			var ie *manager.ImportError
			if !errors.As(err, &ie) || ie.Setting != tt.setting || ie.Where != sdkconfig.Environment {
				t.Fatalf("err = %v; want an *ImportError for %s in the environment", err, tt.setting)
			}
			if !strings.Contains(err.Error(), tt.message) || !strings.HasPrefix(err.Error(), "the environment: "+tt.setting+" ") {
				t.Errorf("err = %q; want it to name %s and say %q", err, tt.setting, tt.message)
			}
			if strings.Contains(err.Error(), canary) {
				t.Errorf("err = %q; holds the value", err)
			}
			if f.srv.Requests() != 0 {
				t.Errorf("requests = %d; want none", f.srv.Requests())
			}
		})
	}
}

func TestImportVerifiesThenSaves(t *testing.T) {
	f := setup(t)
	path := yamlFile(t, sdkYAML)
	before, _ := os.ReadFile(path)
	s, err := sdkconfig.FromFile(path, "", "")
	must(t, err)
	c, tok, err := f.m.Import(t.Context(), s, manager.ImportOptions{})
	must(t, err)
	if tok == nil || c.Verification == nil || !c.Verification.OK || c.Verification.UserManagement != "ok" {
		t.Fatalf("saved %+v; want a verification with the users check", c.Verification)
	}
	if c.Name != "acme-beta" || c.ZPACustomerID != "216196257331281920" || c.PartnerID != "partner-7" {
		t.Errorf("saved %+v; want acme-beta with the IDs", c)
	}
	if got, _ := f.mem.Peek(c.ID); got != canary {
		t.Error("the backend does not hold the secret")
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Error("Import changed the file")
	}
	// A second import of the same setup gets a name of its own.
	c2, _, err := f.m.Import(t.Context(), s, manager.ImportOptions{})
	must(t, err)
	if c2.Name != "acme-beta-2" {
		t.Errorf("second import named %q; want acme-beta-2", c2.Name)
	}
	// A name given is kept, and refused when taken.
	_, _, err = f.m.Import(t.Context(), s, manager.ImportOptions{Name: "ACME-BETA"})
	var taken *store.NameTakenError
	if !errors.As(err, &taken) {
		t.Errorf("err = %v; want a *store.NameTakenError", err)
	}
}

// TestImportFailureSavesNothing: a setup whose credentials fail saves
// nothing and leaves the file as it was.
func TestImportFailureSavesNothing(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f fixture)
		opts  manager.ImportOptions
		check func(t *testing.T, err error)
	}{
		{"rejected", func(f fixture) { f.srv.SetClientFailure("cid", zidentitytest.Reject) }, manager.ImportOptions{}, func(t *testing.T, err error) {
			if zidentity.CategoryOf(err) != zidentity.Rejected {
				t.Errorf("err = %v; want a rejection", err)
			}
		}},
		{"keychain fails", func(f fixture) { f.mem.Fail("set", errors.New("locked")) }, manager.ImportOptions{}, func(t *testing.T, err error) {
			if err == nil {
				t.Error("err = nil; want the keychain's failure")
			}
		}},
		{"name taken", func(f fixture) {
			_, _, _ = f.m.Add(t.Context(), draft("taken"), canary, false)
		}, manager.ImportOptions{Name: "taken"}, func(t *testing.T, err error) {
			var taken *store.NameTakenError
			if !errors.As(err, &taken) {
				t.Errorf("err = %v; want a *store.NameTakenError", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			tt.setup(f)
			conns, _ := f.m.Store.List()
			secrets := f.mem.Len()
			path := yamlFile(t, sdkYAML)
			s, err := sdkconfig.FromFile(path, "", "")
			must(t, err)
			_, _, err = f.m.Import(t.Context(), s, tt.opts)
			tt.check(t, err)
			if after, _ := f.m.Store.List(); len(after) != len(conns) || f.mem.Len() != secrets {
				t.Errorf("%d connections and %d secrets after; want %d and %d", len(after), f.mem.Len(), len(conns), secrets)
			}
			if b, _ := os.ReadFile(path); string(b) != sdkYAML {
				t.Error("the file changed")
			}
		})
	}
}

// TestImportUnknownCloud: a cloud zconn does not know is refused before
// anything is sent, unless confirmed.
func TestImportUnknownCloud(t *testing.T) {
	f := setup(t)
	s := envSetup(t, map[string]string{"ZSCALER_CLIENT_ID": "cid", "ZSCALER_CLIENT_SECRET": canary, "ZSCALER_VANITY_DOMAIN": "acme", "ZSCALER_CLOUD": "alpha"})
	_, _, err := f.m.Import(t.Context(), s, manager.ImportOptions{})
	var unconfirmed *manager.UnconfirmedCloudError
	if !errors.As(err, &unconfirmed) || f.srv.Requests() != 0 {
		t.Fatalf("err = %v after %d requests; want an *UnconfirmedCloudError and none", err, f.srv.Requests())
	}
	c, _, err := f.m.Import(t.Context(), s, manager.ImportOptions{AllowUnknownCloud: true})
	must(t, err)
	if !c.AllowUnknownCloud || c.Name != "acme-alpha" {
		t.Errorf("saved %q with confirmation %v; want acme-alpha, confirmed", c.Name, c.AllowUnknownCloud)
	}
}

// TestImportPrivateKey imports a key written in the file and one the
// file names: both are kept compactly, and the key file is never changed.
func TestImportPrivateKey(t *testing.T) {
	f, key := keyFixture(t)
	rk := zidentitytest.Key(t, "manager", 2048)
	pemText := string(zidentitytest.PKCS8(rk))
	keyPath := filepath.Join(t.TempDir(), "key.pem")
	must(t, os.WriteFile(keyPath, []byte(pemText), 0o600))
	indented := "      " + strings.ReplaceAll(strings.TrimSpace(pemText), "\n", "\n      ")
	inline := yamlFile(t, "zscaler:\n  client:\n    clientId: kid\n    vanityDomain: acme\n    privateKey: |\n"+indented+"\n")
	named := yamlFile(t, "zscaler:\n  client:\n    clientId: kid\n    vanityDomain: acme\n    privateKey: "+keyPath+"\n")
	for _, path := range []string{inline, named} {
		s, err := sdkconfig.FromFile(path, "", "")
		must(t, err)
		c, _, err := f.m.Import(t.Context(), s, manager.ImportOptions{})
		must(t, err)
		if got, _ := f.mem.Peek(c.ID); got != key.Encode() || c.AuthMethod != store.AuthPrivateKey {
			t.Errorf("%s: backend holds %d bytes, method %q; want the compact key", path, len(got), c.AuthMethod)
		}
		err = f.m.RemovePlaintext(t.Context(), s, c)
		switch path {
		case inline:
			must(t, err)
			b, _ := os.ReadFile(inline)
			if strings.Contains(string(b), "PRIVATE KEY") || strings.Contains(string(b), strings.Split(pemText, "\n")[2]) {
				t.Errorf("the file still holds the key:\n%s", b)
			}
		case named:
			if !errors.Is(err, sdkconfig.ErrNoPlaintext) {
				t.Errorf("err = %v; want ErrNoPlaintext: a key file is never changed", err)
			}
		}
	}
	if b, _ := os.ReadFile(keyPath); string(b) != pemText {
		t.Error("the key file changed")
	}
}

// TestRemovePlaintext takes the secret out of the file, keeping the rest,
// the comments and the mode, and leaving no copy in the folder.
func TestRemovePlaintext(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	f := setup(t)
	path := yamlFile(t, sdkYAML)
	s, err := sdkconfig.FromFile(path, "", "")
	must(t, err)
	c, _, err := f.m.Import(t.Context(), s, manager.ImportOptions{})
	must(t, err)
	must(t, f.m.RemovePlaintext(t.Context(), s, c))
	b, _ := os.ReadFile(path)
	for _, keep := range []string{"# Zscaler SDK settings", "clientId: cid", "vanityDomain: acme", "cloud: beta", `customerId: "216196257331281920"`, "requestTimeout: 30 # seconds"} {
		if !strings.Contains(string(b), keep) {
			t.Errorf("the file lost %q:\n%s", keep, b)
		}
	}
	if strings.Contains(string(b), "clientSecret") {
		t.Errorf("the file still holds clientSecret:\n%s", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v; want 0640 kept", fi.Mode().Perm())
	}
	assertNoCanaryIn(t, filepath.Dir(path))
	assertNoCanaryIn(t, f.m.Store.Dir())
	// A second removal finds the file changed since it was read.
	if err := f.m.RemovePlaintext(t.Context(), s, c); !errors.Is(err, sdkconfig.ErrChanged) {
		t.Errorf("second removal: err = %v; want ErrChanged", err)
	}
}

// TestRemovePlaintextRefusals: the file keeps its secret unless the
// connection proves zconn holds it.
func TestRemovePlaintextRefusals(t *testing.T) {
	tests := []struct {
		name   string
		conn   func(t *testing.T, f fixture, s *sdkconfig.Setup) store.Connection
		target error
	}{
		{"unverified", func(t *testing.T, f fixture, s *sdkconfig.Setup) store.Connection {
			c, secret, err := f.m.ImportDraft(s, manager.ImportOptions{})
			must(t, err)
			c, _, err = f.m.Add(t.Context(), c, secret, false)
			must(t, err)
			return c
		}, manager.ErrNotImported},
		{"another secret kept", func(t *testing.T, f fixture, s *sdkconfig.Setup) store.Connection {
			c, _, err := f.m.Import(t.Context(), s, manager.ImportOptions{})
			must(t, err)
			must(t, f.m.Store.ReplaceSecret(t.Context(), c.ID, "another"))
			return c
		}, manager.ErrNotImported},
		{"secret gone", func(t *testing.T, f fixture, s *sdkconfig.Setup) store.Connection {
			c, _, err := f.m.Import(t.Context(), s, manager.ImportOptions{})
			must(t, err)
			f.mem.Remove(c.ID)
			return c
		}, store.ErrSecretNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			path := yamlFile(t, sdkYAML)
			s, err := sdkconfig.FromFile(path, "", "")
			must(t, err)
			c := tt.conn(t, f, s)
			err = f.m.RemovePlaintext(t.Context(), s, c)
			if !errors.Is(err, tt.target) {
				t.Errorf("err = %v; want %v", err, tt.target)
			}
			if err != nil && strings.Contains(err.Error(), canary) {
				t.Errorf("err = %q; holds the secret", err)
			}
			if b, _ := os.ReadFile(path); string(b) != sdkYAML {
				t.Error("the file changed")
			}
		})
	}
	t.Run("environment", func(t *testing.T) {
		f := setup(t)
		s := envSetup(t, map[string]string{"ZSCALER_CLIENT_ID": "cid", "ZSCALER_CLIENT_SECRET": canary, "ZSCALER_VANITY_DOMAIN": "acme"})
		c, _, err := f.m.Import(t.Context(), s, manager.ImportOptions{})
		must(t, err)
		if err := f.m.RemovePlaintext(t.Context(), s, c); !errors.Is(err, sdkconfig.ErrNoPlaintext) {
			t.Errorf("err = %v; want ErrNoPlaintext", err)
		}
	})
}

// assertNoCanaryIn fails when any file under dir holds the canary.
func assertNoCanaryIn(t *testing.T, dir string) {
	t.Helper()
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
