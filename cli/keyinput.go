package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"unicode/utf8"

	"github.com/charmbracelet/x/term"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/zidentity"
)

// maxKeyInput bounds what is read as a private key: more than any RSA key
// in PEM, even with its certificate beside it.
const maxKeyInput = zidentity.MaxKeyText

// keySource is where a private key comes from: a file, else standard
// input, or a paste at the terminal.
type keySource struct {
	// file is --private-key-file; empty means standard input.
	file string
	// prompt asks for a paste at the terminal; example is the command that
	// pipes a key in, for the message that waits for one.
	prompt, example string
}

// readKey returns the private key from its source: the file, or all of
// standard input when it is not a terminal, or a paste at a prompt that
// shows nothing. A key that cannot be used is a usage error (exit 2) that
// says what was given and what is needed; the key itself is never in a
// message.
func (f *factory) readKey(ctx context.Context, src keySource) (*zidentity.PrivateKey, error) {
	if src.file != "" {
		return readKeyFile(src.file)
	}
	var (
		text []byte
		err  error
	)
	switch {
	case f.sys.stdinIsTerminal():
		text, err = f.pasteKey(ctx, src.prompt)
	default:
		if fd, ok := fdOf(f.sys.Stdin); ok && cygwinTerminal(fd) {
			return nil, usagef("this terminal cannot hide what is pasted: give the key with --private-key-file, pipe it in (%s), or run zconn from Windows Terminal", src.example)
		}
		text, err = readPipedKey(f.sys.Stdin, f.sys.Stderr, src.example)
	}
	if err != nil {
		return nil, err
	}
	defer clear(text)
	key, err := zidentity.ParsePrivateKey(text)
	if err != nil {
		return nil, usage(err)
	}
	return key, nil
}

// readKeyFile reads and parses a private key file. The file is only read:
// never changed, and never copied anywhere.
func readKeyFile(path string) (*zidentity.PrivateKey, error) {
	name := safetext.Clean(path, 200)
	key, err := zidentity.ReadKeyFile(path)
	var kf *zidentity.KeyFileError
	switch {
	case errors.As(err, &kf):
		return nil, usagef("--private-key-file %s %s", name, kf.Problem)
	case err != nil:
		return nil, usagef("--private-key-file %s: %w", name, err)
	}
	return key, nil
}

// readPipedKey reads a private key from a pipe or file on standard input
// (readPiped).
func readPipedKey(r io.Reader, stderr io.Writer, example string) ([]byte, error) {
	b, tooLarge, err := readPiped(r, stderr, maxKeyInput, "the private key (PEM)", example)
	switch {
	case err != nil:
		return nil, fmt.Errorf("reading the private key from standard input: %w", err)
	case tooLarge:
		return nil, usagef("standard input holds more than %d KiB: pipe in only the private key's PEM", maxKeyInput>>10)
	}
	return b, nil
}

// endOfPaste names the key that ends a paste at the prompt.
const endOfPaste = "Ctrl-D"

// pasteKey asks for the key at the terminal and reads what is pasted,
// without showing it, until Ctrl-D. The echo goes off before the prompt
// is written.
func (f *factory) pasteKey(ctx context.Context, prompt string) ([]byte, error) {
	b, err := f.askHidden(ctx, prompt, f.sys.ReadKey, "the private key")
	if errors.Is(err, errPasteInterrupted) {
		return nil, interrupted()
	}
	return b, err
}

// errPasteInterrupted is Ctrl-C pressed during a paste.
var errPasteInterrupted = errors.New("interrupted")

// readHiddenText reads what is pasted or typed at the terminal fd, over
// several lines, without showing it, until Ctrl-D. The terminal is in raw
// mode meanwhile (no echo, no line editing by the terminal), so that
// Ctrl-D ends the text on every system, whatever the last line ends with;
// scanPaste says what each key does. The terminal is restored before it
// returns.
func readHiddenText(fd uintptr) ([]byte, error) {
	state, err := term.MakeRaw(fd)
	if err != nil {
		return nil, err
	}
	defer func() { _ = term.Restore(fd, state) }()
	tty, err := openTerminal(fd)
	if err != nil {
		return nil, err
	}
	defer tty.Close()
	return scanPaste(tty, maxKeyInput)
}

// scanPaste reads keys typed or pasted at a terminal in raw mode and
// returns the text they make, up to Ctrl-D (or Ctrl-Z, as Windows ends
// input) or the end of input. Enter (a carriage return, or CR LF) makes a
// line end; backspace removes the last character of the line; Ctrl-C
// gives errPasteInterrupted; escape sequences (arrow keys, the markers of
// bracketed paste) and other control characters are dropped. More than
// limit bytes is an error.
func scanPaste(r io.Reader, limit int) ([]byte, error) {
	const (
		ctrlC, ctrlD, ctrlZ, esc, del = 0x03, 0x04, 0x1a, 0x1b, 0x7f
		plain, afterEsc, inCSI        = 0, 1, 2
	)
	var out []byte
	buf := make([]byte, 4096)
	defer clear(buf)
	state, afterCR := plain, false
	fail := func(err error) ([]byte, error) {
		clear(out)
		return nil, err
	}
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			cr := false
			switch {
			case state == afterEsc:
				state = plain
				if b == '[' {
					state = inCSI
				}
			case state == inCSI:
				if b >= 0x40 && b <= 0x7e {
					state = plain
				}
			case b == esc:
				state = afterEsc
			case b == ctrlD || b == ctrlZ:
				return out, nil
			case b == ctrlC:
				return fail(errPasteInterrupted)
			case b == '\r':
				out, cr = append(out, '\n'), true
			case b == '\n':
				if !afterCR {
					out = append(out, '\n')
				}
			case b == del || b == '\b':
				if len(out) > 0 && out[len(out)-1] != '\n' {
					_, size := utf8.DecodeLastRune(out)
					out = out[:len(out)-size]
				}
			case b == '\t' || b >= 0x20:
				out = append(out, b)
			}
			afterCR = cr
			if len(out) > limit {
				return fail(usagef("more than %d KiB was pasted: paste only the private key's PEM", limit>>10))
			}
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return fail(fmt.Errorf("reading the private key from the terminal: %w", err))
		}
	}
}

// pastePrompt is the prompt that asks for a private key at the terminal.
func pastePrompt(what string) string {
	end := endOfPaste
	if runtime.GOOS == "windows" {
		end = "Ctrl-D (or Ctrl-Z)"
	}
	return fmt.Sprintf("Paste the private key (PEM) %s, then press %s; nothing is shown:\n", what, end)
}
