package cli

import (
	"bytes"
	"io"

	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
)

// table writes rows as aligned columns separated by two spaces. Every
// cell is cleaned first (safetext.Clean: no escape sequences or control
// characters), whatever its source. style, when not nil, decorates a
// cell's cleaned text (row -1 is the header); the padding is measured on
// the plain text and stays outside, so colour does not upset the
// alignment.
type table struct {
	header []string
	rows   [][]string
	style  func(row, col int, s string) string
}

func (t table) write(w io.Writer) error {
	t.header = cleanCells(t.header)
	rows := make([][]string, len(t.rows))
	for i, r := range t.rows {
		rows[i] = cleanCells(r)
	}
	t.rows = rows
	// Each cell's width, measured once; the header is row 0.
	cells := make([][]int, len(t.rows)+1)
	widths := make([]int, len(t.header))
	measure := func(i int, r []string) {
		cells[i] = make([]int, len(r))
		for j, s := range r {
			cells[i][j] = ansi.StringWidth(s)
			widths[j] = max(widths[j], cells[i][j])
		}
	}
	measure(0, t.header)
	for i, r := range t.rows {
		measure(i+1, r)
	}
	var b bytes.Buffer
	line := func(row int, r []string) {
		start := b.Len()
		for i, s := range r {
			if t.style != nil && s != "" {
				b.WriteString(t.style(row, i, s))
			} else {
				b.WriteString(s)
			}
			if i < len(r)-1 {
				pad(&b, widths[i]-cells[row+1][i]+2)
			}
		}
		// Drop the padding that empty cells at the end leave.
		n := len(bytes.TrimRight(b.Bytes()[start:], " "))
		b.Truncate(start + n)
		b.WriteByte('\n')
	}
	line(-1, t.header)
	for i, r := range t.rows {
		line(i, r)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// cleanCells returns a row with each cell cleaned.
func cleanCells(r []string) []string {
	out := make([]string, len(r))
	for i, s := range r {
		out[i] = safetext.Clean(s, 0)
	}
	return out
}

// pad writes n spaces.
func pad(b *bytes.Buffer, n int) {
	const spaces = "                                                                "
	for n > len(spaces) {
		b.WriteString(spaces)
		n -= len(spaces)
	}
	b.WriteString(spaces[:n])
}
