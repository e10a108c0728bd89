package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
)

// nasty is a secret that breaks any careless quoting. It holds what
// store.ValidateSecret lets through: one line, no tab or other control
// character. The private key's PEM tests values of several lines.
const nasty = canary + ` it's "quoted" $HOME ${PATH} $(id) ` + "`id` \\ \\' '\\'' ; & | < > * ? ~ # ! % second line  tab ‘’‚‛ end\\"

func TestEnvStatements(t *testing.T) {
	const (
		shIDs   = "unset ZPA_CUSTOMER_ID\nunset ZSCALER_CUSTOMER_ID\nunset ZPA_MICROTENANT_ID\nunset ZSCALER_MICROTENANT_ID\nunset ZSCALER_PARTNER_ID\n"
		shZPA   = shIDs + "unset ZCONN_SECRET_EXPIRES\n"
		fishZPA = "set -e ZPA_CUSTOMER_ID; or true\nset -e ZSCALER_CUSTOMER_ID; or true\nset -e ZPA_MICROTENANT_ID; or true\nset -e ZSCALER_MICROTENANT_ID; or true\nset -e ZSCALER_PARTNER_ID; or true\nset -e ZCONN_SECRET_EXPIRES; or true\n"
		psZPA   = "Remove-Item Env:ZPA_CUSTOMER_ID -ErrorAction SilentlyContinue\nRemove-Item Env:ZSCALER_CUSTOMER_ID -ErrorAction SilentlyContinue\nRemove-Item Env:ZPA_MICROTENANT_ID -ErrorAction SilentlyContinue\nRemove-Item Env:ZSCALER_MICROTENANT_ID -ErrorAction SilentlyContinue\nRemove-Item Env:ZSCALER_PARTNER_ID -ErrorAction SilentlyContinue\nRemove-Item Env:ZCONN_SECRET_EXPIRES -ErrorAction SilentlyContinue\n"
	)
	tests := []struct {
		shell   string
		cloud   string
		expires store.Date
		want    string
	}{
		{"sh", "production", store.Date{}, "export ZSCALER_CLIENT_ID='" + clientID + "'\nexport ZSCALER_CLIENT_SECRET='" + canary + "'\nunset ZSCALER_PRIVATE_KEY\nexport ZSCALER_VANITY_DOMAIN='acme'\nunset ZSCALER_CLOUD\n" + shZPA},
		{"sh", "expires", store.NewDate(2027, 9, 30), "export ZSCALER_CLIENT_ID='" + clientID + "'\nexport ZSCALER_CLIENT_SECRET='" + canary + "'\nunset ZSCALER_PRIVATE_KEY\nexport ZSCALER_VANITY_DOMAIN='acme'\nunset ZSCALER_CLOUD\n" + shIDs + "export ZCONN_SECRET_EXPIRES='2027-09-30'\n"},
		{"sh", "beta", store.Date{}, "export ZSCALER_CLIENT_ID='" + clientID + "'\nexport ZSCALER_CLIENT_SECRET='" + canary + "'\nunset ZSCALER_PRIVATE_KEY\nexport ZSCALER_VANITY_DOMAIN='acme'\nexport ZSCALER_CLOUD='beta'\n" + shZPA},
		{"fish", "production", store.Date{}, "set -gx ZSCALER_CLIENT_ID '" + clientID + "'\nset -gx ZSCALER_CLIENT_SECRET '" + canary + "'\nset -e ZSCALER_PRIVATE_KEY; or true\nset -gx ZSCALER_VANITY_DOMAIN 'acme'\nset -e ZSCALER_CLOUD; or true\n" + fishZPA},
		{"powershell", "production", store.Date{}, "$env:ZSCALER_CLIENT_ID = '" + clientID + "'\n$env:ZSCALER_CLIENT_SECRET = '" + canary + "'\nRemove-Item Env:ZSCALER_PRIVATE_KEY -ErrorAction SilentlyContinue\n$env:ZSCALER_VANITY_DOMAIN = 'acme'\nRemove-Item Env:ZSCALER_CLOUD -ErrorAction SilentlyContinue\n" + psZPA},
		{"pwsh", "gov", store.Date{}, "$env:ZSCALER_CLIENT_ID = '" + clientID + "'\n$env:ZSCALER_CLIENT_SECRET = '" + canary + "'\nRemove-Item Env:ZSCALER_PRIVATE_KEY -ErrorAction SilentlyContinue\n$env:ZSCALER_VANITY_DOMAIN = 'acme'\n$env:ZSCALER_CLOUD = 'gov'\n" + psZPA},
	}
	for _, tt := range tests {
		t.Run(tt.shell+" "+tt.cloud, func(t *testing.T) {
			h := newHarness(t)
			cloud := tt.cloud
			if cloud == "expires" {
				cloud = ""
			}
			h.seed(store.Connection{Name: "prod", Cloud: cloud, SecretExpires: tt.expires}, canary)
			r := h.run("", "env", "--shell", tt.shell)
			r.want(t, 0)
			if r.stdout != tt.want {
				t.Errorf("got\n%s\nwant\n%s", r.stdout, tt.want)
			}
		})
	}
}

