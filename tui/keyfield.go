package tui

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/humanpath"
	"github.com/zconn/zconn/zidentity"
)

// keyField holds a private key as it is pasted or typed into the form, or
// read from a file, and shows only what it is: its size and fingerprint,
// or why it was refused; never a character of it. It is not a text input:
// nothing could render what it holds.
type keyField struct {
	// text is what was pasted or typed; it is never drawn, and cleared
	// when it is replaced.
	text []byte
	// key is the key the text or the file holds; err, why it was refused.
	key *zidentity.PrivateKey
	err error
	// path is the file the key was read from (as typed); "" for a paste.
	path string
}

// reset empties the field, clearing what it held.
func (k *keyField) reset() {
	clear(k.text)
	k.text, k.key, k.err, k.path = nil, nil, nil, ""
}

// paste replaces what the field holds with a paste.
func (k *keyField) paste(s string) {
	k.reset()
	k.add(s)
}

// errPastedTooMuch refuses a paste larger than any private key, in the
// form and at the accessible prompt alike.
var errPastedTooMuch = fmt.Errorf("more than %d KiB was pasted: paste only the private key's PEM", zidentity.MaxKeyText>>10)

// add appends typed text: a terminal without bracketed paste delivers a
// pasted key one key press at a time, its line ends as enter. Line ends
// are kept as \n, whether they came as \n, \r\n or the lone \r that many
// terminals paste.
func (k *keyField) add(s string) {
	if k.path != "" || (k.key != nil && len(k.text) == 0) {
		k.reset()
	}
	if len(k.text)+len(s) > zidentity.MaxKeyText {
		k.reset()
		k.err = errPastedTooMuch
		return
	}
	if cap(k.text)-len(k.text) < len(s) {
		// Grow by hand, so that no copy of the key is left behind in
		// memory when the slice moves.
		grown := make([]byte, len(k.text), 2*cap(k.text)+len(s)+64)
		copy(grown, k.text)
		clear(k.text)
		k.text = grown
	}
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n':
		case s[i] == '\r':
			k.text = append(k.text, '\n')
		default:
			k.text = append(k.text, s[i])
		}
	}
	k.key, k.err = zidentity.ParsePrivateKey(k.text)
	if k.err != nil && looksLikePath(k.text) {
		k.err = errors.New("that looks like a file's path, not a key: give it under Key file")
	}
}

// fromFile records what reading the file at path gave.
func (k *keyField) fromFile(path string, key *zidentity.PrivateKey, err error) {
	k.reset()
	k.key, k.err, k.path = key, err, path
}

// receiving reports whether typed text is still arriving: some, but no
// END line yet. The field then counts lines instead of showing a refusal
// that the next lines would answer.
func (k *keyField) receiving() bool {
	return len(k.text) > 0 && k.key == nil && !bytes.Contains(k.text, []byte("-----END"))
}

// lines counts the lines received.
func (k *keyField) lines() int { return bytes.Count(bytes.TrimRight(k.text, "\n"), []byte("\n")) + 1 }

// view draws the field in width cells: what the key is, how much was
// received, or a placeholder. A refusal is drawn by the form under the
// field.
func (k *keyField) view(s *Styles, focused bool, placeholder string, width int) string {
	var v string
	switch {
	case k.key != nil:
		v = s.Success.Render(ansi.Wordwrap("✓ "+k.key.Description(), width, " "))
	case len(k.text) > 0:
		what := fmt.Sprintf("%d lines received; nothing of them is shown", k.lines())
		if k.lines() == 1 {
			what = "1 line received; nothing of it is shown"
		}
		v = s.Muted.Render(what)
	default:
		v = s.Muted.Render(placeholder)
	}
	if focused && k.key == nil {
		v = s.Selected.Render(" ") + v
	}
	return strings.ReplaceAll(v, "\n", "\n"+strings.Repeat(" ", labelWidth+2))
}

// looksLikePath reports whether text is one line that starts as a file's
// path does, as a file dropped on the terminal is pasted.
func looksLikePath(text []byte) bool {
	t := strings.TrimSpace(string(text))
	if t == "" || strings.ContainsAny(t, "\n\r") || strings.Contains(t, "-----") {
		return false
	}
	t = strings.Trim(t, `'"`)
	return strings.HasPrefix(t, "/") || strings.HasPrefix(t, "~") || strings.HasPrefix(t, "./") ||
		strings.HasPrefix(t, `.\`) || (len(t) > 2 && t[1] == ':' && (t[2] == '\\' || t[2] == '/'))
}

// keyFileMsg is the outcome of reading a private key file; submit says
// the form was being submitted and goes on once the key is read.
type keyFileMsg struct {
	seq    int
	path   string
	key    *zidentity.PrivateKey
	err    error
	submit bool
}

// readKeyFileCmd reads the key file at path (as typed) off the update loop.
func readKeyFileCmd(path string, seq int, submit bool) tea.Cmd {
	return func() tea.Msg {
		key, err := readKeyFile(path)
		return keyFileMsg{seq: seq, path: path, key: key, err: err, submit: submit}
	}
}

// readKeyFile reads and parses a private key file (zidentity.ReadKeyFile):
// never changed and never copied anywhere; ~ stands for the home folder.
// Errors say what is wrong with the file (shown where its path was typed)
// and the fix; none holds any of the file's text.
func readKeyFile(typed string) (*zidentity.PrivateKey, error) {
	path, err := expandHome(unquote(typed))
	if err != nil {
		return nil, err
	}
	key, err := zidentity.ReadKeyFile(path)
	var kf *zidentity.KeyFileError
	switch {
	case errors.As(err, &kf):
		return nil, errors.New("the file " + kf.Problem.String())
	case err != nil:
		return nil, fmt.Errorf("in the file, %w", err)
	}
	return key, nil
}

// unquote removes the quotes a terminal may put around a dropped file's
// path.
func unquote(p string) string {
	p = strings.TrimSpace(p)
	if len(p) >= 2 && (p[0] == '\'' || p[0] == '"') && p[len(p)-1] == p[0] {
		return p[1 : len(p)-1]
	}
	return p
}

// expandHome turns a leading ~ into the home folder.
func expandHome(p string) (string, error) {
	rest, ok := humanpath.CutHome(p)
	if !ok {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the home folder for ~: %w: give the full path", err)
	}
	return filepath.Join(home, rest), nil
}
