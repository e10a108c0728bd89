package sdkconfig

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestFromEnv(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	keyRel := writeFile(t, dir, "keys/api.pem", canaryPEM, 0o600)
	keyHome := writeFile(t, home, "api.pem", canaryPEM, 0o600)
	notPEM := writeFile(t, dir, "notes.txt", "hello\n", 0o600)

	base := map[string]string{
		"ZSCALER_CLIENT_ID":     "0oa1b2c3d4e5f6g7h8i9",
		"ZSCALER_CLIENT_SECRET": canary,
		"ZSCALER_VANITY_DOMAIN": "acme",
	}
	with := func(changes map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range changes {
			if v == "-" {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	tests := []struct {
		name      string
		env       map[string]string
		want      fields
		variables []string
		err       error
		fragments []string
	}{
		{
			name: "every variable, client secret",
			env: with(map[string]string{
				"ZSCALER_CLOUD": "beta", "ZPA_CUSTOMER_ID": "216196257331281920",
				"ZPA_MICROTENANT_ID": "216196257331282001", "ZSCALER_PARTNER_ID": "partner-7",
			}),
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: ClientSecret, Secret: canary, Vanity: "acme",
				Cloud: "beta", Customer: "216196257331281920", Microtenant: "216196257331282001", Partner: "partner-7"},
			variables: []string{"ZSCALER_CLIENT_ID", "ZSCALER_CLIENT_SECRET", "ZSCALER_VANITY_DOMAIN", "ZSCALER_CLOUD", "ZPA_CUSTOMER_ID", "ZPA_MICROTENANT_ID", "ZSCALER_PARTNER_ID"},
		},
		{
			name: "python sdk names for the zpa ids",
			env:  with(map[string]string{"ZSCALER_CUSTOMER_ID": "123", "ZSCALER_MICROTENANT_ID": "456"}),
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: ClientSecret, Secret: canary, Vanity: "acme", Customer: "123", Microtenant: "456"},
		},
		{
			name: "both customer id names, equal",
			env:  with(map[string]string{"ZSCALER_CUSTOMER_ID": "123", "ZPA_CUSTOMER_ID": "123"}),
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: ClientSecret, Secret: canary, Vanity: "acme", Customer: "123"},
		},
		{
			name: "surrounding white space trimmed, secret kept exact",
			env:  with(map[string]string{"ZSCALER_CLIENT_ID": " 0oa1 \n", "ZSCALER_VANITY_DOMAIN": "\tacme ", "ZSCALER_CLIENT_SECRET": canary + " "}),
			want: fields{ClientID: "0oa1", Kind: ClientSecret, Secret: canary + " ", Vanity: "acme"},
		},
		{
			name: "private key pem",
			env:  with(map[string]string{"ZSCALER_CLIENT_SECRET": "-", "ZSCALER_PRIVATE_KEY": canaryPEM}),
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: PrivateKey, Secret: canaryPEM, Vanity: "acme"},
		},
		{
			name: "private key relative path read from the working directory",
			env:  with(map[string]string{"ZSCALER_CLIENT_SECRET": "-", "ZSCALER_PRIVATE_KEY": filepath.Join("keys", "api.pem")}),
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: PrivateKey, Secret: canaryPEM, KeyPath: keyRel, Vanity: "acme"},
		},
		{
			name: "private key absolute path",
			env:  with(map[string]string{"ZSCALER_CLIENT_SECRET": "-", "ZSCALER_PRIVATE_KEY": keyRel}),
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: PrivateKey, Secret: canaryPEM, KeyPath: keyRel, Vanity: "acme"},
		},
		{
			name: "private key path under home",
			env:  with(map[string]string{"ZSCALER_CLIENT_SECRET": "-", "ZSCALER_PRIVATE_KEY": "~/api.pem"}),
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: PrivateKey, Secret: canaryPEM, KeyPath: keyHome, Vanity: "acme"},
		},
		{
			name: "nothing set",
			env:  map[string]string{"HOME": "/home/a"},
			err:  ErrNotFound,
		},
		{
			name: "only the tenant set",
			env:  map[string]string{"ZSCALER_VANITY_DOMAIN": "acme", "ZSCALER_CLOUD": "beta"},
			err:  ErrNotFound,
		},
		{
			name: "empty variables count as unset",
			env:  map[string]string{"ZSCALER_CLIENT_ID": "", "ZSCALER_CLIENT_SECRET": "  "},
			err:  ErrNotFound,
		},
		{
			name:      "client id without a secret",
			env:       with(map[string]string{"ZSCALER_CLIENT_SECRET": "-"}),
			err:       ErrNoSecret,
			fragments: []string{"ZSCALER_CLIENT_SECRET or ZSCALER_PRIVATE_KEY"},
		},
		{
			name:      "secret without a client id",
			env:       with(map[string]string{"ZSCALER_CLIENT_ID": "-"}),
			err:       ErrIncomplete,
			fragments: []string{"ZSCALER_CLIENT_ID is not set"},
		},
		{
			name:      "no vanity domain",
			env:       with(map[string]string{"ZSCALER_VANITY_DOMAIN": "-"}),
			err:       ErrIncomplete,
			fragments: []string{"ZSCALER_VANITY_DOMAIN is not set"},
		},
		{
			name:      "both secret kinds",
			env:       with(map[string]string{"ZSCALER_PRIVATE_KEY": canaryPEM}),
			err:       ErrConflict,
			fragments: []string{"ZSCALER_CLIENT_SECRET and ZSCALER_PRIVATE_KEY", "unset"},
		},
		{
			name:      "customer ids differ",
			env:       with(map[string]string{"ZPA_CUSTOMER_ID": "123", "ZSCALER_CUSTOMER_ID": "124"}),
			err:       ErrConflict,
			fragments: []string{"ZPA_CUSTOMER_ID and ZSCALER_CUSTOMER_ID differ"},
		},
		{
			name:      "microtenant ids differ",
			env:       with(map[string]string{"ZPA_MICROTENANT_ID": "1", "ZSCALER_MICROTENANT_ID": "2"}),
			err:       ErrConflict,
			fragments: []string{"ZPA_MICROTENANT_ID and ZSCALER_MICROTENANT_ID differ"},
		},
		{
			name:      "json web key",
			env:       with(map[string]string{"ZSCALER_CLIENT_SECRET": "-", "ZSCALER_PRIVATE_KEY": `{"kty":"RSA","d":"` + canary + `"}`}),
			err:       ErrInvalid,
			fragments: []string{"ZSCALER_PRIVATE_KEY holds a JSON Web Key"},
		},
		{
			name:      "a secret where a key path belongs",
			env:       with(map[string]string{"ZSCALER_CLIENT_SECRET": "-", "ZSCALER_PRIVATE_KEY": canary}),
			err:       ErrInvalid,
			fragments: []string{"no key file exists", dir},
		},
		{
			name:      "key path to a file that is not pem",
			env:       with(map[string]string{"ZSCALER_CLIENT_SECRET": "-", "ZSCALER_PRIVATE_KEY": notPEM}),
			err:       ErrInvalid,
			fragments: []string{notPEM, "is not a PEM key"},
		},
		{
			name:      "several lines that are not pem",
			env:       with(map[string]string{"ZSCALER_CLIENT_SECRET": "-", "ZSCALER_PRIVATE_KEY": canary + "\n" + canary}),
			err:       ErrInvalid,
			fragments: []string{"neither a PEM key nor the path"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := FromEnv(env(tt.env), home, dir)
			checkErr(t, err, tt.err, tt.fragments...)
			if tt.err != nil {
				if s != nil {
					t.Errorf("got setup %v; want nil", s)
				}
				if where := err.(*Error).Where; where != Environment {
					t.Errorf("got where %q; want %q", where, Environment)
				}
				return
			}
			if got := fieldsOf(s); got != tt.want {
				t.Errorf("got %+v; want %+v", got, tt.want)
			}
			if !s.FromEnvironment() || s.Path != "" || s.Plaintext() {
				t.Errorf("got FromEnvironment %v, Path %q, Plaintext %v; want true, empty, false", s.FromEnvironment(), s.Path, s.Plaintext())
			}
			if tt.variables != nil && !slices.Equal(s.Variables, tt.variables) {
				t.Errorf("got variables %v; want %v", s.Variables, tt.variables)
			}
		})
	}
}

// TestFromEnvWorkingDirectory checks that FromEnv reads a relative key
// path from the working directory it is given.
func TestFromEnvWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	want := writeFile(t, dir, "api.pem", canaryPEM, 0o600)
	s, err := FromEnv(env(map[string]string{
		"ZSCALER_CLIENT_ID": "0oa1", "ZSCALER_PRIVATE_KEY": "api.pem", "ZSCALER_VANITY_DOMAIN": "acme",
	}), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := filepath.EvalSymlinks(s.KeyPath)
	wantReal, _ := filepath.EvalSymlinks(want)
	if got != wantReal || s.Secret.Reveal() != canaryPEM {
		t.Errorf("got key path %q; want %q with the key's PEM", s.KeyPath, want)
	}
}
