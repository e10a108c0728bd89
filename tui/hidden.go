package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"

	"github.com/zconn/zconn/internal/termecho"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// hider turns off a terminal's echo, so that what is typed at a prompt is
// not shown: the accessible wizard's secret and passphrase prompts.
type hider interface {
	// hide turns off the echo of the terminal r reads from.
	hide(r io.Reader) (hidden, error)
}

// hidden is a terminal whose echo is off.
type hidden interface {
	// interrupted is closed when the person interrupts (Ctrl+C) while the
	// echo is off; nil when that cannot happen.
	interrupted() <-chan struct{}
	// restore turns the echo back on.
	restore()
}

// errNoTerminal means hidden input was asked of something that is not a
// terminal.
var errNoTerminal = termecho.ErrNotTerminal

// errInterrupted means the person interrupted a hidden prompt.
var errInterrupted = errors.New("interrupted: nothing was saved")

// maxHiddenLine bounds what a hidden prompt reads.
const maxHiddenLine = 64 << 10

// terminalHider is the real terminal: the echo goes off through the
// terminal's own settings (termecho), and Ctrl+C restores it before the
// prompt gives up.
type terminalHider struct{}

func (terminalHider) hide(r io.Reader) (hidden, error) {
	f, ok := r.(interface{ Fd() uintptr })
	if !ok {
		return nil, errNoTerminal
	}
	restore, err := termecho.Off(f.Fd())
	switch {
	case errors.Is(err, termecho.ErrNotTerminal):
		return nil, errNoTerminal
	case errors.Is(err, termecho.ErrUnsupported):
		return nil, fmt.Errorf("zconn cannot hide typing on %s: run zconn new without ZCONN_ACCESSIBLE, or use zconn add with the secret piped in", runtime.GOOS)
	case err != nil:
		return nil, fmt.Errorf("turning the terminal's echo off: %w", err)
	}
	t := &hiddenTerminal{restoreTerminal: restore, sig: make(chan os.Signal, 1), stop: make(chan struct{}), intr: make(chan struct{})}
	signal.Notify(t.sig, os.Interrupt)
	go func() {
		select {
		case <-t.sig:
			restore()
			close(t.intr)
		case <-t.stop:
		}
	}()
	return t, nil
}

// hiddenTerminal is a real terminal with its echo off.
type hiddenTerminal struct {
	restoreTerminal func()
	sig             chan os.Signal
	stop            chan struct{}
	intr            chan struct{}
}

func (t *hiddenTerminal) interrupted() <-chan struct{} { return t.intr }

func (t *hiddenTerminal) restore() {
	signal.Stop(t.sig)
	close(t.stop)
	t.restoreTerminal()
}

// askHidden asks for a line that the terminal does not echo, again until
// valid accepts it. The echo goes off before the prompt is written, so
// nothing typed once the prompt shows can be echoed, however soon it is
// typed.
func (a *accessible) askHidden(ctx context.Context, prompt string, valid func(string) error) (string, error) {
	h, err := a.hider.hide(a.r)
	if err != nil {
		return "", err
	}
	defer h.restore()
	for skipped := false; ; {
		if !skipped {
			fmt.Fprint(a.w, prompt+" ")
		}
		line, err := readHidden(ctx, a.r, h)
		if err != nil {
			fmt.Fprintln(a.w)
			return "", err
		}
		err = valid(line)
		if skipped = errors.Is(err, errSkipLine); skipped {
			continue
		}
		// The line end typed was not echoed either.
		fmt.Fprintln(a.w)
		if err != nil {
			a.say("%s", hint(err))
			continue
		}
		return line, nil
	}
}

// errSkipLine is a valid function's answer to askHidden for a line to
// read and drop, without a word or a new prompt.
var errSkipLine = errors.New("line skipped")

// readHidden reads one line from r, giving up when ctx ends or the person
// interrupts.
func readHidden(ctx context.Context, r io.Reader, h hidden) (string, error) {
	return readHiddenWith(ctx, h, func() (string, error) { return readLine(r) })
}

// readHiddenWith runs read, giving up when ctx ends or the person
// interrupts.
func readHiddenWith(ctx context.Context, h hidden, read func() (string, error)) (string, error) {
	type result struct {
		text string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		text, err := read()
		got <- result{text, err}
	}()
	select {
	case res := <-got:
		return res.text, res.err
	case <-ctx.Done():
		return "", ctx.Err()
	case <-h.interrupted():
		return "", errInterrupted
	}
}

// readPasted reads pasted lines up to an empty line outside a PEM block,
// or the end of input (Ctrl-D), and returns them; blank lines before the
// paste are skipped. The markers of a bracketed paste are dropped. More
// than zidentity.MaxKeyText bytes is an error.
func readPasted(r io.Reader) (string, error) {
	var b strings.Builder
	inBlock := false
	for {
		line, err := readLine(r)
		switch {
		case errors.Is(err, errInputEnded) && b.Len() > 0:
			return b.String(), nil
		case err != nil:
			return "", err
		}
		line = strings.NewReplacer("\x1b[200~", "", "\x1b[201~", "").Replace(line)
		t := strings.TrimSpace(line)
		switch {
		case t == "" && !inBlock && b.Len() > 0:
			return b.String(), nil
		case t == "" && !inBlock:
			continue
		case strings.HasPrefix(t, "-----BEGIN"):
			inBlock = true
		case store.EndsPEM(t):
			inBlock = false
		}
		b.WriteString(line + "\n")
		if b.Len() > zidentity.MaxKeyText {
			return "", errPastedTooMuch
		}
	}
}

// readLine reads up to a line end and returns the line without its end.
func readLine(r io.Reader) (string, error) {
	b, err := termecho.ReadLine(r, maxHiddenLine)
	switch {
	case errors.Is(err, io.EOF):
		return "", errInputEnded
	case errors.Is(err, termecho.ErrTooLong):
		return "", fmt.Errorf("more than %d KiB on one line: paste only the secret", maxHiddenLine>>10)
	}
	return string(b), err
}
