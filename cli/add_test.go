package cli_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

func addArgs(extra ...string) []string {
	return append([]string{"add", "--name", "prod", "--tenant", "acme", "--client-id", clientID}, extra...)
}

func TestAdd(t *testing.T) {
	h := newHarness(t)
	r := h.run(canary+"\n", addArgs("--description", "Production", "--secret-expires", "2030-01-31")...)
	r.want(t, 0)
	for _, want := range []string{
		"Saved prod: acme.zslogin.net, client ID " + clientID + ", secret in the memory keychain (expires 2030-01-31).\n",
		"Verified: token lifetime 1 hour, products ZIAM, ZIA, user management proven.\n",
		"prod is the default connection.\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout %q; want %q", r.stdout, want)
		}
	}
	c, err := h.find("prod")
	if err != nil {
		t.Fatal(err)
	}
	if c.Description != "Production" || c.SecretExpires.String() != "2030-01-31" || c.Verification == nil || !c.Verification.OK {
		t.Errorf("saved %+v; want the description, the expiry and a successful verification", c)
	}
	if got, _ := h.mem.Peek(c.ID); got != canary {
		t.Errorf("keychain holds %q; want the secret without its trailing newline", got)
	}
	if h.srv.RequestsFor(clientID) != 1 {
		t.Errorf("token requests = %d; want 1", h.srv.RequestsFor(clientID))
	}
}

func TestAddCloud(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
		cloud string
		host  string
	}{
		{"portal address", []string{"--tenant", "https://acme-admin.zsloginbeta.net/admin"}, "beta", "acme.zsloginbeta.net"},
		{"cloud flag", []string{"--tenant", "acme", "--cloud", "gov"}, "gov", "acme.zidentitygov.net"},
		{"production", []string{"--tenant", "acme.zslogin.net", "--cloud", "production"}, "production", "acme.zslogin.net"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			args := append([]string{"add", "--name", "x", "--client-id", clientID}, tt.flags...)
			r := h.run(canary, args...)
			r.want(t, 0)
			c, _ := h.find("x")
			if c.Cloud != tt.cloud || !strings.Contains(r.stdout, tt.host) {
				t.Errorf("cloud %q, stdout %q; want %q and %s", c.Cloud, r.stdout, tt.cloud, tt.host)
			}
		})
	}
}

