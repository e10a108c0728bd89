package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/cli"
	"github.com/zconn/zconn/store"
)

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"bogus"}, `unknown command "bogus": run zconn --help`},
		{"unknown flag", []string{"list", "--bogus"}, "unknown flag: --bogus: run zconn list --help for the flags"},
		{"flag without value", []string{"add", "--name"}, "flag needs an argument"},
		{"bad duration", []string{"test", "--timeout", "soon"}, `invalid argument "soon"`},
		{"zero timeout", []string{"token", "--timeout", "0s"}, "--timeout 0s is not positive"},
		{"missing name", []string{"use"}, "missing the connection's name: usage is zconn use NAME"},
		{"too many", []string{"token", "a", "b"}, "too many arguments (b)"},
		{"rename needs two", []string{"rename", "a"}, "missing the new name: usage is zconn rename OLD NEW"},
		{"test name and all", []string{"test", "prod", "--all"}, "give a NAME or --all, not both"},
		{"edit nothing", []string{"edit", "prod"}, "nothing to change"},
		{"bad shell", []string{"env", "--shell", "tcsh"}, `--shell "tcsh" is not known: use sh, fish or powershell`},
		{"new takes nothing", []string{"new", "x"}, "too many arguments"},
		// An error of cobra's own commands, which reaches fang's error handler.
		{"cobra's completion", []string{"completion", "bash", "extra"}, `unknown command "extra" for "zconn completion bash"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.run("", tt.args...).want(t, 2, "zconn: "+tt.want)
			if n := h.opened.Load(); n != 0 {
				t.Errorf("a usage error opened the keychain %d times; want 0", n)
			}
		})
	}
}

func TestEnvironmentErrors(t *testing.T) {
	tests := []struct {
		name, key, value string
		args             []string
		want             string
	}{
		{"keychain timeout", "ZCONN_KEYCHAIN_TIMEOUT", "soon", []string{"token"}, `ZCONN_KEYCHAIN_TIMEOUT="soon" is not a duration: set it to seconds or a duration such as 45s`},
		{"negative keychain timeout", "ZCONN_KEYCHAIN_TIMEOUT", "-3", []string{"env"}, "is not positive"},
		{"identity url", "ZCONN_ZIDENTITY_URL", "http://127.0.0.1:1", []string{"test"}, "ZCONN_ZIDENTITY_URL must start with https://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod"}, canary)
			h.env[tt.key] = tt.value
			var out, errOut strings.Builder
			o := h.options(strings.NewReader(""), &out, &errOut, tt.args...)
			o.Secrets = nil // the real keychain, which a bad setting must stop before it is built
			code := cli.Execute(context.Background(), o)
			result{code, out.String(), errOut.String()}.want(t, 2, tt.want)
		})
	}
}

func TestKeychainTimeout(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		// reason is what the error must say; "" for no error.
		reason string
	}{
		{"", 0, ""},
		{"45s", 45 * time.Second, ""},
		{"2m", 2 * time.Minute, ""},
		{"90", 90 * time.Second, ""},
		{" 1.5 ", 1500 * time.Millisecond, ""},
		{"1h", time.Hour, ""},
		{"3600", time.Hour, ""},
		{"0", 0, "is not positive"},
		{"-5s", 0, "is not positive"},
		{"-Inf", 0, "is not positive"},
		{"-9999999999h", 0, "is not positive"},
		{"soon", 0, "is not a duration"},
		{"NaN", 0, "is not a number"},
		{"Inf", 0, "is too large: at most 1h"},
		{"+Inf", 0, "is too large: at most 1h"},
		{"infinity", 0, "is too large: at most 1h"},
		{"1e300", 0, "is too large: at most 1h"},
		{"1e400", 0, "is too large: at most 1h"},
		{"-1e400", 0, "is not positive"},
		{"3601", 0, "is too large: at most 1h"},
		{"61m", 0, "is too large: at most 1h"},
		{"2562048h", 0, "is too large: at most 1h"},
		{"9999999999999999999s", 0, "is too large: at most 1h"},
		{"1h30m", 0, "is too large: at most 1h"},
		{"1e-12", 0, "is too short: at least 1ms"},
		{"100us", 0, "is too short: at least 1ms"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := cli.KeychainTimeout(tt.in)
			switch {
			case tt.reason == "" && (err != nil || got != tt.want):
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			case tt.reason != "" && (err == nil || !strings.Contains(err.Error(), tt.reason)):
				t.Errorf("got %v, %v; want an error that says %q", got, err, tt.reason)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	h := newHarness(t)
	r := h.run("", "--version")
	r.want(t, 0)
	if want := "zconn version v1.2.3 (revision 4f2a9c1d0e3b, 2026-11-28T12:00:00Z)\n"; r.stdout != want {
		t.Errorf("got %q; want %q", r.stdout, want)
	}
	if h.opened.Load() != 0 || h.srv.Requests() != 0 {
		t.Error("--version opened the keychain or made a request")
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"list", "exec", "doctor", "zconn new"}},
		{[]string{"add", "--help"}, []string{"no flag", "shell history", "process", "printf %s"}},
		{[]string{"edit", "--help"}, []string{"--rotate-secret", "shell history"}},
		{[]string{"exec", "--help"}, []string{"terraform plan", "ZCONN_CONNECTION"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			h := newHarness(t)
			r := h.run("", tt.args...)
			r.want(t, 0)
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("help does not mention %q:\n%s", w, r.stdout)
				}
			}
			if h.opened.Load() != 0 || h.srv.Requests() != 0 {
				t.Error("--help opened the keychain or made a request")
			}
		})
	}
}

func TestCompletionCompletesNames(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod", Description: "Production"}, canary)
	h.seed(store.Connection{Name: "preview"}, canary)
	h.seed(store.Connection{Name: "lab"}, canary)
	calls := h.mem.Calls()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "use", "pr"}, "prod\tProduction\npreview\n:4\n"},
		{[]string{"__complete", "exec", "l"}, "lab\n:0\n"},
		{[]string{"__complete", "rename", "lab", ""}, ":4\n"},
		{[]string{"__complete", "env", "--shell", ""}, "sh\nfish\npowershell\n:4\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := h.run("", tt.args...)
			if r.code != 0 || !strings.HasPrefix(r.stdout, tt.want) {
				t.Errorf("got %d %q; want 0 %q", r.code, r.stdout, tt.want)
			}
		})
	}
	if h.mem.Calls() != calls || h.opened.Load() != 0 {
		t.Errorf("completion made %d keychain calls; want none", h.mem.Calls()-calls)
	}
}

func TestTUIEntries(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		wizard bool
		access bool
	}{
		{"connections page", nil, nil, false, false},
		{"wizard", []string{"new"}, nil, true, false},
		{"accessible", []string{"new"}, map[string]string{"ZCONN_ACCESSIBLE": "1"}, true, true},
		{"dumb terminal", []string{}, map[string]string{"TERM": "dumb"}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			for k, v := range tt.env {
				h.env[k] = v
			}
			h.run("", append([]string{}, tt.args...)...).want(t, 0)
			if len(h.tuiRuns) != 1 {
				t.Fatalf("the TUI ran %d times; want 1", len(h.tuiRuns))
			}
			o := h.tuiRuns[0]
			if o.Wizard != tt.wizard || o.Accessible != tt.access {
				t.Errorf("wizard %v accessible %v; want %v %v", o.Wizard, o.Accessible, tt.wizard, tt.access)
			}
			if o.Manager == nil || o.BaseURL != h.srv.URL || o.Now == nil || o.Input == nil || o.Output == nil {
				t.Errorf("TUI options %+v lack the manager, base URL, clock or terminal", o)
			}
			// The wizard looks for plain-text credentials where import does.
			if o.Home != h.env["HOME"] || o.WorkDir != h.cwd || o.Getenv == nil || o.Getenv("ZCONN_CONFIG_DIR") != h.dir {
				t.Errorf("TUI options look in home %q, folder %q; want %q, %q and the environment", o.Home, o.WorkDir, h.env["HOME"], h.cwd)
			}
			if h.mem.Calls() != 0 || h.srv.Requests() != 0 {
				t.Error("starting the TUI touched the keychain or the network")
			}
		})
	}
}

func TestErrorsArePrintedOnce(t *testing.T) {
	h := newHarness(t)
	r := h.run("", "token", "nosuch")
	r.want(t, 1, `zconn: no such connection named "nosuch": run zconn list to see the names`)
	if r.stdout != "" {
		t.Errorf("stdout %q; want nothing", r.stdout)
	}
}
