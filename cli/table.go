package cli

import (
	"bytes"
	"io"
	"strings"

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
	// width, when positive, is the terminal's width, which no line
	// exceeds: the columns of fit give up room in turn, and what is still
	// too wide is cut with an ellipsis, so a row never wraps.
	width int
	fit   []fitColumn
	// wrapLast, with width, wraps the last column's text within the room
	// the others leave, instead of cutting it: the columns of fit give
	// up room so that it has minWrap cells, and it wraps in less when
	// they cannot (down to leastWrap, below which lines are cut).
	wrapLast bool
}

// fitColumn is a column that gives up room when the table is too wide for
// the terminal: its text is cut with an ellipsis down to min cells; when
// that is not enough and drop is set, the column goes.
type fitColumn struct {
	col, min int
	drop     bool
}

// minWrap is the room the columns of fit give up for a wrapped last
// column, and leastWrap the least it wraps in.
const minWrap, leastWrap = 20, 10

// ellipsis marks text that was cut.
const ellipsis = "…"

// layout returns each column's width, -1 for a column dropped, for the
// natural widths: as they are when the table fits, else after the columns
// of fit gave up room in turn.
func (t table) layout(natural []int) []int {
	widths := append([]int(nil), natural...)
	if t.width <= 0 {
		return widths
	}
	total := func() int {
		sum, n := 0, 0
		for _, w := range widths {
			if w >= 0 {
				sum += w
				n++
			}
		}
		return sum + 2*max(n-1, 0)
	}
	last := len(widths) - 1
	if t.wrapLast {
		// The last column wraps: it asks only for the room it must have.
		widths[last] = min(widths[last], minWrap)
	}
	for _, f := range t.fit {
		over := total() - t.width
		if over <= 0 {
			break
		}
		switch {
		case widths[f.col]-over >= f.min:
			widths[f.col] -= over
		case f.drop:
			widths[f.col] = -1
		default:
			widths[f.col] = min(widths[f.col], f.min)
		}
	}
	if t.wrapLast {
		room := t.width - (total() - widths[last])
		widths[last] = min(natural[last], max(room, leastWrap))
	}
	return widths
}

func (t table) write(w io.Writer) error {
	t.header = cleanCells(t.header)
	rows := make([][]string, len(t.rows))
	for i, r := range t.rows {
		rows[i] = cleanCells(r)
	}
	t.rows = rows
	natural := make([]int, len(t.header))
	for _, r := range append([][]string{t.header}, t.rows...) {
		for j, s := range r {
			natural[j] = max(natural[j], ansi.StringWidth(s))
		}
	}
	widths := t.layout(natural)
	last := len(widths) - 1
	var b bytes.Buffer
	line := func(row int, r []string) {
		// The cells as they fit their column: cut, or, for a wrapped last
		// column, in lines.
		cells := make([][]string, len(r))
		for i, s := range r {
			switch {
			case widths[i] < 0:
			case t.width > 0 && t.wrapLast && i == last:
				cells[i] = strings.Split(ansi.Wrap(s, widths[i], ""), "\n")
			default:
				cells[i] = []string{cut(s, widths[i])}
			}
		}
		for sub := 0; ; sub++ {
			more := false
			start := b.Len()
			for i := range r {
				if widths[i] < 0 {
					continue
				}
				s := ""
				if sub < len(cells[i]) {
					s = cells[i][sub]
				}
				more = more || sub+1 < len(cells[i])
				if t.style != nil && s != "" {
					b.WriteString(t.style(row, i, s))
				} else {
					b.WriteString(s)
				}
				if i < last {
					pad(&b, widths[i]-ansi.StringWidth(s)+2)
				}
			}
			// Drop the padding that empty cells at the end leave.
			n := len(bytes.TrimRight(b.Bytes()[start:], " "))
			b.Truncate(start + n)
			if t.width > 0 && ansi.StringWidth(b.String()[start:]) > t.width {
				cut := ansi.Truncate(b.String()[start:], t.width, ellipsis)
				b.Truncate(start)
				b.WriteString(cut)
			}
			b.WriteByte('\n')
			if !more {
				return
			}
		}
	}
	line(-1, t.header)
	for i, r := range t.rows {
		line(i, r)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeTSV writes the rows, without the header, as tab-separated values:
// each cell cleaned (no control characters, so no tab or line break) and
// whole, for scripts.
func (t table) writeTSV(w io.Writer) error {
	var b bytes.Buffer
	for _, r := range t.rows {
		b.WriteString(strings.Join(cleanCells(r), "\t"))
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// cut returns s in at most w cells: whole when it fits, else cut with an
// ellipsis, the spaces before it dropped.
func cut(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	if w < 1 {
		return ""
	}
	return strings.TrimRight(ansi.Truncate(s, w-1, ""), " ") + ellipsis
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
func pad(b *bytes.Buffer, n int) { b.WriteString(strings.Repeat(" ", n)) }
