package termecho_test

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/zconn/zconn/internal/termecho"
)

func TestReadLine(t *testing.T) {
	tests := []struct {
		name  string
		input string
		limit int
		want  string
		err   error
		rest  string
	}{
		{"a line", "s3cret\nnext\n", 100, "s3cret", nil, "next\n"},
		{"a line a Windows console ends", "s3cret\r\nnext", 100, "s3cret", nil, "next"},
		{"a carriage return inside stays", "a\rb\n", 100, "a\rb", nil, ""},
		{"an empty line", "\nnext", 100, "", nil, "next"},
		{"input that ends without a line end", "s3cret", 100, "s3cret", nil, ""},
		{"input that ends before anything", "", 100, "", io.EOF, ""},
		{"a line at the limit", "12345\n", 5, "12345", nil, ""},
		{"a line over the limit", "123456\n", 5, "", termecho.ErrTooLong, "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := strings.NewReader(tt.input)
			got, err := termecho.ReadLine(iotest.OneByteReader(r), tt.limit)
			if !errors.Is(err, tt.err) || string(got) != tt.want {
				t.Fatalf("got %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
			if rest, _ := io.ReadAll(r); string(rest) != tt.rest {
				t.Errorf("left %q unread; want %q", rest, tt.rest)
			}
		})
	}
}

func TestReadLineReportsAReadError(t *testing.T) {
	boom := errors.New("boom")
	got, err := termecho.ReadLine(io.MultiReader(strings.NewReader("part"), iotest.ErrReader(boom)), 100)
	if !errors.Is(err, boom) || got != nil {
		t.Fatalf("got %q, %v; want nothing and %v", got, err, boom)
	}
}

func TestOffRefusesWhatIsNotATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "not-a-terminal")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := termecho.Off(f.Fd()); !errors.Is(err, termecho.ErrNotTerminal) {
		t.Fatalf("got %v; want %v", err, termecho.ErrNotTerminal)
	}
}
