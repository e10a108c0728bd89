//go:build unix

package cli_test

import (
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/creack/pty"

	"github.com/zconn/zconn/internal/termecho"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// screen is what a pseudo-terminal shows, read from its master side.
type screen struct {
	chunks chan string
	text   strings.Builder
}

func readScreen(r io.Reader) *screen {
	s := &screen{chunks: make(chan string, 64)}
	go func() {
		defer close(s.chunks)
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				s.chunks <- string(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

// waitFor reads the screen until it shows want.
func (s *screen) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(s.text.String(), want) {
		select {
		case c, ok := <-s.chunks:
			if !ok {
				t.Fatalf("the terminal closed without showing %q", want)
			}
			s.text.WriteString(c)
		case <-deadline:
			t.Fatalf("no %q within 10s", want)
		}
	}
}

// rest reads what is left on the screen once the terminal's other side
// is closed.
func (s *screen) rest() string {
	for c := range s.chunks {
		s.text.WriteString(c)
	}
	return s.text.String()
}

// ptyRun is a zconn command running on a real pseudo-terminal: its echo
// and its line reading are the terminal's own.
type ptyRun struct {
	ptmx, tty *os.File
	scr       *screen
	out       *strings.Builder
	done      chan int
	// before is the terminal's state before zconn started.
	before *term.State
}

// openPty opens a pseudo-terminal, closed when the test ends, and returns
// its two sides and the state its terminal side starts in.
func openPty(t *testing.T) (ptmx, tty *os.File, before *term.State) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	before, err = term.GetState(tty.Fd())
	if err != nil {
		t.Fatal(err)
	}
	return ptmx, tty, before
}

// runInPty starts zconn with args on a new pseudo-terminal; the test ends
// with both of its sides closed.
func runInPty(t *testing.T, h *harness, args ...string) *ptyRun {
	t.Helper()
	ptmx, tty, before := openPty(t)
	r := &ptyRun{ptmx: ptmx, tty: tty, scr: readScreen(ptmx), out: &strings.Builder{}, done: make(chan int, 1), before: before}
	o := h.options(tty, r.out, tty, args...)
	o.IsTerminal, o.EchoOff, o.ReadPassword = nil, nil, nil
	go func() { r.done <- executeCLI(o) }()
	return r
}

// wait returns zconn's exit code.
func (r *ptyRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-r.done:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("zconn still runs 10s after what it asked for was typed")
		return 0
	}
}

// TestAddPromptInAPty runs zconn add on a real pseudo-terminal and types
// the secret the moment its prompt shows: the echo is off by then, the
// secret is saved as typed, never shown, and the terminal is left as it
// was.
func TestAddPromptInAPty(t *testing.T) {
	h := newHarness(t)
	r := runInPty(t, h, addArgs()...)
	ptmx, tty, scr, out := r.ptmx, r.tty, r.scr, r.out
	scr.waitFor(t, "Client secret for acme.zslogin.net (typing is hidden): ")
	if on, err := termecho.Echoes(tty.Fd()); err != nil || on {
		t.Fatalf("the terminal echoes (%v, %v) when the prompt shows; want its echo off first", on, err)
	}
	if _, err := io.WriteString(ptmx, canary+"\r"); err != nil {
		t.Fatal(err)
	}
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d, stdout %q; want 0", code, out.String())
	}
	c, err := h.find("prod")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := h.mem.Peek(c.ID); got != canary {
		t.Errorf("saved a %d-byte secret; want the %d bytes typed", len(got), len(canary))
	}
	after, err := term.GetState(tty.Fd())
	if err != nil || !reflect.DeepEqual(after, r.before) {
		t.Errorf("the terminal was not restored: %v", err)
	}
	tty.Close()
	if text := scr.rest(); strings.Contains(text+out.String(), canary) {
		t.Errorf("the terminal showed the secret (%d bytes came back)", len(text))
	}
}

// TestKeyPastedAtTheSecretPromptStaysOutOfTheShell pastes a private key at
// add's secret prompt on a real pseudo-terminal, as terminals paste, each
// line ending in CR, followed by a line the shell would read next: zconn
// refuses the key and reads it to its END line, so that none of it is left
// for the shell (or its history), and the next line is.
func TestKeyPastedAtTheSecretPromptStaysOutOfTheShell(t *testing.T) {
	h := newHarness(t)
	k := h.keyClient(2048)
	r := runInPty(t, h, addArgs()...)
	r.scr.waitFor(t, "(typing is hidden): ")
	paste := strings.ReplaceAll(string(zidentitytest.PKCS8(k)), "\n", "\r") + "echo next\r"
	if _, err := io.WriteString(r.ptmx, paste); err != nil {
		t.Fatal(err)
	}
	if code := r.wait(t); code != 2 {
		t.Fatalf("exit %d; want 2", code)
	}
	if n := h.srv.Requests(); n != 0 {
		t.Errorf("%d token requests; want none", n)
	}
	// What the shell reads next.
	next, err := termecho.ReadLine(r.tty, 4096)
	if err != nil || string(next) != "echo next" {
		t.Errorf("the shell would read %d bytes next (%v); want the line after the key", len(next), err)
	}
	r.tty.Close()
	noKey(t, "the terminal", r.scr.rest()+r.out.String(), k)
}
