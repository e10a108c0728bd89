package cli_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/zconn/zconn/cli"
)

// TestScanPaste checks what each key does while a private key is pasted
// at the terminal in raw mode, with the input whole and byte by byte.
func TestScanPaste(t *testing.T) {
	tests := []struct {
		name, in, want string
		limit          int
		err            error
		errText        string
	}{
		{name: "carriage returns then ctrl-d", in: "a\rb\r\x04after", want: "a\nb\n"},
		{name: "ctrl-d ends a line without its end", in: "a\rb\x04", want: "a\nb"},
		{name: "crlf is one line end", in: "a\r\nb\r\n\x04", want: "a\nb\n"},
		{name: "line feeds", in: "a\nb\n\x04", want: "a\nb\n"},
		{name: "end of input without ctrl-d", in: "a\rb", want: "a\nb"},
		{name: "ctrl-z ends too", in: "a\x1ab", want: "a"},
		{name: "backspace and delete", in: "abx\x7f\by\x08c\x04", want: "ac"},
		{name: "backspace stops at the line end", in: "a\r\x7f\x7fb\x04", want: "a\nb"},
		{name: "backspace removes a whole character", in: "aé\x7f\x04", want: "a"},
		{name: "bracketed paste markers dropped", in: "\x1b[200~a\rb\x1b[201~\x04", want: "a\nb"},
		{name: "arrow keys dropped", in: "a\x1b[A\x1b[1;5Db\x1bOc\x04", want: "abc"},
		{name: "other controls dropped, tab kept", in: "a\x01\x02\tb\x00\x04", want: "a\tb"},
		{name: "ctrl-c interrupts", in: "a\rb\x03", err: cli.ErrPasteInterrupted},
		{name: "too much", in: strings.Repeat("x", 2048) + "\x04", limit: 1024, errText: "more than 1 KiB was pasted: paste only the private key's PEM"},
	}
	for _, tt := range tests {
		for _, chunked := range []bool{false, true} {
			name := tt.name
			if chunked {
				name += " byte by byte"
			}
			t.Run(name, func(t *testing.T) {
				var r io.Reader = strings.NewReader(tt.in)
				if chunked {
					r = iotest.OneByteReader(r)
				}
				limit := tt.limit
				if limit == 0 {
					limit = 1 << 16
				}
				got, err := cli.ScanPaste(r, limit)
				switch {
				case tt.err != nil || tt.errText != "":
					if (tt.err != nil && !errors.Is(err, tt.err)) || (tt.errText != "" && (err == nil || err.Error() != tt.errText)) || got != nil {
						t.Errorf("got %q, %v; want no text and the error %v%s", got, err, tt.err, tt.errText)
					}
				case err != nil || string(got) != tt.want:
					t.Errorf("got %q, %v; want %q", got, err, tt.want)
				}
			})
		}
	}
}
