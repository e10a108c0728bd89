package sdkconfig

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the parser and to the rewrite. Neither
// may panic; every error is one line; a rewrite that succeeds reads back
// and holds the removed secret nowhere.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sdkExample))
	f.Add([]byte(billionLaughs()))
	f.Add([]byte("zscaler:\n  client:\n    clientId: 0oa1\n    privateKey: |\n" + indentBlock(canaryPEM, 6) + "    vanityDomain: acme\n"))
	f.Add([]byte("zscaler:\n  client: {clientId: a, clientSecret: " + canary + ", vanityDomain: b}\n"))
	f.Add([]byte("zscaler:\n  client:\n    clientSecret: &s " + canary + "\n    x: *s\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("zscaler:\r\n  client:\r\n    clientId: 1\r\n    clientSecret: '" + canary + "'\r\n    vanityDomain: acme\r\n    customerId: 216196257331281920\r\n"))
	f.Add([]byte("\ufeff--- !!map\n? zscaler\n: client:\n    <<: {clientSecret: x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		p, err := parseFile(data, "zscaler.yaml")
		if err != nil {
			oneLine(t, err)
			return
		}
		if _, err := p.setup(dir, dir); err != nil {
			oneLine(t, err)
		}
		secret := p.text(keyClientSecret)
		key := p.text(keyPrivateKey)
		out, err := stripSecret(data, "zscaler.yaml")
		if err != nil {
			oneLine(t, err)
			return
		}
		q, err := parseFile(out, "zscaler.yaml")
		if err != nil {
			t.Fatalf("rewrite of %q gives %q, which does not read back: %v", data, out, err)
		}
		if strings.TrimSpace(q.text(keyClientSecret)) != "" {
			t.Fatalf("rewrite of %q still holds clientSecret: %q", data, out)
		}
		for _, s := range []string{secret, key} {
			if w := strings.TrimSpace(s); w != "" && classifyKey(s) != keyPath && bytes.Contains(out, []byte(w)) && !strings.Contains(w, "\n") {
				t.Fatalf("rewrite of %q still holds the secret %q: %q", data, w, out)
			}
		}
	})
}

func oneLine(t *testing.T, err error) {
	t.Helper()
	if strings.ContainsAny(err.Error(), "\r\n") {
		t.Fatalf("got a message of several lines: %q", err.Error())
	}
}
