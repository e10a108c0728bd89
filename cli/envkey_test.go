package cli_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// zpaIDs are the optional IDs the tests give a connection.
const (
	customerID    = "216196257331281920"
	microtenantID = "216196257331281921"
	partnerID     = "partner-7"
)

// seedKeyWithIDs saves a private-key connection named keyed, from a PKCS#1
// key, with every optional ID, and returns the PKCS#8 PEM that env and
// exec export.
func seedKeyWithIDs(h *harness, cloud string) string {
	h.t.Helper()
	rk := h.keyClient(2048)
	h.seed(store.Connection{Name: "keyed", ClientID: keyClientID, Cloud: cloud, AuthMethod: store.AuthPrivateKey,
		ZPACustomerID: customerID, ZPAMicrotenantID: microtenantID, PartnerID: partnerID}, wrapped(h.t, rk).Encode())
	return string(zidentitytest.PKCS8(rk))
}

// TestEnvKeyStatements checks env's statements for a private-key
// connection with the ZPA and partner IDs: the key as PKCS#8 PEM in
// ZSCALER_PRIVATE_KEY, ZSCALER_CLIENT_SECRET unset, each ZPA ID under
// both names.
func TestEnvKeyStatements(t *testing.T) {
	h := newHarness(t)
	pemText := seedKeyWithIDs(h, "")
	if !strings.HasPrefix(pemText, "-----BEGIN PRIVATE KEY-----\n") {
		t.Fatal("the exported form is not PKCS#8")
	}
	ps := "'" + strings.ReplaceAll(strings.TrimSuffix(pemText, "\n"), "\n", "' + \"`n\" + '") + "' + \"`n\" + ''"
	tests := map[string][]string{
		"sh": {"export ZSCALER_CLIENT_ID='" + keyClientID + "'", "unset ZSCALER_CLIENT_SECRET", "export ZSCALER_PRIVATE_KEY='" + pemText + "'", "export ZSCALER_VANITY_DOMAIN='acme'", "unset ZSCALER_CLOUD",
			"export ZPA_CUSTOMER_ID='" + customerID + "'", "export ZSCALER_CUSTOMER_ID='" + customerID + "'",
			"export ZPA_MICROTENANT_ID='" + microtenantID + "'", "export ZSCALER_MICROTENANT_ID='" + microtenantID + "'",
			"export ZSCALER_PARTNER_ID='" + partnerID + "'", "unset ZCONN_SECRET_EXPIRES"},
		"fish": {"set -gx ZSCALER_CLIENT_ID '" + keyClientID + "'", "set -e ZSCALER_CLIENT_SECRET; or true", "set -gx ZSCALER_PRIVATE_KEY '" + pemText + "'", "set -gx ZSCALER_VANITY_DOMAIN 'acme'", "set -e ZSCALER_CLOUD; or true",
			"set -gx ZPA_CUSTOMER_ID '" + customerID + "'", "set -gx ZSCALER_CUSTOMER_ID '" + customerID + "'",
			"set -gx ZPA_MICROTENANT_ID '" + microtenantID + "'", "set -gx ZSCALER_MICROTENANT_ID '" + microtenantID + "'",
			"set -gx ZSCALER_PARTNER_ID '" + partnerID + "'", "set -e ZCONN_SECRET_EXPIRES; or true"},
		"powershell": {"$env:ZSCALER_CLIENT_ID = '" + keyClientID + "'", "Remove-Item Env:ZSCALER_CLIENT_SECRET -ErrorAction SilentlyContinue", "$env:ZSCALER_PRIVATE_KEY = " + ps, "$env:ZSCALER_VANITY_DOMAIN = 'acme'", "Remove-Item Env:ZSCALER_CLOUD -ErrorAction SilentlyContinue",
			"$env:ZPA_CUSTOMER_ID = '" + customerID + "'", "$env:ZSCALER_CUSTOMER_ID = '" + customerID + "'",
			"$env:ZPA_MICROTENANT_ID = '" + microtenantID + "'", "$env:ZSCALER_MICROTENANT_ID = '" + microtenantID + "'",
			"$env:ZSCALER_PARTNER_ID = '" + partnerID + "'", "Remove-Item Env:ZCONN_SECRET_EXPIRES -ErrorAction SilentlyContinue"},
	}
	for shell, want := range tests {
		t.Run(shell, func(t *testing.T) {
			r := h.run("", "env", "keyed", "--shell", shell)
			r.want(t, 0)
			if got, want := r.stdout, strings.Join(want, "\n")+"\n"; got != want {
				t.Errorf("got\n%s\nwant\n%s", hideKey(got, pemText), hideKey(want, pemText))
			}
			for _, set := range []string{"export ZSCALER_CLIENT_SECRET", "set -gx ZSCALER_CLIENT_SECRET", "$env:ZSCALER_CLIENT_SECRET"} {
				if strings.Contains(r.stdout, set) {
					t.Error("a private-key connection exports ZSCALER_CLIENT_SECRET")
				}
			}
		})
	}
}

