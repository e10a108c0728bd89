//go:build unix

package cli_test

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/zconn/zconn/cli"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// TestReadHiddenTextInAPty pastes a private key into a real pseudo-
// terminal, as a terminal sends it (carriage returns), then Ctrl-D: the
// key is read whole, nothing of it is echoed, and the terminal is left as
// it was.
func TestReadHiddenTextInAPty(t *testing.T) {
	ptmx, tty, before := openPty(t)
	pemText := string(zidentitytest.PKCS8(zidentitytest.Key(t, "cli", 2048)))

	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := cli.ReadHiddenText(tty.Fd())
		done <- result{b, err}
	}()
	// Paste only once echo is off: the terminal echoes what arrives before.
	deadline := time.Now().Add(10 * time.Second)
	for tick := time.NewTicker(time.Millisecond); ; <-tick.C {
		now, err := term.GetState(tty.Fd())
		if err == nil && !reflect.DeepEqual(now, before) {
			tick.Stop()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the terminal was not put in raw mode within 10s")
		}
	}
	if _, err := io.WriteString(ptmx, strings.ReplaceAll(pemText, "\n", "\r")+"\x04"); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("ReadHiddenText still reads 10s after Ctrl-D")
	}
	if r.err != nil || string(r.b) != pemText {
		t.Fatalf("read %d bytes, %v; want the %d bytes of the key as pasted, with line feeds", len(r.b), r.err, len(pemText))
	}
	after, err := term.GetState(tty.Fd())
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Errorf("the terminal was not restored: %v", err)
	}
	// Whatever the terminal echoed is in the master's buffer: read it once
	// the other side is closed.
	tty.Close()
	var echoed bytes.Buffer
	_, _ = io.Copy(&echoed, ptmx)
	for _, line := range strings.Split(strings.TrimSpace(pemText), "\n") {
		if strings.Contains(echoed.String(), line) {
			t.Fatalf("the terminal echoed the key (%d bytes came back)", echoed.Len())
		}
	}
}
