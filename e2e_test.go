package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/zconn/zconn/internal/screentest"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

const canary = "zconn-canary-S3cr3t-7f1d"

// colourSGR matches an escape sequence that sets a foreground or
// background colour.
var colourSGR = regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m`)

// binDir is where the programs the tests run are built, once per test
// run; TestMain removes it at the end.
var binDir string

// program is a Go program the tests run, built by the first test that
// needs it, once per test run.
type program struct {
	// pkg is the package to build, name the binary's name.
	pkg, name string

	once sync.Once
	bin  string
	err  error
}

// The programs the tests build: zconn itself, and the probe that reads the
// variables as Zscaler's Go SDK does (testdata/sdkprobe).
var (
	zconnProgram = &program{pkg: ".", name: "zconn"}
	probeProgram = &program{pkg: "./testdata/sdkprobe", name: "sdkprobe"}
)

// build returns the program's binary, building it on the first call.
func (p *program) build(t *testing.T) string {
	t.Helper()
	p.once.Do(func() {
		bin := filepath.Join(binDir, p.name)
		if runtime.GOOS == "windows" {
			bin += ".exe"
		}
		if out, err := exec.Command("go", "build", "-o", bin, p.pkg).CombinedOutput(); err != nil {
			p.err = fmt.Errorf("go build %s: %w\n%s", p.pkg, err, out)
			return
		}
		p.bin = bin
	})
	if p.err != nil {
		t.Fatal(p.err)
	}
	return p.bin
}

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "zconn-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	return m.Run()
}

// buildZconn returns the zconn binary, building it on the first call.
func buildZconn(t *testing.T) string {
	t.Helper()
	return zconnProgram.build(t)
}

// e2eEnv returns the environment of a zconn run against the fake
// ZIdentity: its address, its certificate, a fresh config folder, and the
// secrets backend this machine offers.
func e2eEnv(t *testing.T, srv *zidentitytest.Server, dir string) []string {
	t.Helper()
	env := []string{
		"HOME=" + dir,
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
		"ZCONN_CONFIG_DIR=" + filepath.Join(dir, "config"),
		"ZCONN_ZIDENTITY_URL=" + srv.URL,
		"SSL_CERT_FILE=" + srv.CertFile(),
	}
	if e2eKeychain() {
		// CI: the real Secret Service of the session .ci/run starts.
		return append(env, "DBUS_SESSION_BUS_ADDRESS="+os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
	}
	// Elsewhere there may be no keychain: the encrypted vault.
	return append(env, "ZCONN_SECRETS=file", "ZCONN_PASSPHRASE="+e2ePassphrase)
}

// e2ePassphrase is the passphrase of the vault of e2eEnv.
const e2ePassphrase = "e2e passphrase"

// e2eKeychain reports whether e2eEnv keeps secrets in the real Secret
// Service (CI) rather than in the encrypted vault.
func e2eKeychain() bool { return os.Getenv("ZCONN_TEST_KEYRING") == "1" }

// e2eSeed saves connections, each with the secret canary, in the config
// folder and the secrets backend of e2eEnv(t, srv, dir), as zconn add
// --no-verify would, for a test about what comes after adding. The vault
// it makes has a low scrypt work factor: a vault is read at the work
// factor it was written with, so the commands that then only read it do
// not each spend a second of scrypt unlocking it.
func e2eSeed(t *testing.T, dir string, conns ...store.Connection) {
	t.Helper()
	st := store.New(filepath.Join(dir, "config"), nil)
	if e2eKeychain() {
		st.SetSecrets(store.NewKeychain(0))
	} else {
		v := store.NewVault(st, func(context.Context, bool) (string, error) { return e2ePassphrase, nil })
		v.WorkFactor = 10
		st.SetSecrets(v)
	}
	for _, c := range conns {
		if _, err := st.Create(context.Background(), c, canary); err != nil {
			t.Fatalf("seeding %s: %v", c.Name, err)
		}
	}
}

// TestEndToEndNoDBus runs zconn where no D-Bus session exists (no
// DBUS_SESSION_BUS_ADDRESS, no dbus-launch on PATH): the TUI explains why
// the keychain cannot be used and offers the vault, and a command says how
// to choose it.
func TestEndToEndNoDBus(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: "cid-e2e", Secret: canary})
	dir := t.TempDir()
	bin := buildZconn(t)
	env := []string{
		"HOME=" + dir,
		"PATH=" + filepath.Join(dir, "empty-path"),
		"TERM=xterm-256color",
		"XDG_RUNTIME_DIR=" + filepath.Join(dir, "no-runtime"),
		"ZCONN_CONFIG_DIR=" + filepath.Join(dir, "config"),
		"ZCONN_ZIDENTITY_URL=" + srv.URL,
		"SSL_CERT_FILE=" + srv.CertFile(),
	}
	add := exec.Command(bin, "add", "--name", "cli", "--tenant", "acme", "--client-id", "cid-e2e")
	add.Env = env
	add.Stdin = strings.NewReader(canary)
	out, err := add.CombinedOutput()
	if code := add.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), "no D-Bus session bus") || !strings.Contains(string(out), "ZCONN_SECRETS=file") {
		t.Fatalf("zconn add without D-Bus: exit %d (%v), %q; want 1 and how to choose the vault", code, err, out)
	}

	cmd := exec.Command(bin)
	cmd.Env = env
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	screen := screentest.New(80, 24)
	screen.Pump(t, ptmx)
	wait := func(s string) { t.Helper(); screen.WaitFor(t, s, 30*time.Second) }
	wait("cannot be used: no D-Bus session bus")
	wait("encrypted vault")
	ptmx.WriteString("a passphrase\r")
	wait("> Again")
	ptmx.WriteString("a passphrase\r")
	wait("Secrets now go to the encrypted vault")
	ptmx.WriteString("\r")
	wait("Step 2 of 3")
	// Past the Authentication row, which stays on Secret.
	ptmx.WriteString("vaulted\t\tacme\t\tcid-e2e\t\t")
	ptmx.WriteString("\x1b[200~" + canary + "\x1b[201~")
	ptmx.WriteString("\x13") // ctrl+s
	wait("The credentials work")
	ptmx.WriteString("\r")
	wait("Created vaulted")
	ptmx.WriteString("q")
	if err := waitExit(cmd, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "config", "vault.age"))
	if err != nil || strings.Contains(string(raw), canary) {
		t.Fatalf("vault %v; want an encrypted file without the secret", err)
	}
	// The choice is remembered: a command now uses the vault.
	tok := exec.Command(bin, "token", "vaulted")
	tok.Env = append(env, "ZCONN_PASSPHRASE=a passphrase")
	if out, err := tok.Output(); err != nil || strings.Count(string(out), ".") != 2 {
		t.Fatalf("zconn token from the vault = %q, %v", out, err)
	}
}

func waitExit(cmd *exec.Cmd, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("zconn exited with %w", err)
		}
		return nil
	case <-time.After(timeout):
		cmd.Process.Kill()
		return errors.New("zconn did not quit on q")
	}
}

// TestEndToEndWizard builds zconn and drives it in a real pseudo-terminal
// through the New Connection wizard to a saved connection.
func TestEndToEndWizard(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: "cid-e2e", Secret: canary})
	dir := t.TempDir()
	env := e2eEnv(t, srv, dir)
	bin := buildZconn(t)

	cmd := exec.Command(bin)
	cmd.Env = append(env, "NO_COLOR=1")
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	screen := screentest.New(80, 24)
	screen.Pump(t, ptmx)
	wait := func(s string) { t.Helper(); screen.WaitFor(t, s, 30*time.Second) }
	send := func(s string) { t.Helper(); ptmx.WriteString(s) }

	wait("Before you begin")
	send("\r")
	wait("Step 2 of 3")
	send("e2e\t\t")
	send("\x1b[200~https://acme-admin.zslogin.net/#/home\x1b[201~")
	wait("acme.zslogin.net, sent to")
	send("\t\tcid-e2e\t\t") // past the Authentication row, which stays on Secret
	send("\x1b[200~" + canary + "\x1b[201~")
	send("\x13") // ctrl+s
	wait("The credentials work")
	send("\r")
	wait("Created e2e")
	send("q")
	if err := waitExit(cmd, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(screen.Raw(), canary) {
		t.Error("the secret reached the terminal")
	}
	if c := colourSGR.FindString(screen.Raw()); c != "" {
		t.Errorf("NO_COLOR=1, yet zconn drew colour (%q)", c)
	}
	b, err := os.ReadFile(filepath.Join(dir, "config", "connections.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), canary) {
		t.Error("the secret is in the metadata file")
	}
	var doc struct {
		Connections []struct {
			ID, Name, ClientID string
		} `json:"connections"`
	}
	json.Unmarshal(b, &doc)
	if len(doc.Connections) != 1 || doc.Connections[0].Name != "e2e" {
		t.Fatalf("saved %s; want one connection named e2e", b)
	}
	// zconn token proves the secret went to the keychain and back.
	tok := exec.Command(bin, "token", "e2e")
	tok.Env = env
	out, err := tok.Output()
	if err != nil || strings.Count(string(out), ".") != 2 {
		t.Fatalf("zconn token = %q, %v; want a JWT", out, err)
	}
	if e2eKeychain() {
		// The Secret Service outlives the test; the vault goes with dir.
		rm := exec.Command(bin, "rm", "e2e", "--yes")
		rm.Env = env
		if out, err := rm.CombinedOutput(); err != nil {
			t.Errorf("zconn rm: %v\n%s", err, out)
		}
	}
}
