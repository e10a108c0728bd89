package cli

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/zidentity"
)

// testFactory returns a factory over a fresh config folder and an
// in-memory keychain, writing to out.
func testFactory(t *testing.T, out io.Writer) *factory {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "zconn")
	env := map[string]string{"ZCONN_CONFIG_DIR": dir}
	mem := storetest.NewMemory()
	return newFactory(System{
		Args: []string{}, Stdin: strings.NewReader(""), Stdout: out, Stderr: io.Discard,
		Getenv:  func(k string) string { return env[k] },
		Environ: func() []string { return nil },
		Now:     time.Now,
		Secrets: func(context.Context) (store.Secrets, error) { return mem, nil },
	}.withDefaults())
}

// parse runs cmd with args and returns what its RunE resolved, or the error.
func parse[O any](t *testing.T, newCmd func(*factory, func(context.Context, *O) error) *cobra.Command, args ...string) (*O, error) {
	t.Helper()
	var got *O
	cmd := newCmd(testFactory(t, io.Discard), func(_ context.Context, o *O) error {
		got = o
		return nil
	})
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	return got, err
}

func TestEditResolvesWhatWasGiven(t *testing.T) {
	tests := []struct {
		name                    string
		args                    []string
		description, expiresSet bool
		expires                 store.Date
		rotate                  bool
	}{
		{"empty description clears it", []string{"prod", "--description", ""}, true, false, store.Date{}, false},
		{"expiry none clears it", []string{"prod", "--secret-expires", "none"}, false, true, store.Date{}, false},
		{"expiry date", []string{"prod", "--secret-expires", "2027-03-31"}, false, true, store.NewDate(2027, 3, 31), false},
		{"rotation only", []string{"prod", "--rotate-secret"}, false, false, store.Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(t, newCmdEdit, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			ch := got.changes
			if got.name != "prod" || (ch.Description != nil) != tt.description || (ch.SecretExpires != nil) != tt.expiresSet || got.rotate != tt.rotate {
				t.Fatalf("got %+v; want description set %v, expiry set %v, rotate %v", got, tt.description, tt.expiresSet, tt.rotate)
			}
			if ch.SecretExpires != nil && *ch.SecretExpires != tt.expires {
				t.Errorf("expiry %v; want %v", *ch.SecretExpires, tt.expires)
			}
		})
	}
	if _, err := parse(t, newCmdEdit, "prod"); err == nil || !strings.Contains(err.Error(), "nothing to change") {
		t.Errorf("edit with no change: got %v; want a usage error", err)
	}
}

func TestAddResolvesTheTenant(t *testing.T) {
	base := []string{"--name", "eu", "--client-id", "cid"}
	tests := []struct {
		name string
		args []string
		want zidentity.Tenant
	}{
		{"address names the cloud", []string{"--tenant", "https://acme-admin.zsloginbeta.net/"}, zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Beta}},
		{"typed cloud", []string{"--tenant", "acme", "--cloud", "gov"}, zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Gov}},
		{"neither", []string{"--tenant", "acme"}, zidentity.Tenant{Vanity: "acme", Cloud: zidentity.Production}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(t, newCmdAdd, append(base, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if d := got.draft; d.Vanity != tt.want.Vanity || d.Cloud != tt.want.Cloud.String() || d.Name != "eu" || !got.verify {
				t.Errorf("got %+v; want %+v, verified", got.draft, tt.want)
			}
		})
	}
	if got, _ := parse(t, newCmdAdd, append(base, "--tenant", "acme", "--no-verify")...); got == nil || got.verify {
		t.Error("--no-verify did not turn verification off")
	}
}

func TestTestResolvesItsFlags(t *testing.T) {
	got, err := parse(t, newCmdTest, "prod", "--timeout", "3s", "--json")
	if err != nil || got.name != "prod" || got.timeout != 3*time.Second || !got.asJSON || got.all {
		t.Errorf("got %+v, %v; want prod, 3s, JSON", got, err)
	}
	if _, err := parse(t, newCmdTest, "prod", "--all"); exitCode(err) != exitUsage {
		t.Errorf("a NAME and --all: got %v; want a usage error", err)
	}
}

