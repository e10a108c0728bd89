//go:build unix

package cli_test

import (
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/creack/pty"

	"github.com/zconn/zconn/internal/termecho"
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

// TestAddPromptInAPty runs zconn add on a real pseudo-terminal and types
// the secret the moment its prompt shows: the echo is off by then, the
// secret is saved as typed, never shown, and the terminal is left as it
// was.
func TestAddPromptInAPty(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	before, err := term.GetState(tty.Fd())
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	var out strings.Builder
	o := h.options(tty, &out, tty, addArgs()...)
	// The real terminal, its echo and its line reading.
	o.IsTerminal, o.EchoOff, o.ReadPassword = nil, nil, nil
	scr := readScreen(ptmx)
	done := make(chan int, 1)
	go func() { done <- executeCLI(o) }()

	scr.waitFor(t, "Client secret for acme.zslogin.net (typing is hidden): ")
	if on, err := termecho.Echoes(tty.Fd()); err != nil || on {
		t.Fatalf("the terminal echoes (%v, %v) when the prompt shows; want its echo off first", on, err)
	}
	if _, err := io.WriteString(ptmx, canary+"\r"); err != nil {
		t.Fatal(err)
	}
	var code int
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("zconn add still runs 10s after the secret was typed")
	}
	if code != 0 {
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
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Errorf("the terminal was not restored: %v", err)
	}
	tty.Close()
	if text := scr.rest(); strings.Contains(text+out.String(), canary) {
		t.Errorf("the terminal showed the secret (%d bytes came back)", len(text))
	}
}