func TestAddFailures(t *testing.T) {
	tests := []struct {
		name    string
		stdin   string
		args    []string
		setup   func(h *harness)
		code    int
		message string
	}{
		{"rejected", "wrong-secret", addArgs(), nil, 1,
			"zconn: verifying credentials: the client ID or secret was rejected (invalid_client: Client authentication failed): copy both again from Integration > API Clients"},
		{"forbidden", canary, addArgs(), func(h *harness) { h.srv.SetFailure(zidentitytest.Forbid) }, 1, "set its status to Active"},
		{"timeout", canary, addArgs("--timeout", "50ms"), func(h *harness) { h.srv.SetDelay(time.Minute) }, 1, "no answer from 127.0.0.1"},
		{"keychain fails", canary, addArgs(), func(h *harness) {
			h.mem.Fail("set", &store.SecretError{Op: "saving", Message: "the memory keychain is locked: unlock it", Err: errors.New("locked")})
		}, 1, "saving the secret: the memory keychain is locked: unlock it"},
		{"name taken", canary, addArgs(), func(h *harness) { h.seed(store.Connection{Name: "PROD"}, canary) }, 1, `a connection named "PROD" already exists`},
		{"missing name", canary, []string{"add", "--tenant", "acme", "--client-id", "x"}, nil, 2, "--name is required"},
		{"missing tenant", canary, []string{"add", "--name", "p", "--client-id", "x"}, nil, 2, "--tenant is required"},
		{"missing client id", canary, []string{"add", "--name", "p", "--tenant", "acme"}, nil, 2, "--client-id is required"},
		{"bad expiry", canary, addArgs("--secret-expires", "31/01/2030"), nil, 2, `--secret-expires: "31/01/2030" is not a date: write it as YYYY-MM-DD`},
		{"bad tenant", canary, []string{"add", "--name", "p", "--tenant", "acme.zscaler.net", "--client-id", "x"}, nil, 2, "is a ZIA cloud, not ZIdentity"},
		{"bad cloud", canary, addArgs("--cloud", "moon-base"), nil, 2, `--cloud: unknown cloud "moon-base"`},
		{"clouds disagree", canary, []string{"add", "--name", "p", "--tenant", "acme.zsloginbeta.net", "--cloud", "gov", "--client-id", "x"}, nil, 2, "is in the beta cloud but --cloud says gov"},
		{"name like a flag", canary, []string{"add", "--name=-rf", "--tenant", "acme", "--client-id", "x"}, nil, 2, `the name starts with "-", which commands read as an option`},
		{"invisible name", canary, []string{"add", "--name", "pr\u200bod", "--tenant", "acme", "--client-id", "x"}, nil, 2, "the name holds a character that cannot be seen (U+200B)"},
		{"tab in the secret", canary + "\tmore", addArgs("--no-verify"), nil, 2, "the secret holds a tab or another control character"},
		{"blank name", canary, []string{"add", "--name", " ", "--tenant", "acme", "--client-id", "x"}, nil, 2, "enter a name for the connection"},
		{"client id with spaces", canary, []string{"add", "--name", "p", "--tenant", "acme", "--client-id", "a b"}, nil, 2, "the client ID holds spaces"},
		{"no secret", "", addArgs(), nil, 2, `no client secret on standard input: pipe it in (printf %s "$SECRET" | zconn add ...)`},
		{"only a newline", "\n", addArgs(), nil, 2, "no client secret on standard input"},
		{"secret too large", strings.Repeat("s", 64<<10+1), addArgs(), nil, 1, "standard input holds more than 64 KiB"},
		{"nul byte", "a\x00b", addArgs(), nil, 2, "the secret holds a tab or another control character"},
		{"bad timeout", canary, addArgs("--timeout", "-1s"), nil, 2, "--timeout -1s is not positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			calls := h.mem.Len()
			r := h.run(tt.stdin, tt.args...)
			r.want(t, tt.code, tt.message)
			if r.stdout != "" {
				t.Errorf("stdout %q; want nothing", r.stdout)
			}
			if h.mem.Len() != calls {
				t.Errorf("the keychain holds %d secrets; want %d: nothing saved", h.mem.Len(), calls)
			}
			if tt.code == 2 && h.srv.Requests() != 0 {
				t.Errorf("a usage error made %d requests; want 0", h.srv.Requests())
			}
		})
	}
}

func TestAddNoVerify(t *testing.T) {
	h := newHarness(t)
	r := h.run("anything", addArgs("--no-verify")...)
	r.want(t, 0)
	if !strings.Contains(r.stdout, "Not verified: run zconn test prod") {
		t.Errorf("stdout %q; want a hint to test it", r.stdout)
	}
	if h.srv.Requests() != 0 {
		t.Errorf("requests = %d; want 0", h.srv.Requests())
	}
}

func TestAddPromptsOnATerminal(t *testing.T) {
	h := newHarness(t)
	h.tty, h.password = true, canary
	r := h.run("", addArgs()...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "Client secret for acme.zslogin.net (typing is hidden): ") {
		t.Errorf("stderr %q; want the prompt", r.stderr)
	}
	c, _ := h.find("prod")
	if got, _ := h.mem.Peek(c.ID); got != canary {
		t.Errorf("saved %q; want what was typed", got)
	}
}