// TestEnvQuotingInRealShells feeds env's output to each shell installed and
// reads the variables back.
func TestEnvQuotingInRealShells(t *testing.T) {
	shells := []struct {
		name, bin string
		// argv runs the script file $1 and prints the secret, "|", and the
		// cloud or "unset".
		argv []string
	}{
		{"sh", "sh", []string{"-c", `. "$1"; printf '%s|%s' "$ZSCALER_CLIENT_SECRET" "${ZSCALER_CLOUD-unset}"`, "sh"}},
		{"sh", "bash", []string{"-c", `. "$1"; printf '%s|%s' "$ZSCALER_CLIENT_SECRET" "${ZSCALER_CLOUD-unset}"`, "bash"}},
		{"fish", "fish", []string{"--no-config", "-c", `source $argv[1]; printf '%s|' "$ZSCALER_CLIENT_SECRET"; set -q ZSCALER_CLOUD; and printf '%s' "$ZSCALER_CLOUD"; or printf unset`}},
		{"powershell", "pwsh", []string{"-NoProfile", "-NonInteractive", "-Command", `. $args[0]; [Console]::Out.Write($env:ZSCALER_CLIENT_SECRET + '|'); if (Test-Path Env:ZSCALER_CLOUD) { [Console]::Out.Write($env:ZSCALER_CLOUD) } else { [Console]::Out.Write('unset') }`}},
	}
	for _, sh := range shells {
		for _, cloud := range []string{"production", "beta"} {
			t.Run(sh.bin+" "+cloud, func(t *testing.T) {
				bin, err := exec.LookPath(sh.bin)
				if err != nil {
					t.Skipf("%s is not installed", sh.bin)
				}
				h := newHarness(t)
				h.seed(store.Connection{Name: "prod", Cloud: cloud}, nasty)
				r := h.run("", "env", "--shell", sh.name)
				r.want(t, 0)
				script := filepath.Join(t.TempDir(), "env")
				if sh.name == "powershell" {
					script += ".ps1"
				}
				if err := os.WriteFile(script, []byte(r.stdout), 0o600); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(bin, append(sh.argv, script)...)
				// A stale cloud in the environment must be unset for production.
				cmd.Env = append(os.Environ(), "ZSCALER_CLOUD=stale")
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("%s failed on env's output: %v", sh.bin, err)
				}
				wantCloud := map[string]string{"production": "unset", "beta": "beta"}[cloud]
				if got, want := string(out), nasty+"|"+wantCloud; got != want {
					t.Errorf("%s read back\n%q\nwant\n%q", sh.bin, got, want)
				}
			})
		}
	}
}

