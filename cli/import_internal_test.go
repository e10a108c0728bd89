package cli

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
)

// TestDoctorUsersCheckHosts: without ZCONN_API_URL or ZCONN_ZIDENTITY_URL,
// doctor names the API host of each connection's users check, and checks
// each host once.
func TestDoctorUsersCheckHosts(t *testing.T) {
	var out bytes.Buffer
	f := testFactory(t, &out)
	conns := []store.Connection{
		{Name: "prod", Vanity: "acme"},
		{Name: "lab", Vanity: "acme", Cloud: "beta"},
		{Name: "other one", Vanity: "other"},
		{Name: "fed", Vanity: "acme", Cloud: "gov"},
	}
	r := &report{w: &out}
	targets := f.usersTargets(r, conns, "", []*url.URL{{Scheme: "https", Host: "acme.zslogin.net"}})
	var hosts []string
	for _, u := range targets {
		hosts = append(hosts, u.Host)
	}
	if want := []string{"acme.zslogin.net", "api.zsapi.net", "api.beta.zsapi.net", "api.zscalergov.net"}; !slices.Equal(hosts, want) {
		t.Errorf("hosts %q; want %q", hosts, want)
	}
	want := "note the users check of prod, 'other one' goes to api.zsapi.net\n" +
		"note the users check of lab goes to api.beta.zsapi.net\n" +
		"note the users check of fed goes to api.zscalergov.net\n"
	if out.String() != want || r.failed != 0 {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestImportResolvesItsFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want importOptions
		err  string
	}{
		{"discover", nil, importOptions{timeout: 15 * time.Second}, ""},
		{"environment", []string{"--from-env", "--name", " prod ", "--skip-users-check"}, importOptions{fromEnv: true, name: "prod", skipUsers: true, timeout: 15 * time.Second}, ""},
		{"file", []string{"--file", "z.yaml", "--remove-plaintext", "--allow-unknown-cloud", "--timeout", "3s"}, importOptions{file: "z.yaml", removePlaintext: true, allowUnknownCloud: true, timeout: 3 * time.Second}, ""},
		{"both sources", []string{"--from-env", "--file", "z.yaml"}, importOptions{}, "give --from-env or --file, not both"},
		{"empty file", []string{"--file", " "}, importOptions{}, "--file is empty"},
		{"nothing to remove from", []string{"--from-env", "--remove-plaintext"}, importOptions{}, "--remove-plaintext rewrites a YAML file, and --from-env reads none"},
		{"bad name", []string{"--name", "-x"}, importOptions{}, `--name: the name starts with "-"`},
		{"empty name", []string{"--name", ""}, importOptions{}, "--name: enter a name"},
		{"bad timeout", []string{"--timeout", "0s"}, importOptions{}, "--timeout"},
		{"arguments", []string{"prod"}, importOptions{}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(t, newCmdImport, tt.args...)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || exitCode(err) != exitUsage {
					t.Fatalf("err = %v (exit %d); want %q, a usage error", err, exitCode(err), tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.f = nil
			if *got != tt.want {
				t.Errorf("got %+v; want %+v", *got, tt.want)
			}
		})
	}
}
