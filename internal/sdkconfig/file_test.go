package sdkconfig

import (
	"crypto/sha256"
	"path/filepath"
	"strings"
	"testing"
)

// indentBlock indents every line of s by n spaces, for a YAML block scalar.
func indentBlock(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return pad + strings.Join(lines, "\n"+pad) + "\n"
}

func TestFromFile(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	keyRel := writeFile(t, dir, "keys/api.pem", canaryPEM, 0o600)
	keyHome := writeFile(t, home, ".zscaler/api.pem", canaryPEM, 0o600)
	client := "zscaler:\n  client:\n"
	secretSetup := client + "    clientId: 0oa1b2c3d4e5f6g7h8i9\n    clientSecret: " + canary + "\n    vanityDomain: acme\n"
	pkcs1 := strings.Replace(strings.Replace(canaryPEM, "BEGIN PRIVATE", "BEGIN RSA PRIVATE", 1), "END PRIVATE", "END RSA PRIVATE", 1)

	tests := []struct {
		name      string
		yaml      string
		want      fields
		err       error
		fragments []string
	}{
		{
			name: "every key, client secret",
			yaml: client + `    clientId: "0oa1b2c3d4e5f6g7h8i9"
    clientSecret: "` + canary + `"
    vanityDomain: acme
    cloud: beta
    customerId: "216196257331281920"
    microtenantId: '216196257331282001'
    partnerId: partner-7
    connectionTimeout: 30
`,
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: ClientSecret, Secret: canary, Vanity: "acme",
				Cloud: "beta", Customer: "216196257331281920", Microtenant: "216196257331282001", Partner: "partner-7"},
		},
		{
			name: "customer id as an unquoted integer beyond 2^53 keeps its digits",
			yaml: secretSetup + "    customerId: 216196257331281921\n    microtenantId: 9007199254740993\n",
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: ClientSecret, Secret: canary, Vanity: "acme",
				Customer: "216196257331281921", Microtenant: "9007199254740993"},
		},
		{
			name: "customer id beyond 2^64 keeps its digits",
			yaml: secretSetup + "    customerId: 123456789012345678901234567890\n",
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: ClientSecret, Secret: canary, Vanity: "acme",
				Customer: "123456789012345678901234567890"},
		},
		{
			name: "nulls are unset and the cloud is kept as written",
			yaml: secretSetup + "    cloud: PRODUCTION\n    customerId: ~\n    partnerId: null\n    microtenantId:\n",
			want: fields{ClientID: "0oa1b2c3d4e5f6g7h8i9", Kind: ClientSecret, Secret: canary, Vanity: "acme", Cloud: "PRODUCTION"},
		},
		{
			name: "private key pem in a literal block",
			yaml: client + "    clientId: 0oa1\n    privateKey: |\n" + indentBlock(canaryPEM, 6) + "    vanityDomain: acme\n",
			want: fields{ClientID: "0oa1", Kind: PrivateKey, Secret: canaryPEM, Vanity: "acme"},
		},
		{
			name: "pkcs1 pem as the go sdk readme writes it",
			yaml: client + "    clientId: 0oa1\n    privateKey: | # THIS IS AN EXAMPLE\n" + indentBlock(pkcs1, 8) + "    vanityDomain: acme\n",
			want: fields{ClientID: "0oa1", Kind: PrivateKey, Secret: pkcs1, Vanity: "acme"},
		},
		{
			name: "private key relative path read from the working directory",
			yaml: client + "    clientId: 0oa1\n    privateKey: keys/api.pem\n    vanityDomain: acme\n",
			want: fields{ClientID: "0oa1", Kind: PrivateKey, Secret: canaryPEM, KeyPath: keyRel, Vanity: "acme"},
		},
		{
			name: "private key absolute path",
			yaml: client + "    clientId: 0oa1\n    privateKey: '" + keyRel + "'\n    vanityDomain: acme\n",
			want: fields{ClientID: "0oa1", Kind: PrivateKey, Secret: canaryPEM, KeyPath: keyRel, Vanity: "acme"},
		},
		{
			name: "private key path under home",
			yaml: client + "    clientId: 0oa1\n    privateKey: ~/.zscaler/api.pem\n    vanityDomain: acme\n",
			want: fields{ClientID: "0oa1", Kind: PrivateKey, Secret: canaryPEM, KeyPath: keyHome, Vanity: "acme"},
		},
		{
			name:      "private key path that does not exist",
			yaml:      client + "    clientId: 0oa1\n    privateKey: " + canary + "\n    vanityDomain: acme\n",
			err:       ErrInvalid,
			fragments: []string{"line 4", "zscaler.client.privateKey is not PEM text", "relative path is read from the current folder, " + dir},
		},
		{name: "json web key", yaml: client + "    clientId: 0oa1\n    privateKey: '{\"kty\":\"RSA\",\"d\":\"" + canary + "\"}'\n    vanityDomain: acme\n",
			err: ErrInvalid, fragments: []string{"JSON Web Key", "convert it to PEM"}},
		{name: "both secret kinds", yaml: secretSetup + "    privateKey: |\n" + indentBlock(canaryPEM, 6),
			err: ErrConflict, fragments: []string{"both clientSecret and privateKey"}},
		{name: "client without a secret", yaml: client + "    clientId: 0oa1\n    vanityDomain: acme\n", err: ErrNoSecret},
		{name: "empty secret counts as none", yaml: client + "    clientId: 0oa1\n    clientSecret: ''\n    vanityDomain: acme\n", err: ErrNoSecret},
		{name: "secret without a client id", yaml: client + "    clientSecret: " + canary + "\n    vanityDomain: acme\n",
			err: ErrIncomplete, fragments: []string{"zscaler.client.clientId is not set"}},
		{name: "no vanity domain", yaml: client + "    clientId: 0oa1\n    clientSecret: " + canary + "\n",
			err: ErrIncomplete, fragments: []string{"zscaler.client.vanityDomain is not set"}},
		{name: "empty file", yaml: "", err: ErrNotFound},
		{name: "only comments", yaml: "# nothing here\n", err: ErrNotFound},
		{name: "no zscaler section", yaml: "other:\n  clientSecret: x\n", err: ErrNotFound},
		{name: "zscaler without client", yaml: "zscaler:\n  testing:\n    disableHttpsCheck: false\n", err: ErrNotFound},
		{name: "empty client", yaml: "zscaler:\n  client:\n", err: ErrNotFound},
		{name: "not yaml", yaml: client + "    clientSecret: " + canary + "\n   bad: [\n", err: ErrInvalid, fragments: []string{"is not valid YAML", "line"}},
		{name: "tab indentation", yaml: "zscaler:\n\tclient:\n\t\tclientSecret: " + canary + "\n", err: ErrInvalid, fragments: []string{"is not valid YAML"}},
		{name: "top level list", yaml: "- " + canary + "\n", err: ErrInvalid, fragments: []string{"top level is not a mapping"}},
		{name: "client is a list", yaml: "zscaler:\n  client:\n    - " + canary + "\n", err: ErrInvalid, fragments: []string{"zscaler.client is not a mapping"}},
		{name: "secret is a mapping", yaml: client + "    clientSecret:\n      value: " + canary + "\n", err: ErrInvalid, fragments: []string{"line 4", "zscaler.client.clientSecret is a list or mapping"}},
		{name: "secret is a boolean", yaml: client + "    clientId: 0oa1\n    clientSecret: true\n    vanityDomain: acme\n", err: ErrInvalid, fragments: []string{"zscaler.client.clientSecret is not text"}},
		{name: "secret is a yaml 1.1 boolean", yaml: client + "    clientId: 0oa1\n    clientSecret: yes\n    vanityDomain: acme\n", err: ErrInvalid, fragments: []string{"read as a boolean by the Python SDK"}},
		{name: "quoted yes is text", yaml: client + "    clientId: 0oa1\n    clientSecret: 'yes'\n    vanityDomain: acme\n", want: fields{ClientID: "0oa1", Kind: ClientSecret, Secret: "yes", Vanity: "acme"}},
		{name: "customer id with a fraction", yaml: secretSetup + "    customerId: 2.5\n", err: ErrInvalid, fragments: []string{"zscaler.client.customerId is a number", "quotes"}},
		{name: "customer id with an exponent", yaml: secretSetup + "    customerId: 2e17\n", err: ErrInvalid, fragments: []string{"zscaler.client.customerId is a number"}},
		{name: "customer id with a leading zero", yaml: secretSetup + "    customerId: 0123\n", err: ErrInvalid, fragments: []string{"leading 0", "quotes"}},
		{name: "customer id in hexadecimal", yaml: secretSetup + "    customerId: 0x1F\n", err: ErrInvalid, fragments: []string{"another base"}},
		{name: "cloud as a boolean", yaml: secretSetup + "    cloud: true\n", err: ErrInvalid, fragments: []string{"zscaler.client.cloud is not text"}},
		{name: "secret written twice", yaml: secretSetup + "    clientSecret: other-" + canary + "\n", err: ErrConflict, fragments: []string{"line 6", "zscaler.client.clientSecret is written twice (first on line 4)"}},
		{name: "client written twice", yaml: secretSetup + "  client:\n    clientId: x\n", err: ErrConflict, fragments: []string{"zscaler.client is written twice"}},
		{name: "secret through an alias", yaml: "base: &s " + canary + "\n" + client + "    clientId: 0oa1\n    clientSecret: *s\n    vanityDomain: acme\n",
			err: ErrInvalid, fragments: []string{"zscaler.client.clientSecret is a YAML alias"}},
		{name: "client through an alias", yaml: "base: &c {clientId: a, clientSecret: " + canary + ", vanityDomain: acme}\nzscaler:\n  client: *c\n",
			err: ErrInvalid, fragments: []string{"zscaler.client is a YAML alias"}},
		{name: "merge key in client", yaml: "base: &c {clientSecret: " + canary + "}\n" + client + "    <<: *c\n    clientId: 0oa1\n    vanityDomain: acme\n",
			err: ErrInvalid, fragments: []string{"merge key"}},
		{name: "two documents", yaml: secretSetup + "---\n" + secretSetup, err: ErrInvalid, fragments: []string{"more than one YAML document"}},
		{name: "duplicate key elsewhere in the file", yaml: secretSetup + "other:\n  a: 1\n  a: 2\n", err: ErrInvalid, fragments: []string{"already defined"}},
		{name: "unknown anchor named like the secret", yaml: client + "    clientSecret: *" + canary + "\n", err: ErrInvalid, fragments: []string{"unknown anchor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "zscaler.yaml", tt.yaml, 0o600)
			s, err := FromFile(path, home, dir)
			checkErr(t, err, tt.err, tt.fragments...)
			if tt.err != nil {
				if !strings.HasPrefix(err.Error(), path) {
					t.Errorf("got %q; want it to start with the path %q", err.Error(), path)
				}
				return
			}
			if got := fieldsOf(s); got != tt.want {
				t.Errorf("got %+v; want %+v", got, tt.want)
			}
			if s.Path != path || s.FromEnvironment() {
				t.Errorf("got path %q, FromEnvironment %v; want %q, false", s.Path, s.FromEnvironment(), path)
			}
			if want := sha256.Sum256([]byte(tt.yaml)); s.Digest != want {
				t.Errorf("got digest %x; want %x", s.Digest, want)
			}
			if want := tt.want.KeyPath == ""; s.Plaintext() != want {
				t.Errorf("got Plaintext %v; want %v", s.Plaintext(), want)
			}
		})
	}
}

