package cli_test

import (
	"bufio"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/zconn/zconn/store"
)

func requireSh(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("sh is not installed")
	}
}

func TestExecPassesTheVariables(t *testing.T) {
	requireSh(t)
	tests := []struct {
		name, cloud, want string
	}{
		{"production", "production", clientID + "|" + nasty + "|acme|unset|prod|gone|kept|none|gone|gone"},
		{"beta", "beta", clientID + "|" + nasty + "|acme|beta|prod|gone|kept|none|gone|gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod", Cloud: tt.cloud}, nasty)
			// Inherited ZSCALER_* variables must not reach the child.
			h.env["ZSCALER_CLOUD"] = "stale"
			h.env["ZSCALER_PRIVATE_KEY"] = "stale-key"
			// Nor inherited ZPA_* ones, managed or not.
			h.env["ZPA_CUSTOMER_ID"] = "stale-customer"
			h.env["zpa_other"] = "stale-other"
			h.env["OTHER"] = "kept"
			// Nor the vault's passphrase, which opens every secret.
			h.env["ZCONN_PASSPHRASE"] = "vault-passphrase"
			r := h.run("", "exec", "--", "sh", "-c",
				`printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s' "$ZSCALER_CLIENT_ID" "$ZSCALER_CLIENT_SECRET" "$ZSCALER_VANITY_DOMAIN" "${ZSCALER_CLOUD-unset}" "$ZCONN_CONNECTION" "${ZSCALER_PRIVATE_KEY-gone}" "$OTHER" "${ZCONN_PASSPHRASE-none}" "${ZPA_CUSTOMER_ID-gone}" "${zpa_other-gone}"`)
			r.want(t, 0)
			if r.stdout != tt.want {
				t.Errorf("the child saw\n%q\nwant\n%q", r.stdout, tt.want)
			}
		})
	}
}

func TestExecExitCodes(t *testing.T) {
	requireSh(t)
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		code    int
		message []string
	}{
		{"success", []string{"exec", "prod", "--", "true"}, nil, 0, nil},
		{"child's code", []string{"exec", "--", "sh", "-c", "exit 7"}, nil, 7, nil},
		{"child killed", []string{"exec", "--", "sh", "-c", "kill -KILL $$"}, nil, 128 + 9, nil},
		{"stdin and stderr pass through", []string{"exec", "--", "sh", "-c", "read x; echo \"got $x\" >&2"}, nil, 0, []string{"got line"}},
		{"not found", []string{"exec", "--", "zconn-no-such-command"}, nil, 127, []string{"zconn: cannot run zconn-no-such-command: no such command in PATH"}},
		{"no such file", []string{"exec", "--", "./nowhere/cmd"}, nil, 127, []string{"zconn: cannot run ./nowhere/cmd: no such file"}},
		{"nested", []string{"exec", "--", "true"}, map[string]string{"ZCONN_EXEC": "outer"}, 2,
			[]string{"zconn: already inside zconn exec for outer (ZCONN_EXEC is set): run the command directly, or add --force"}},
		{"nested forced", []string{"exec", "--force", "--", "sh", "-c", `test "$ZCONN_CONNECTION" = prod && test "$ZCONN_EXEC" = prod`}, map[string]string{"ZCONN_EXEC": "outer"}, 0, nil},
		// People set ZCONN_CONNECTION themselves (direnv): it selects, and
		// does not count as being inside zconn exec.
		{"ZCONN_CONNECTION set by hand", []string{"exec", "--", "sh", "-c", `test "$ZCONN_CONNECTION" = prod && test "$ZCONN_EXEC" = prod`}, map[string]string{"ZCONN_CONNECTION": "prod"}, 0, nil},
		{"no dash", []string{"exec", "prod", "true"}, nil, 2, []string{"put -- before the command"}},
		{"no command", []string{"exec", "prod", "--"}, nil, 2, []string{"give the command to run after --"}},
		{"two names", []string{"exec", "a", "b", "--", "true"}, nil, 2, []string{"give at most one connection name before --"}},
		{"unknown connection", []string{"exec", "nosuch", "--", "true"}, nil, 1, []string{`no such connection named "nosuch"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod"}, canary)
			for k, v := range tt.env {
				h.env[k] = v
			}
			h.run("line\n", tt.args...).want(t, tt.code, tt.message...)
		})
	}
}

func TestExecRelaysSignals(t *testing.T) {
	requireSh(t)
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	pr, pw := io.Pipe()
	var stderr strings.Builder
	o := h.options(strings.NewReader(""), pw, &stderr, "exec", "--", "sh", "-c",
		`trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done`)
	done := make(chan int, 1)
	go func() {
		done <- executeCLI(o)
		pw.Close()
	}()
	sigc := <-h.signals
	// Wait until the child has set its trap, then signal zconn.
	if line, err := bufio.NewReader(pr).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("child said %q, %v; want ready", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	sigc <- syscall.SIGTERM
	if code := <-done; code != 42 {
		t.Errorf("exit code %d; want the child's 42 after its TERM trap (stderr %q)", code, stderr.String())
	}
}