func TestAddPromptInterrupted(t *testing.T) {
	h := newHarness(t)
	h.tty = true
	block := make(chan struct{})
	defer close(block)
	var out, errOut strings.Builder
	o := h.options(strings.NewReader(""), &out, &errOut, addArgs()...)
	o.ReadPassword = func(uintptr) ([]byte, error) { <-block; return nil, errors.New("closed") }
	done := make(chan int, 1)
	go func() { done <- executeCLI(o) }()
	sigc := <-h.signals
	sigc <- os.Interrupt
	code := <-done
	result{code, out.String(), errOut.String()}.want(t, 130, "Client secret for", "zconn: interrupted: nothing was saved")
	if h.mem.Len() != 0 {
		t.Error("an interrupted prompt saved a secret")
	}
}

func TestAddWarnsWithoutZIAM(t *testing.T) {
	h := newHarness(t)
	h.srv.AddClient(zidentitytest.Client{ID: clientID, Secret: canary, Services: []zidentitytest.Service{{Product: "ZIA", Role: "Read Only"}}})
	r := h.run(canary, addArgs("--secret-expires", time.Now().AddDate(0, 0, 3).Format("2006-01-02"))...)
	r.want(t, 0, "warning: the token of prod grants no ZIAM scope", "warning: the secret expires in 3 days")
}

// limitedSecrets is a backend with a size limit, as the Windows Credential
// Manager has.
type limitedSecrets struct {
	*storetest.Memory
	limit int
}

func (l limitedSecrets) MaxSecretLen() int { return l.limit }

func TestSecretTooLargeForTheBackend(t *testing.T) {
	for _, args := range [][]string{addArgs(), {"edit", "old", "--rotate-secret"}} {
		t.Run(args[0], func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "old"}, "s")
			var out, errOut strings.Builder
			o := h.options(strings.NewReader(canary), &out, &errOut, args...)
			o.Secrets = func(context.Context) (store.Secrets, error) { return limitedSecrets{h.mem, 10}, nil }
			code := executeCLI(o)
			result{code, out.String(), errOut.String()}.want(t, 1, fmt.Sprintf("zconn: the secret has %d bytes but the memory keychain holds at most 10", len(canary)))
			if h.srv.Requests() != 0 {
				t.Errorf("made %d requests; want the secret refused before verifying", h.srv.Requests())
			}
		})
	}
}

// TestAddNetworkFailureOffersNoVerify checks that a failure between zconn
// and ZIdentity (not of the credentials) names --no-verify, and that a
// rejection does not.
func TestAddNetworkFailureOffersNoVerify(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		setup func(h *harness)
		offer bool
	}{
		{"service error", addArgs(), func(h *harness) { h.srv.SetFailure(zidentitytest.ServerError) }, true},
		{"rate limited", addArgs(), func(h *harness) { h.srv.SetFailure(zidentitytest.RateLimit) }, true},
		{"timeout", addArgs("--timeout", "50ms"), func(h *harness) { h.srv.SetDelay(time.Minute) }, true},
		{"cannot connect", addArgs(), func(h *harness) { h.env["ZCONN_ZIDENTITY_URL"] = "https://127.0.0.1:1" }, true},
		{"rejected", addArgs(), func(h *harness) { h.srv.SetFailure(zidentitytest.Reject) }, false},
		{"forbidden", addArgs(), func(h *harness) { h.srv.SetFailure(zidentitytest.Forbid) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.setup(h)
			r := h.run(canary, tt.args...)
			r.want(t, 1, "zconn: verifying credentials: ")
			if got := strings.Contains(r.stderr, "--no-verify"); got != tt.offer {
				t.Errorf("stderr %q names --no-verify: %v; want %v", r.stderr, got, tt.offer)
			}
			if tt.offer && !strings.Contains(r.stderr, "save it unverified with --no-verify and check it later with zconn test prod") {
				t.Errorf("stderr %q; want it to say how to verify later", r.stderr)
			}
		})
	}
}

