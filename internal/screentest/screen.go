// Package screentest shows tests the screen a person would see: it feeds
// a program's terminal output into a terminal emulator and waits for text
// to appear on it.
package screentest

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
)

// Screen is a terminal of a fixed size that a program draws on.
type Screen struct {
	// MapNewline turns each line feed into a carriage return and a line
	// feed, as a terminal in cooked mode does (ONLCR). A program with no
	// terminal for input, such as one under teatest, writes for that.
	MapNewline bool

	mu  sync.Mutex
	emu *vt.Emulator
	raw strings.Builder
}

// New returns a Screen of width by height cells.
func New(width, height int) *Screen {
	s := &Screen{emu: vt.NewEmulator(width, height)}
	// The emulator answers terminal queries on its input; nobody reads them.
	go func() { _, _ = io.Copy(io.Discard, s.emu) }()
	return s
}

// Write draws program output.
func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw.Write(p)
	out := p
	if s.MapNewline {
		out = bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))
	}
	if _, err := s.emu.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Text returns what the screen shows, line by line, without styling.
func (s *Screen) Text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

// Raw returns every byte written so far.
func (s *Screen) Raw() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

// Has reports whether the screen shows text; runs of white space, line
// breaks included, match any white space, so wrapped text is found.
func (s *Screen) Has(text string) bool {
	return strings.Contains(fold(s.Text()), fold(text))
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// Pump copies r onto the screen until the test ends. A reader that runs
// dry, as a buffer does, is read again.
func (s *Screen) Pump(tb testing.TB, r io.Reader) {
	done := make(chan struct{})
	tb.Cleanup(func() { close(done) })
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				_, _ = s.Write(buf[:n])
			}
			if err != nil && err != io.EOF {
				return
			}
			if n == 0 {
				select {
				case <-done:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}
	}()
}

// WaitFor waits until the screen shows text, failing the test with the
// screen's content after timeout.
func (s *Screen) WaitFor(tb testing.TB, text string, timeout time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !s.Has(text) {
		if time.Now().After(deadline) {
			tb.Fatalf("the screen does not show %q after %s:\n%s", text, timeout, s.Text())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
