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
// store.ValidateSecret lets through: no tab or other control character,
// but several lines.
const nasty = canary + ` it's "quoted" $HOME ${PATH} $(id) ` + "`id` \\ \\' '\\'' ; & | < > * ? ~ # ! %\n second line  tab ‘’‚‛ end\\"

func TestEnvStatements(t *testing.T) {
	tests := []struct {
		shell string
		cloud string
		want  string
	}{
		{"sh", "production", "export ZSCALER_CLIENT_ID='" + clientID + "'\nexport ZSCALER_CLIENT_SECRET='" + canary + "'\nexport ZSCALER_VANITY_DOMAIN='acme'\nunset ZSCALER_CLOUD\n"},
		{"sh", "beta", "export ZSCALER_CLIENT_ID='" + clientID + "'\nexport ZSCALER_CLIENT_SECRET='" + canary + "'\nexport ZSCALER_VANITY_DOMAIN='acme'\nexport ZSCALER_CLOUD='beta'\n"},
		{"fish", "production", "set -gx ZSCALER_CLIENT_ID '" + clientID + "'\nset -gx ZSCALER_CLIENT_SECRET '" + canary + "'\nset -gx ZSCALER_VANITY_DOMAIN 'acme'\nset -e ZSCALER_CLOUD; or true\n"},
		{"powershell", "production", "$env:ZSCALER_CLIENT_ID = '" + clientID + "'\n$env:ZSCALER_CLIENT_SECRET = '" + canary + "'\n$env:ZSCALER_VANITY_DOMAIN = 'acme'\nRemove-Item Env:ZSCALER_CLOUD -ErrorAction SilentlyContinue\n"},
		{"pwsh", "gov", "$env:ZSCALER_CLIENT_ID = '" + clientID + "'\n$env:ZSCALER_CLIENT_SECRET = '" + canary + "'\n$env:ZSCALER_VANITY_DOMAIN = 'acme'\n$env:ZSCALER_CLOUD = 'gov'\n"},
	}
	for _, tt := range tests {
		t.Run(tt.shell+" "+tt.cloud, func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod", Cloud: tt.cloud}, canary)
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
	if r.stdout != "" {
		t.Errorf("stdout %q; want nothing", r.stdout)
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