// TestEnvKeyInRealShells feeds env's output for a private-key connection
// to each shell installed and reads every variable back: the PEM's line
// ends survive the quoting.
func TestEnvKeyInRealShells(t *testing.T) {
	const shPrint = `. "$1"; printf '%s|%s|%s|%s|%s|%s|%s|%s' "$ZSCALER_PRIVATE_KEY" "${ZSCALER_CLIENT_SECRET-unset}" "$ZPA_CUSTOMER_ID" "$ZSCALER_CUSTOMER_ID" "$ZPA_MICROTENANT_ID" "$ZSCALER_MICROTENANT_ID" "$ZSCALER_PARTNER_ID" "${ZSCALER_CLOUD-unset}"`
	shells := []struct {
		name, bin string
		argv      []string
	}{
		{"sh", "sh", []string{"-c", shPrint, "sh"}},
		{"sh", "bash", []string{"-c", shPrint, "bash"}},
		{"sh", "dash", []string{"-c", shPrint, "dash"}},
		{"fish", "fish", []string{"--no-config", "-c", `source $argv[1]; printf '%s|' "$ZSCALER_PRIVATE_KEY"; set -q ZSCALER_CLIENT_SECRET; and printf '%s|' "$ZSCALER_CLIENT_SECRET"; or printf 'unset|'; printf '%s|%s|%s|%s|%s|%s' "$ZPA_CUSTOMER_ID" "$ZSCALER_CUSTOMER_ID" "$ZPA_MICROTENANT_ID" "$ZSCALER_MICROTENANT_ID" "$ZSCALER_PARTNER_ID" "$ZSCALER_CLOUD"`}},
	}
	for _, sh := range shells {
		t.Run(sh.bin, func(t *testing.T) {
			bin, err := exec.LookPath(sh.bin)
			if err != nil {
				t.Skipf("%s is not installed", sh.bin)
			}
			h := newHarness(t)
			pemText := seedKeyWithIDs(h, "beta")
			r := h.run("", "env", "keyed", "--shell", sh.name)
			r.want(t, 0)
			script := filepath.Join(t.TempDir(), "env")
			if err := os.WriteFile(script, []byte(r.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin, append(sh.argv, script)...)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s failed on env's output: %v", sh.bin, err)
			}
			want := strings.Join([]string{pemText, "unset", customerID, customerID, microtenantID, microtenantID, partnerID, "beta"}, "|")
			if string(out) != want {
				t.Errorf("%s read back\n%q\nwant\n%q", sh.bin, hideKey(string(out), pemText), hideKey(want, pemText))
			}
		})
	}
}

// TestEnvPowerShellByReading reads env's PowerShell statements as
// PowerShell parses them (pwsh is not installed here): each statement is
// one line, as `| Invoke-Expression` runs each line on its own, and each
// value reads back exactly, line ends and quotes included.
func TestEnvPowerShellByReading(t *testing.T) {
	h := newHarness(t)
	pemText := seedKeyWithIDs(h, "")
	h.seed(store.Connection{Name: "nasty"}, nasty)
	for name, want := range map[string]map[string]string{
		"keyed": {"ZSCALER_CLIENT_ID": keyClientID, "ZSCALER_PRIVATE_KEY": pemText, "ZPA_CUSTOMER_ID": customerID, "ZSCALER_PARTNER_ID": partnerID},
		"nasty": {"ZSCALER_CLIENT_SECRET": nasty},
	} {
		t.Run(name, func(t *testing.T) {
			r := h.run("", "env", name, "--shell", "powershell")
			r.want(t, 0)
			got := map[string]string{}
			for _, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
				if strings.HasPrefix(line, "Remove-Item ") {
					continue
				}
				k, v, err := readPowerShellAssignment(line)
				if err != "" {
					t.Fatalf("%s: %q", err, hideKey(line, pemText))
				}
				got[k] = v
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s reads back as\n%q\nwant\n%q", k, hideKey(got[k], pemText), hideKey(v, pemText))
				}
			}
		})
	}
}

