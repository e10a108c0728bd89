//go:build unix

package termecho_test

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/term"
	"github.com/creack/pty"

	"github.com/zconn/zconn/internal/termecho"
)

// TestOffInAPty turns the echo of a real pseudo-terminal off, types a
// line, and restores it: the line is read whole, nothing of it is echoed,
// and the terminal is left as it was.
func TestOffInAPty(t *testing.T) {
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
	if on, err := termecho.Echoes(tty.Fd()); err != nil || !on {
		t.Fatalf("a new pseudo-terminal echoes: %v, %v; want true", on, err)
	}

	restore, err := termecho.Off(tty.Fd())
	if err != nil {
		t.Fatal(err)
	}
	if on, err := termecho.Echoes(tty.Fd()); err != nil || on {
		t.Fatalf("echo after Off: %v, %v; want false", on, err)
	}
	const typed = "zconn-canary-S3cr3t-7f1d"
	// A terminal sends Enter as a carriage return; the terminal turns it
	// into a line end, as it did before the echo went off.
	if _, err := io.WriteString(ptmx, typed+"\r"); err != nil {
		t.Fatal(err)
	}
	line, err := termecho.ReadLine(tty, 1024)
	if err != nil || string(line) != typed {
		t.Fatalf("read %q, %v; want %q", line, err, typed)
	}
	restore()
	after, err := term.GetState(tty.Fd())
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Errorf("the terminal was not restored: %v", err)
	}
	restore()

	// Whatever the terminal echoed is in the master's buffer: read it once
	// the other side is closed.
	tty.Close()
	var echoed bytes.Buffer
	_, _ = io.Copy(&echoed, ptmx)
	if strings.Contains(echoed.String(), typed) {
		t.Fatalf("the terminal echoed the typed line: %q", echoed.String())
	}
}