func TestEnvFailures(t *testing.T) {
	h := newHarness(t)
	c := h.seed(store.Connection{Name: "prod"}, canary)
	h.mem.Remove(c.ID)
	r := h.run("", "env", "prod")
	r.want(t, 1, `zconn: the secret of "prod" is missing from the memory keychain: enter it again with zconn edit prod --rotate-secret`)
	if !strings.HasSuffix(r.stdout, "\nfalse\n") || strings.Contains(r.stdout, "export") {
		t.Errorf("stdout %q; want only the statements that unset and fail", r.stdout)
	}
	if h.srv.Requests() != 0 {
		t.Errorf("env made %d requests; want none", h.srv.Requests())
	}
}

func TestEnvDefaultShellIsSh(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the default is PowerShell on Windows")
	}
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	if r := h.run("", "env"); !strings.HasPrefix(r.stdout, "export ") {
		t.Errorf("got %q; want sh statements", r.stdout)
	}
}

// managedVars are the variables env and exec manage.
var managedVars = []string{
	"ZSCALER_CLIENT_ID", "ZSCALER_CLIENT_SECRET", "ZSCALER_PRIVATE_KEY", "ZSCALER_VANITY_DOMAIN", "ZSCALER_CLOUD",
	"ZPA_CUSTOMER_ID", "ZSCALER_CUSTOMER_ID", "ZPA_MICROTENANT_ID", "ZSCALER_MICROTENANT_ID", "ZSCALER_PARTNER_ID",
	"ZCONN_SECRET_EXPIRES",
}

// shellRun runs a shell on env's output, with every managed variable set
// to "previous" beforehand, and returns the status of the evaluation and
// the ZSCALER_*, ZPA_* and ZCONN_SECRET_EXPIRES variables left, one NAME=value a line, sorted.
type shellRun struct {
	name, bin string
	argv      []string
}

var evalShells = []shellRun{
	{"sh", "sh", []string{"-c", `eval "$(cat "$1")"; st=$?; echo "status=$st"; env | grep -E '^((ZSCALER|ZPA)_|ZCONN_SECRET_EXPIRES=)' | sort`, "sh"}},
	{"sh", "bash", []string{"-c", `eval "$(cat "$1")"; st=$?; echo "status=$st"; env | grep -E '^((ZSCALER|ZPA)_|ZCONN_SECRET_EXPIRES=)' | sort`, "bash"}},
	{"fish", "fish", []string{"--no-config", "-c", `cat $argv[1] | source; set st $status; echo "status=$st"; env | grep -E '^((ZSCALER|ZPA)_|ZCONN_SECRET_EXPIRES=)' | sort`}},
}

