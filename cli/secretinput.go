package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/zconn/zconn/internal/termecho"
	"github.com/zconn/zconn/store"
)

// maxSecretInput bounds what is read from standard input as a secret.
const maxSecretInput = 64 << 10

// interrupted ends a prompt that was interrupted with Ctrl+C, with the
// exit code a shell gives a command killed by SIGINT.
func interrupted() error {
	return &exitError{code: 130, err: errors.New("interrupted: nothing was saved")}
}

// readSecret returns a client secret: all of standard input when it is not
// a terminal (so that more than one line is seen, and refused), or what is
// typed at a prompt that does not echo; only the white space around it is
// trimmed
// (store.NormalizeSecret). An empty secret, or one that store.ValidateSecret
// refuses, is refused here, before anything is sent. example is the command
// that pipes one in, for the message that asks for it.
func (f *factory) readSecret(ctx context.Context, prompt, example string) (string, error) {
	if !f.sys.stdinIsTerminal() {
		if fd, ok := fdOf(f.sys.Stdin); ok && cygwinTerminal(fd) {
			return "", usagef("this terminal cannot hide what is typed: pipe the secret in (%s) or run zconn from Windows Terminal", example)
		}
		return readPipedSecret(f.sys.Stdin, f.sys.Stderr, example)
	}
	b, err := f.askHidden(ctx, prompt, f.readSecretLine, "the secret")
	if err != nil {
		return "", err
	}
	secret := store.NormalizeSecret(string(b))
	clear(b)
	if secret == "" {
		return "", errors.New("no secret was entered: paste the client secret from Integration > API Clients at the prompt")
	}
	return secret, checkSecretText(secret)
}

// askPassphrase asks for the vault's passphrase at the terminal without
// echo and returns what was typed, without the line end.
func (f *factory) askPassphrase(ctx context.Context, text string) (string, error) {
	b, err := f.askHidden(ctx, text, f.sys.ReadPassword, "the passphrase")
	if err != nil {
		return "", err
	}
	s := string(b)
	clear(b)
	return s, nil
}

// readSecretLine reads the line typed at the secret's prompt. When it is
// the first line of a pasted private key, the key's other lines are read
// too, up to its END line, and dropped unseen: left in the terminal, they
// would reach the shell once zconn refuses the key, and its history.
func (f *factory) readSecretLine(fd uintptr) ([]byte, error) {
	b, err := f.sys.ReadPassword(fd)
	if err != nil || !store.LooksLikePrivateKey(string(b)) {
		return b, err
	}
	for end := store.EndsPEM(b); !end; {
		line, err := f.sys.ReadPassword(fd)
		if err != nil {
			break
		}
		end = store.EndsPEM(line)
		clear(line)
	}
	return b, nil
}

// readPiped reads all of standard input (r), a pipe or a file, up to
// limit bytes: more is tooLarge, and nothing read is returned then, nor
// on an error, and what was read is cleared. Should nothing come for a
// second (an ssh session without a terminal, a CI step), it says on
// stderr that it waits for what, and how to pipe it in (example).
func readPiped(r io.Reader, stderr io.Writer, limit int, what, example string) (b []byte, tooLarge bool, err error) {
	hint := time.AfterFunc(time.Second, func() {
		fmt.Fprintf(stderr, "zconn: waiting for %s on standard input (%s)…\n", what, example)
	})
	b, err = io.ReadAll(io.LimitReader(r, int64(limit)+1))
	hint.Stop()
	if err != nil || len(b) > limit {
		clear(b)
		return nil, err == nil, err
	}
	return b, false, nil
}

// readTerminalLine reads a line typed at the terminal fd, without its end.
func readTerminalLine(fd uintptr) ([]byte, error) {
	tty, err := openTerminal(fd)
	if err != nil {
		return nil, err
	}
	defer tty.Close()
	b, err := termecho.ReadLine(tty, maxSecretInput)
	if errors.Is(err, termecho.ErrTooLong) {
		return nil, usagef("more than %d KiB was typed on one line: type or paste only the secret", maxSecretInput>>10)
	}
	return b, err
}

// readPipedSecret reads a secret from a pipe or file. Should nothing come
// for a second (an ssh session without a terminal, a CI step), it says on
// stderr what it waits for.
func readPipedSecret(r io.Reader, stderr io.Writer, example string) (string, error) {
	b, tooLarge, err := readPiped(r, stderr, maxSecretInput, "the client secret", example)
	switch {
	case err != nil:
		return "", fmt.Errorf("reading the secret from standard input: %w", err)
	case tooLarge:
		return "", fmt.Errorf("standard input holds more than %d KiB: pipe in only the client secret", maxSecretInput>>10)
	}
	s := store.NormalizeSecret(string(b))
	clear(b)
	if s == "" {
		return "", usagef("no client secret on standard input: pipe it in (%s) or run the command on a terminal to be asked for it", example)
	}
	return s, checkSecretText(s)
}

// checkSecretText refuses, as it is read and before anything is sent, a
// secret that ZIdentity cannot have issued and that not every backend
// would keep exactly (store.ValidateSecret): the message says what is
// wrong, never the secret.
func checkSecretText(s string) error {
	return usage(store.ValidateSecret(s))
}

// askHidden turns the terminal's echo off, then writes prompt on stderr
// and reads what with read. The echo goes off before the prompt is
// written, so that nothing typed once the prompt shows is echoed, however
// soon it is typed (ahead of the prompt, or by a script that answers it).
// The terminal is restored before askHidden returns, also when Ctrl+C or
// ctx end the read, so the shell does not keep echo off.
func (f *factory) askHidden(ctx context.Context, prompt string, read func(uintptr) ([]byte, error), what string) ([]byte, error) {
	fd, _ := fdOf(f.sys.Stdin)
	restore, err := f.sys.EchoOff(fd)
	if err != nil {
		return nil, fmt.Errorf("turning the terminal's echo off to read %s: %w", what, err)
	}
	defer restore()
	fmt.Fprint(f.sys.Stderr, prompt)
	b, err := f.readTerminal(ctx, fd, read, what)
	// The line end typed was not echoed either.
	fmt.Fprintln(f.sys.Stderr)
	return b, err
}

// readTerminal reads what from the terminal with read, giving up when
// Ctrl+C is pressed or ctx ends.
func (f *factory) readTerminal(ctx context.Context, fd uintptr, read func(uintptr) ([]byte, error), what string) ([]byte, error) {
	sigc := make(chan os.Signal, 1)
	stop := f.sys.Signals(sigc, os.Interrupt)
	defer stop()
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := read(fd)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, errPasteInterrupted) {
			return nil, r.err
		}
		var u *usageError
		if errors.As(r.err, &u) {
			return nil, r.err
		}
		if r.err != nil {
			return nil, fmt.Errorf("reading %s from the terminal: %w", what, r.err)
		}
		return r.b, nil
	case <-sigc:
		return nil, interrupted()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