func TestFromFileMissing(t *testing.T) {
	tests := []struct {
		name, file, shown string
	}{
		{"plain name", "zscaler.yaml", "zscaler.yaml: does not exist"},
		{"control characters in the name", "zscaler\n\x1b]0;title\x07.yaml", "zscaler .yaml: does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromFile(filepath.Join(t.TempDir(), tt.file), "", "")
			checkErr(t, err, ErrNotFound, tt.shown, "check the path")
		})
	}
}

// TestFromFileWorkingDirectory checks that FromFile reads a relative key
// path from the working directory it is given, not the YAML's folder.
func TestFromFileWorkingDirectory(t *testing.T) {
	cwd, yamlDir := t.TempDir(), t.TempDir()
	writeFile(t, cwd, "api.pem", canaryPEM, 0o600)
	writeFile(t, yamlDir, "api.pem", "-----BEGIN PRIVATE KEY-----\nother\n-----END PRIVATE KEY-----\n", 0o600)
	path := writeFile(t, yamlDir, "zscaler.yaml", "zscaler:\n  client:\n    clientId: 0oa1\n    privateKey: api.pem\n    vanityDomain: acme\n", 0o600)
	s, err := FromFile(path, "", cwd)
	if err != nil {
		t.Fatal(err)
	}
	if s.Secret.Reveal() != canaryPEM {
		t.Errorf("got the key from %q; want the one in the working directory %q", s.KeyPath, cwd)
	}
}