// TestSecretRefusedAtInput: a secret ZIdentity cannot have issued is
// refused as it is read, before any token request, with what is wrong and
// never the secret itself.
func TestSecretRefusedAtInput(t *testing.T) {
	const tabOrControl = "the secret holds a tab or another control character"
	inputs := []struct {
		name, secret, want string
	}{
		{"tab", canary + "\tmore", tabOrControl},
		{"NUL", canary + "\x00more", tabOrControl},
		{"escape", canary + "\x1b]0;title\x07", tabOrControl},
		{"lone carriage return", canary + "\rmore", "the secret has more than one line"},
		{"several lines", canary + "\nline two", "the secret has more than one line"},
		{"CRLF lines", canary + "\r\nline two", "the secret has more than one line"},
		{"DEL", canary + "\x7fmore", tabOrControl},
		{"C1 control", canary + "\u009bmore", tabOrControl},
		{"invalid UTF-8", canary + "\xff\xfe", "the secret is not valid UTF-8 text"},
	}
	commands := []struct {
		name  string
		args  []string
		setup func(h *harness)
	}{
		{"add", addArgs(), nil},
		{"add --no-verify", addArgs("--no-verify"), nil},
		{"edit --rotate-secret", []string{"edit", "old", "--rotate-secret"}, func(h *harness) { h.seed(store.Connection{Name: "old"}, "kept") }},
	}
	for _, in := range inputs {
		for _, cmd := range commands {
			for _, tty := range []bool{false, true} {
				name := in.name + "/" + cmd.name
				if tty {
					name += "/typed"
				}
				t.Run(name, func(t *testing.T) {
					h := newHarness(t)
					if cmd.setup != nil {
						cmd.setup(h)
					}
					stdin := in.secret
					if tty {
						h.tty, h.password, stdin = true, in.secret, ""
					}
					before := h.mem.Len()
					r := h.run(stdin, cmd.args...)
					if r.code != 2 || !strings.Contains(r.stderr, "zconn: "+in.want) {
						t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, in.want)
					}
					if strings.Contains(r.stdout+r.stderr, canary) {
						t.Errorf("the output holds the secret: %q %q", r.stdout, r.stderr)
					}
					if h.srv.Requests() != 0 || h.mem.Len() != before {
						t.Errorf("%d token requests, %d secrets saved; want nothing sent or saved", h.srv.Requests(), h.mem.Len()-before)
					}
					if c, err := h.find("old"); err == nil {
						if s, _ := h.mem.Peek(c.ID); s != "kept" {
							t.Errorf("the old secret became %q; want it kept", s)
						}
					}
				})
			}
		}
	}
}

// TestPipedSecretRoundTrips: a secret piped in with the line ends and
// spaces that echo, a file or a paste add around it is kept without them,
// byte for byte, in either backend.
func TestPipedSecretRoundTrips(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"LF", "\n  " + canary + " \n\n", canary},
		{"CRLF", canary + "\r\n", canary},
		{"inner spaces", canary + " and  more\n", canary + " and  more"},
	}
	for _, tt := range tests {
		for _, backend := range []string{"keychain", "file"} {
			t.Run(tt.name+"/"+backend, func(t *testing.T) {
				h := newHarness(t)
				h.env["ZCONN_SECRETS"] = backend
				h.env["ZCONN_PASSPHRASE"] = "pw"
				h.run(tt.input, addArgs("--no-verify")...).want(t, 0)
				r := h.run("", "env", "prod")
				r.want(t, 0)
				script := filepath.Join(t.TempDir(), "env")
				if err := os.WriteFile(script, []byte(r.stdout), 0o600); err != nil {
					t.Fatal(err)
				}
				out, err := exec.Command("sh", "-c", `. "$1"; printf %s "$ZSCALER_CLIENT_SECRET"`, "sh", script).Output()
				if err != nil {
					t.Fatalf("sh: %v", err)
				}
				if string(out) != tt.want {
					t.Errorf("the secret came back as %q; want %q", out, tt.want)
				}
				if backend == "keychain" {
					c, _ := h.find("prod")
					if s, _ := h.mem.Peek(c.ID); s != tt.want {
						t.Errorf("the keychain holds %q; want %q", s, tt.want)
					}
				}
			})
		}
	}
}
