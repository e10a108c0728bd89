// Package termecho turns a terminal's echo off and back on, so that what is
// typed at a prompt (a client secret, a passphrase, a pasted private key)
// is not shown, and reads the line typed there.
//
// Turn the echo off before writing the prompt: whatever is typed once the
// prompt shows, however soon (typed ahead, or sent by a script that
// answers the prompt), then arrives at a terminal that no longer echoes.
package termecho

import (
	"bytes"
	"errors"
	"io"

	"github.com/charmbracelet/x/term"
)

// ErrNotTerminal means the echo of something that is not a terminal was
// to be turned off.
var ErrNotTerminal = errors.New("the input is not a terminal, so typing cannot be hidden")

// ErrUnsupported means this system's terminal echo cannot be turned off.
var ErrUnsupported = errors.New("this system's terminal echo cannot be turned off")

// ErrTooLong means a line was longer than ReadLine's limit.
var ErrTooLong = errors.New("the line is too long")

// Off turns off the echo of the terminal fd, keeping line input and Ctrl+C
// as they were, as golang.org/x/term's ReadPassword does, and returns what
// restores the settings it found. restore may be called more than once
// (from a signal handler and a deferred call alike).
func Off(fd uintptr) (restore func(), err error) {
	if !term.IsTerminal(fd) {
		return nil, ErrNotTerminal
	}
	state, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	if err := echoOff(fd); err != nil {
		return nil, err
	}
	return func() { _ = term.Restore(fd, state) }, nil
}

// Echoes reports whether the terminal fd echoes what is typed.
func Echoes(fd uintptr) (bool, error) {
	return echoes(fd)
}

// ReadLine reads from r up to a line end, one byte at a time so that
// nothing of the next line is taken, and returns the line without its end
// (a carriage return before the line feed goes too). Input that ends
// before a line end gives what came, or io.EOF when nothing did. More than
// limit bytes on the line is ErrTooLong; what was read is cleared.
func ReadLine(r io.Reader, limit int) ([]byte, error) {
	var line []byte
	one := make([]byte, 1)
	for len(line) <= limit {
		n, err := r.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				return bytes.TrimSuffix(line, []byte("\r")), nil
			}
			line = append(line, one[0])
		}
		switch {
		case errors.Is(err, io.EOF) && len(line) > 0:
			return line, nil
		case err != nil:
			clear(line)
			return nil, err
		}
	}
	clear(line)
	return nil, ErrTooLong
}
