package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// probeReport is what the probe printed.
type probeReport struct {
	ClientID      string `json:"client_id"`
	Auth          string `json:"auth"`
	SecretSet     bool   `json:"secret_set"`
	KeyPEMType    string `json:"key_pem_type"`
	KeyBits       int    `json:"key_bits"`
	VanityDomain  string `json:"vanity_domain"`
	Cloud         string `json:"cloud"`
	CustomerID    string `json:"customer_id"`
	MicrotenantID string `json:"microtenant_id"`
	PartnerID     string `json:"partner_id"`
	TokenURL      string `json:"token_url"`
	Status        int    `json:"status"`
	TokenType     string `json:"token_type"`
	TokenParts    int    `json:"token_parts"`
}

// TestEndToEndSDKSignsIn saves a secret connection and a private-key
// connection (from a PKCS#1 key file) with the ZPA and partner IDs, then
// runs, under zconn exec, a program that reads the variables exactly as
// the Go SDK's envconfig tags name them and signs in to the fake ZIdentity
// with them as the SDK does: the secret, or an assertion signed with the
// exported PKCS#8 key.
func TestEndToEndSDKSignsIn(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := zidentitytest.New(t)
	// The SDK's assertions carry no iat and no jti.
	srv.AcceptSDKAssertions(true)
	rk := zidentitytest.Key(t, "e2e", 2048)
	srv.AddClient(zidentitytest.Client{ID: "cid-sdk-secret", Secret: canary})
	srv.AddClient(zidentitytest.Client{ID: "cid-sdk-key", PublicKey: &rk.PublicKey})
	dir := t.TempDir()
	env := e2eEnv(t, srv, dir)
	// The probe first: other tests meanwhile build zconn.
	sdk, bin := probeProgram.build(t), buildZconn(t)
	keyFile := filepath.Join(dir, "key.pem")
	pkcs1 := zidentitytest.PKCS1(rk)
	if err := os.WriteFile(keyFile, pkcs1, 0o600); err != nil {
		t.Fatal(err)
	}
	// What must never be shown: the secret, and every line of the key in
	// either form.
	var secrets []string
	for _, p := range [][]byte{pkcs1, zidentitytest.PKCS8(rk)} {
		for _, line := range strings.Split(string(p), "\n") {
			if line != "" && !strings.HasPrefix(line, "-----") {
				secrets = append(secrets, line)
			}
		}
	}
	secrets = append(secrets, canary)
	zconn := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		for _, s := range secrets {
			if strings.Contains(string(out), s) {
				t.Fatalf("zconn %s showed a secret or key", args[0])
			}
		}
		if err != nil {
			t.Fatalf("zconn %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	ids := []string{"--zpa-customer-id", "216196257331281920", "--zpa-microtenant-id", "216196257331281921", "--partner-id", "partner-7"}
	zconn(canary, append([]string{"add", "--name", "sdk-secret", "--tenant", "acme", "--client-id", "cid-sdk-secret"}, ids...)...)
	out := zconn("", append([]string{"add", "--name", "sdk-key", "--tenant", "acme.zsloginbeta.net", "--client-id", "cid-sdk-key", "--private-key-file", keyFile}, ids...)...)
	if !strings.Contains(out, "private key (RSA 2048-bit key, SHA-256 fingerprint ") {
		t.Errorf("zconn add said %q; want the key described", out)
	}

	tests := []struct {
		name string
		want probeReport
	}{
		{"sdk-secret", probeReport{ClientID: "cid-sdk-secret", Auth: "secret", SecretSet: true, VanityDomain: "acme",
			TokenURL: "https://acme.zslogin.net/oauth2/v1/token"}},
		{"sdk-key", probeReport{ClientID: "cid-sdk-key", Auth: "private_key", KeyPEMType: "PRIVATE KEY", KeyBits: 2048, VanityDomain: "acme", Cloud: "beta",
			TokenURL: "https://acme.zsloginbeta.net/oauth2/v1/token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			want.CustomerID, want.MicrotenantID, want.PartnerID = "216196257331281920", "216196257331281921", "partner-7"
			want.Status, want.TokenType, want.TokenParts = 200, "Bearer", 3
			cmd := exec.Command(bin, "exec", tt.name, "--", sdk)
			// Stale values that must not reach the program.
			cmd.Env = append(env, "ZSCALER_CLIENT_SECRET=stale", "ZPA_CUSTOMER_ID=1", "ZSCALER_PARTNER_ID=stale")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			stdout, err := cmd.Output()
			if err != nil {
				t.Fatalf("zconn exec %s -- sdkprobe: %v\n%s", tt.name, err, stderr.String())
			}
			var got probeReport
			if err := json.Unmarshal(stdout, &got); err != nil {
				t.Fatalf("the probe printed %q: %v", stdout, err)
			}
			if got != want {
				t.Errorf("the probe read and got\n%+v\nwant\n%+v", got, want)
			}
			for _, s := range secrets {
				if strings.Contains(string(stdout)+stderr.String(), s) {
					t.Fatal("a secret or key reached the output")
				}
			}
		})
	}
	if p := srv.Problems(); len(p) > 0 {
		t.Errorf("the fake saw requests that break the protocol: %v", p)
	}
}