// readPowerShellAssignment reads `$env:NAME = EXPR`, where EXPR joins with
// " + " single-quoted strings and the double-quoted escapes "`n" and
// "`r", as PowerShell reads them: in a single-quoted string, any single
// quote (' or one of U+2018 to U+201B) ends it, unless another follows,
// which makes one quote. It returns a problem instead of a value when the
// line is not such a statement.
func readPowerShellAssignment(line string) (name, value, problem string) {
	rest, ok := strings.CutPrefix(line, "$env:")
	if !ok {
		return "", "", "not an assignment to $env:"
	}
	name, rest, ok = strings.Cut(rest, " = ")
	if !ok {
		return "", "", "no ' = '"
	}
	quote := func(r rune) bool { return r == '\'' || (r >= '\u2018' && r <= '\u201b') }
	var b strings.Builder
	for {
		switch {
		case strings.HasPrefix(rest, "\"`n\""):
			b.WriteByte('\n')
			rest = rest[4:]
		case strings.HasPrefix(rest, "\"`r\""):
			b.WriteByte('\r')
			rest = rest[4:]
		default:
			r, size := utf8.DecodeRuneInString(rest)
			if !quote(r) {
				return "", "", "a term that is neither a single-quoted string nor \"`n\" or \"`r\""
			}
			rest = rest[size:]
			for closed := false; !closed; {
				if rest == "" {
					return "", "", "a single-quoted string that does not end on its line"
				}
				r, size := utf8.DecodeRuneInString(rest)
				rest = rest[size:]
				if !quote(r) {
					b.WriteRune(r)
					continue
				}
				if next, nsize := utf8.DecodeRuneInString(rest); rest != "" && quote(next) {
					b.WriteRune(r)
					rest = rest[nsize:]
					continue
				}
				closed = true
			}
		}
		if rest == "" {
			return name, b.String(), ""
		}
		if rest, ok = strings.CutPrefix(rest, " + "); !ok {
			return "", "", "terms not joined by ' + '"
		}
	}
}

// TestEnvAudienceNote checks the note, on standard error, for a
// connection whose tenant refuses the audience; standard output holds the
// statements alone.
func TestEnvAudienceNote(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod", OmitAudience: true}, canary)
	note := "zconn: note: the tenant of prod refuses the audience parameter, so zconn leaves it out of token requests; SDKs and tools that always send it may fail against this tenant"
	r := h.run("", "env", "prod")
	r.want(t, 0, note)
	if !strings.HasPrefix(r.stdout, "export ZSCALER_CLIENT_ID=") || strings.Contains(r.stdout, "audience") {
		t.Errorf("stdout %q; want the statements alone", r.stdout)
	}
	requireSh(t)
	r = h.run("", "exec", "prod", "--", "true")
	r.want(t, 0, note)
	h.seed(store.Connection{Name: "plain"}, canary)
	h.run("", "env", "plain").want(t, 0)
}

// TestExecPassesTheKey runs a child with a private-key connection: it
// gets the key as PKCS#8 PEM, no client secret, the ZPA and partner IDs,
// and none of the ZPA_* variables zconn inherited.
func TestExecPassesTheKey(t *testing.T) {
	requireSh(t)
	h := newHarness(t)
	pemText := seedKeyWithIDs(h, "")
	h.env["ZSCALER_CLIENT_SECRET"] = "stale-secret"
	h.env["ZPA_CUSTOMER_ID"] = "1"
	h.env["ZPA_CLOUD"] = "stale"
	h.env["zpa_client_secret"] = "stale"
	r := h.run("", "exec", "keyed", "--", "sh", "-c",
		`printf '%s|%s|%s|%s|%s|%s|%s|%s|%s' "$ZSCALER_PRIVATE_KEY" "${ZSCALER_CLIENT_SECRET-unset}" "$ZPA_CUSTOMER_ID" "$ZSCALER_CUSTOMER_ID" "$ZPA_MICROTENANT_ID" "$ZSCALER_MICROTENANT_ID" "$ZSCALER_PARTNER_ID" "${ZPA_CLOUD-gone}" "$(env | grep -ci '^zpa_client_secret=')"`)
	r.want(t, 0)
	want := strings.Join([]string{pemText, "unset", customerID, customerID, microtenantID, microtenantID, partnerID, "gone", "0"}, "|")
	if r.stdout != want {
		t.Errorf("the child saw\n%q\nwant\n%q", hideKey(r.stdout, pemText), hideKey(want, pemText))
	}
}

