package cli_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zconn/zconn/cli"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/tui"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// canary is every test's client secret: it must appear only where a command
// is meant to print it.
const canary = "zconn-canary-S3cr3t-7f1d"

// clientID is the API client the fake ZIdentity knows, with canary.
const clientID = "cid-0oa1b2c3"

// ttyFD is the file descriptor the fake terminal reports.
const ttyFD = 42

// ttyOutFD is the file descriptor of standard output when it is the fake
// terminal.
const ttyOutFD = 43

// harness runs zconn's commands against the fake ZIdentity, an in-memory
// keychain and a temporary config folder.
type harness struct {
	t   testing.TB
	srv *zidentitytest.Server
	mem *storetest.Memory
	dir string
	env map[string]string
	now func() time.Time
	// cwd is the working folder zconn is given.
	cwd string

	// tty makes standard input a terminal, answered by password for
	// secrets and by the stdin text for questions.
	tty      bool
	password string
	// pasted is what is pasted at the terminal when a private key is asked
	// for.
	pasted string
	// width, when positive, makes standard output a terminal that many
	// columns wide.
	width int

	opened atomic.Int32 // how often the secrets backend was opened
	// keychain, when set, replaces the in-memory keychain.
	keychain store.Secrets
	// anyHost sends requests for every host to the fake ZIdentity, for
	// tests that leave ZCONN_ZIDENTITY_URL unset.
	anyHost bool

	mu      sync.Mutex
	tuiRuns []tui.Options
	signals chan chan<- os.Signal
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	srv := zidentitytest.New(t)
	srv.AddClient(zidentitytest.Client{ID: clientID, Secret: canary})
	dir := filepath.Join(t.TempDir(), "zconn")
	return &harness{
		t:   t,
		srv: srv,
		mem: storetest.NewMemory(),
		dir: dir,
		env: map[string]string{
			"ZCONN_CONFIG_DIR":    dir,
			"ZCONN_ZIDENTITY_URL": srv.URL,
			"PATH":                os.Getenv("PATH"),
			"HOME":                t.TempDir(),
		},
		now:     time.Now,
		cwd:     t.TempDir(),
		signals: make(chan chan<- os.Signal, 4),
	}
}

// result is what one run of zconn left.
type result struct {
	code           int
	stdout, stderr string
}

// ttyReader is standard input that says it is a terminal.
type ttyReader struct{ io.Reader }

func (ttyReader) Fd() uintptr { return ttyFD }

// ttyWriter is standard output that says it is a terminal.
type ttyWriter struct{ io.Writer }

func (ttyWriter) Fd() uintptr { return ttyOutFD }

func (h *harness) options(stdin io.Reader, stdout, stderr io.Writer, args ...string) cli.System {
	if h.tty {
		stdin = ttyReader{stdin}
	}
	if h.width > 0 {
		stdout = ttyWriter{stdout}
	}
	hc := h.srv.HTTPClient()
	if h.anyHost {
		hc = h.srv.HTTPClientAnyHost()
	}
	return cli.System{
		Args:   args,
		Stdin:  stdin,
		Stdout: stdout,
		Stderr: stderr,
		Getenv: func(k string) string { return h.env[k] },
		Environ: func() []string {
			var out []string
			for k, v := range h.env {
				out = append(out, k+"="+v)
			}
			slices.Sort(out)
			return out
		},
		Now:        func() time.Time { return h.now() },
		Getwd:      func() (string, error) { return h.cwd, nil },
		HTTPClient: hc,
		// A light scrypt keeps vault tests fast; the format is the same.
		VaultWorkFactor: 10,
		Secrets: func(context.Context) (store.Secrets, error) {
			h.opened.Add(1)
			if h.keychain != nil {
				return h.keychain, nil
			}
			return h.mem, nil
		},
		IsTerminal:   func(fd uintptr) bool { return fd == ttyFD || (fd == ttyOutFD && h.width > 0) },
		TerminalSize: func(uintptr) (int, int, error) { return h.width, 24, nil },
		EchoOff:      func(uintptr) (func(), error) { return func() {}, nil },
		ReadPassword: func(uintptr) ([]byte, error) { return []byte(h.password), nil },
		ReadKey:      func(uintptr) ([]byte, error) { return []byte(h.pasted), nil },
		RunTUI: func(_ context.Context, o tui.Options) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.tuiRuns = append(h.tuiRuns, o)
			return nil
		},
		Signals: func(c chan<- os.Signal, _ ...os.Signal) func() {
			select {
			case h.signals <- c:
			default:
			}
			return func() {}
		},
		BuildInfo: func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
				{Key: "vcs.revision", Value: "4f2a9c1d0e3b5a6978877665544332211aabbccd"},
				{Key: "vcs.time", Value: "2026-11-28T12:00:00Z"},
			}}, true
		},
	}
}

// run runs zconn with stdin and args.
func (h *harness) run(stdin string, args ...string) result {
	h.t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Execute(context.Background(), h.options(strings.NewReader(stdin), &stdout, &stderr, args...))
	return result{code, stdout.String(), stderr.String()}
}

// store opens the harness's store, as another zconn would.
func (h *harness) store() *store.Store {
	s := store.New(h.dir, h.mem)
	return s
}

// seed saves a connection with a secret straight into the store.
func (h *harness) seed(c store.Connection, secret string) store.Connection {
	h.t.Helper()
	if c.ClientID == "" {
		c.ClientID = clientID
	}
	if c.Vanity == "" {
		c.Vanity = "acme"
	}
	saved, err := h.store().Create(context.Background(), c, secret)
	if err != nil {
		h.t.Fatalf("seeding %s: %v", c.Name, err)
	}
	return saved
}

// find reads a connection back from the store.
func (h *harness) find(name string) (store.Connection, error) {
	return h.store().Find(name)
}

// metadata returns the metadata file's text.
func (h *harness) metadata() string {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, store.FileName))
	if err != nil && !os.IsNotExist(err) {
		h.t.Fatal(err)
	}
	return string(b)
}

// want checks the exit code and that stderr holds exactly the lines that
// contain each of errs, in order ("" for no error at all).
func (r result) want(t testing.TB, code int, errs ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d; want %d (stdout %q, stderr %q)", r.code, code, r.stdout, r.stderr)
	}
	lines := nonEmptyLines(r.stderr)
	if len(lines) != len(errs) {
		t.Errorf("stderr has %d lines %q; want %d", len(lines), r.stderr, len(errs))
		return
	}
	for i, want := range errs {
		if !strings.Contains(lines[i], want) {
			t.Errorf("stderr line %q; want it to contain %q", lines[i], want)
		}
	}
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// executeCLI runs zconn with prepared options.
func executeCLI(o cli.System) int { return cli.Execute(context.Background(), o) }