// TestRunsWithoutCobra calls the commands' run functions directly.
func TestRunsWithoutCobra(t *testing.T) {
	var out bytes.Buffer
	f := testFactory(t, &out)
	st, err := f.store()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, name := range []string{"a", "b"} {
		if _, err := st.Create(ctx, store.Connection{Name: name, Vanity: "acme", ClientID: "cid"}, "s"); err != nil {
			t.Fatal(err)
		}
	}
	if err := useRun(ctx, &useOptions{f: f, name: "b"}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := listRun(ctx, &listOptions{f: f, asJSON: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"name":"b","description":null,"vanity_domain":"acme","cloud":"production","client_id":"cid","secret_expires":null,"default":true`) {
		t.Errorf("list after use b:\n%s\nwant b as the default", out.String())
	}
}

func TestAddResolvesTheMethodAndIDs(t *testing.T) {
	base := []string{"--name", "eu", "--client-id", "cid", "--tenant", "acme"}
	tests := []struct {
		name    string
		args    []string
		method  store.AuthMethod
		keyFile string
		ids     [3]string
	}{
		{"a secret by default", nil, store.AuthSecret, "", [3]string{}},
		{"--auth private-key", []string{"--auth", "private-key"}, store.AuthPrivateKey, "", [3]string{}},
		{"--auth private_key", []string{"--auth", "PRIVATE_KEY"}, store.AuthPrivateKey, "", [3]string{}},
		{"a key file implies a key", []string{"--private-key-file", "k.pem"}, store.AuthPrivateKey, "k.pem", [3]string{}},
		{"a key file with --auth private-key", []string{"--auth", "private-key", "--private-key-file", "k.pem"}, store.AuthPrivateKey, "k.pem", [3]string{}},
		{"the IDs", []string{"--zpa-customer-id", " 12 ", "--zpa-microtenant-id", "34", "--partner-id", "p-1"}, store.AuthSecret, "", [3]string{"12", "34", "p-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(t, newCmdAdd, append(base, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			d := got.draft
			if d.AuthMethod != tt.method || got.keyFile != tt.keyFile || [3]string{d.ZPACustomerID, d.ZPAMicrotenantID, d.PartnerID} != tt.ids {
				t.Errorf("got method %q, key file %q, IDs %q; want %q, %q, %q", d.AuthMethod, got.keyFile, [3]string{d.ZPACustomerID, d.ZPAMicrotenantID, d.PartnerID}, tt.method, tt.keyFile, tt.ids)
			}
		})
	}
}

func TestEditResolvesTheKeyAndIDs(t *testing.T) {
	tests := []struct {
		name              string
		args              []string
		rotate, rotateKey bool
		keyFile           string
		customer          *string
		partner           *string
	}{
		{"--rotate-key", []string{"--rotate-key"}, false, true, "", nil, nil},
		{"a key file implies --rotate-key", []string{"--private-key-file", "k.pem"}, false, true, "k.pem", nil, nil},
		{"an ID set", []string{"--zpa-customer-id", "12"}, false, false, "", ptr("12"), nil},
		{"none clears an ID", []string{"--partner-id", "none"}, false, false, "", nil, ptr("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(t, newCmdEdit, append([]string{"prod"}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			ch := got.changes
			if got.rotate != tt.rotate || got.rotateKey != tt.rotateKey || got.keyFile != tt.keyFile || !samePtr(ch.ZPACustomerID, tt.customer) || !samePtr(ch.PartnerID, tt.partner) || ch.ZPAMicrotenantID != nil {
				t.Errorf("got %+v; want rotate %v, rotate key %v, key file %q, customer %v, partner %v", got, tt.rotate, tt.rotateKey, tt.keyFile, tt.customer, tt.partner)
			}
		})
	}
	if _, err := parse(t, newCmdEdit, "prod", "--rotate-secret", "--private-key-file", "k.pem"); exitCode(err) != exitUsage {
		t.Errorf("--rotate-secret with a key file: got %v; want a usage error", err)
	}
}

func ptr(s string) *string { return &s }

func samePtr(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