// hideKey returns s with each base64 line of the PEM text replaced, so
// that a failure shows where output differs without showing the key, even
// a test's.
func hideKey(s, pemText string) string {
	for _, line := range strings.Split(pemText, "\n") {
		if line != "" && !strings.HasPrefix(line, "-----") {
			s = strings.ReplaceAll(s, line, "[key line]")
		}
	}
	return s
}

// TestEnvKeyLeavesOnlyTheConnectionsVariables evaluates env's output for a
// private-key connection in real shells over every managed variable set
// by hand: the shell then holds the key, the IDs and the rest of the
// connection's variables, and no ZSCALER_CLIENT_SECRET of another.
func TestEnvKeyLeavesOnlyTheConnectionsVariables(t *testing.T) {
	for _, sh := range evalShells {
		t.Run(sh.bin, func(t *testing.T) {
			h := newHarness(t)
			pemText := seedKeyWithIDs(h, "beta")
			r := h.run("", "env", "keyed", "--shell", sh.name)
			r.want(t, 0)
			status, vars := sh.eval(t, r.stdout)
			// env prints one line a variable; the key's other lines do
			// not start with a variable's name.
			want := []string{
				"ZPA_CUSTOMER_ID=" + customerID, "ZPA_MICROTENANT_ID=" + microtenantID,
				"ZSCALER_CLIENT_ID=" + keyClientID, "ZSCALER_CLOUD=beta", "ZSCALER_CUSTOMER_ID=" + customerID,
				"ZSCALER_MICROTENANT_ID=" + microtenantID, "ZSCALER_PARTNER_ID=" + partnerID,
				"ZSCALER_PRIVATE_KEY=-----BEGIN PRIVATE KEY-----", "ZSCALER_VANITY_DOMAIN=acme",
			}
			if status != "status=0" || strings.Join(vars, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s left %s and\n%s\nwant status=0 and\n%s", sh.bin, status, hideKey(strings.Join(vars, "\n"), pemText), strings.Join(want, "\n"))
			}
		})
	}
}

// TestEnvKeyFailureFailsTheEvaluation: when env cannot read a private-key
// connection's key, its standard output makes the evaluating shell fail
// and leaves none of the managed variables, and shows nothing of the key.
func TestEnvKeyFailureFailsTheEvaluation(t *testing.T) {
	failures := []struct {
		name  string
		setup func(h *harness, c store.Connection)
		msg   string
	}{
		{"key missing", func(h *harness, c store.Connection) { h.mem.Remove(c.ID) }, `the private key of "keyed" is missing`},
		{"key damaged", func(h *harness, c store.Connection) {
			h.mem.Remove(c.ID)
			if err := h.mem.Set(context.Background(), c.ID, "not a key"); err != nil {
				h.t.Fatal(err)
			}
		}, `private key of "keyed"`},
	}
	for _, sh := range evalShells {
		for _, tt := range failures {
			t.Run(sh.bin+" "+tt.name, func(t *testing.T) {
				h := newHarness(t)
				rk := h.keyClient(2048)
				tt.setup(h, h.seedKey(rk))
				r := h.run("", "env", "keyed", "--shell", sh.name)
				r.want(t, 1, tt.msg)
				for _, k := range keyCanaries(t, rk) {
					if strings.Contains(r.stdout+r.stderr, k) {
						t.Fatal("env's output holds the key")
					}
				}
				status, vars := sh.eval(t, r.stdout)
				if status == "status=0" || len(vars) != 0 {
					t.Errorf("%s on %q: %s, variables left %q; want a failure and none left", sh.bin, r.stdout, status, vars)
				}
			})
		}
	}
}