func (s shellRun) eval(t *testing.T, script string) (status string, vars []string) {
	t.Helper()
	bin, err := exec.LookPath(s.bin)
	if err != nil {
		t.Skipf("%s is not installed", s.bin)
	}
	file := filepath.Join(t.TempDir(), "env")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append(s.argv, file)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for _, v := range managedVars {
		cmd.Env = append(cmd.Env, v+"=previous")
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", s.bin, err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	return lines[0], lines[1:]
}

// TestEnvLeavesOnlyTheConnectionsVariables evaluates env's output in real
// shells over every managed variable set by hand: the shell then holds
// the connection's variables and no other.
func TestEnvLeavesOnlyTheConnectionsVariables(t *testing.T) {
	tests := []struct {
		cloud string
		want  []string
	}{
		{"production", []string{"ZSCALER_CLIENT_ID=" + clientID, "ZSCALER_CLIENT_SECRET=" + canary, "ZSCALER_VANITY_DOMAIN=acme"}},
		{"beta", []string{"ZSCALER_CLIENT_ID=" + clientID, "ZSCALER_CLIENT_SECRET=" + canary, "ZSCALER_CLOUD=beta", "ZSCALER_VANITY_DOMAIN=acme"}},
	}
	for _, sh := range evalShells {
		for _, tt := range tests {
			t.Run(sh.bin+" "+tt.cloud, func(t *testing.T) {
				h := newHarness(t)
				h.seed(store.Connection{Name: "prod", Cloud: tt.cloud}, canary)
				r := h.run("", "env", "prod", "--shell", sh.name)
				r.want(t, 0)
				status, vars := sh.eval(t, r.stdout)
				if status != "status=0" || strings.Join(vars, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("%s left %s and\n%s\nwant status=0 and\n%s", sh.bin, status, strings.Join(vars, "\n"), strings.Join(tt.want, "\n"))
				}
			})
		}
	}
}

// TestEnvFailureFailsTheEvaluation: whatever makes env fail, its standard
// output makes the shell that evaluates it fail too, and leaves none of
// the managed variables behind, so no tool runs against the connection
// used before.
func TestEnvFailureFailsTheEvaluation(t *testing.T) {
	failures := []struct {
		name  string
		args  []string
		setup func(h *harness)
		code  int
	}{
		{"no such connection", []string{"env", "nosuch"}, nil, 1},
		{"secret missing", []string{"env", "prod"}, func(h *harness) {
			c, _ := h.find("prod")
			h.mem.Remove(c.ID)
		}, 1},
		{"keychain locked", []string{"env", "prod"}, func(h *harness) {
			h.mem.Fail("get", &store.SecretError{Op: "reading", Kind: store.KindLocked, Message: "the memory keychain is locked"})
		}, 1},
		{"too many names", []string{"env", "prod", "stage"}, nil, 2},
		{"unknown flag", []string{"env", "prod", "--nope"}, nil, 2},
	}
	for _, sh := range evalShells {
		for _, tt := range failures {
			t.Run(sh.bin+" "+tt.name, func(t *testing.T) {
				h := newHarness(t)
				h.seed(store.Connection{Name: "prod"}, canary)
				if tt.setup != nil {
					tt.setup(h)
				}
				r := h.run("", append(tt.args, "--shell", sh.name)...)
				r.want(t, tt.code, "zconn: ")
				if strings.Contains(r.stdout, canary) {
					t.Fatalf("stdout %q holds the secret", r.stdout)
				}
				status, vars := sh.eval(t, r.stdout)
				if status == "status=0" || len(vars) != 0 {
					t.Errorf("%s on %q: %s, variables left %q; want a failure and none left", sh.bin, r.stdout, status, vars)
				}
			})
		}
	}
	t.Run("unknown shell", func(t *testing.T) {
		h := newHarness(t)
		r := h.run("", "env", "--shell", "tcsh")
		r.want(t, 2, `--shell "tcsh" is not known`)
		status, _ := evalShells[0].eval(t, r.stdout)
		if status == "status=0" {
			t.Errorf("sh on %q: %s; want a failure", r.stdout, status)
		}
	})
}

// TestEnvFailureStatements pins what env writes on failure for each
// shell, PowerShell among them (which the tests cannot run): throw ends
// Invoke-Expression, and a script, with an error.
func TestEnvFailureStatements(t *testing.T) {
	tests := []struct {
		shell, first, last string
	}{
		{"sh", "unset ZSCALER_CLIENT_ID\n", "\nfalse\n"},
		{"fish", "set -e ZSCALER_CLIENT_ID; or true\n", "\nfalse\n"},
		{"powershell", "Remove-Item Env:ZSCALER_CLIENT_ID -ErrorAction SilentlyContinue\n", "\nthrow 'zconn env failed: see the error above'\n"},
	}
	for _, tt := range tests {
		t.Run(tt.shell, func(t *testing.T) {
			h := newHarness(t)
			r := h.run("", "env", "nosuch", "--shell", tt.shell)
			r.want(t, 1, "zconn: ")
			if !strings.HasPrefix(r.stdout, tt.first) || !strings.HasSuffix(r.stdout, tt.last) || strings.Count(r.stdout, "\n") != len(managedVars)+1 {
				t.Errorf("got\n%s\nwant %d lines from %q to %q", r.stdout, len(managedVars)+1, tt.first, tt.last)
			}
		})
	}
}
