package pictures

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// Theme is a terminal's colours: the default foreground and background,
// and the 16 colours of its palette, which zconn's styles use.
type Theme struct {
	Foreground, Background color.RGBA
	ANSI                   [16]color.RGBA
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16 & 0xff), G: uint8(v >> 8 & 0xff), B: uint8(v & 0xff), A: 0xff}
}

// DefaultTheme is a dark theme (Tomorrow Night's palette).
var DefaultTheme = Theme{
	Foreground: rgb(0xc5c8c6),
	Background: rgb(0x1d1f21),
	ANSI: [16]color.RGBA{
		rgb(0x282a2e), rgb(0xcc6666), rgb(0xb5bd68), rgb(0xf0c674),
		rgb(0x81a2be), rgb(0xb294bb), rgb(0x8abeb7), rgb(0xc5c8c6),
		rgb(0x7c7f7d), rgb(0xd54e53), rgb(0xb9ca4a), rgb(0xe7c547),
		rgb(0x7aa6da), rgb(0xc397d8), rgb(0x70c0b1), rgb(0xeaeaea),
	},
}

// The geometry of a picture, in pixels: a cell, and the window around the
// terminal.
const (
	fontSize   = 14
	cellWidth  = 8.4
	cellHeight = 18
	margin     = 16 // between the window and the picture's edge
	padding    = 14 // between the window's edge and the text
	titleBar   = 30 // the window's title bar, with its three buttons
)

// Screen is what a terminal of a fixed size shows: its cells and cursor.
type Screen struct {
	Cols, Rows int
	cells      [][]uv.Cell
	cursor     uv.Position
	cursorOn   bool
}

// Emulate plays a program's output on a terminal emulator of cols by rows
// cells and returns the screen it leaves.
func Emulate(output []byte, cols, rows int) *Screen {
	emu := vt.NewEmulator(cols, rows)
	// The emulator answers terminal queries on its input: read and drop.
	drained := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, emu); close(drained) }()
	_, _ = emu.Write(output)
	s := &Screen{Cols: cols, Rows: rows, cells: make([][]uv.Cell, rows)}
	for y := range rows {
		s.cells[y] = make([]uv.Cell, cols)
		for x := range cols {
			if c := emu.CellAt(x, y); c != nil {
				s.cells[y][x] = *c
			}
		}
	}
	s.cursor, s.cursorOn = emu.CursorPosition(), !emu.CursorHidden()
	// Ending the input pipe ends the reader; Emulator.Close would race
	// with it.
	if in, ok := emu.InputPipe().(io.Closer); ok {
		_ = in.Close()
		<-drained
	}
	return s
}

// Text returns the screen's characters, one line per row, without
// trailing spaces.
func (s *Screen) Text() string {
	var b strings.Builder
	for _, row := range s.cells {
		var line strings.Builder
		for _, c := range row {
			switch {
			case c.Width == 0: // the second half of a wide character
			case c.Content == "":
				line.WriteByte(' ')
			default:
				line.WriteString(c.Content)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return b.String()
}

// look is how a cell is drawn, once colours and attributes are resolved.
type look struct {
	fg, bg            color.RGBA
	bold, italic      bool
	underline, strike bool
	hidden            bool
	// plainBg is the terminal's own background, which is not drawn.
	plainBg bool
}

func (t Theme) resolve(c color.Color, def color.RGBA) color.RGBA {
	switch c := c.(type) {
	case nil:
		return def
	case ansi.BasicColor:
		return t.ANSI[c&15]
	case ansi.IndexedColor:
		if c < 16 {
			return t.ANSI[c]
		}
	}
	r, g, b, _ := c.RGBA()
	return color.RGBA{R: uint8(r >> 8 & 0xff), G: uint8(g >> 8 & 0xff), B: uint8(b >> 8 & 0xff), A: 0xff}
}

func (t Theme) look(st uv.Style) look {
	l := look{
		fg:     t.resolve(st.Fg, t.Foreground),
		bg:     t.resolve(st.Bg, t.Background),
		bold:   st.Attrs&uv.AttrBold != 0,
		italic: st.Attrs&uv.AttrItalic != 0,
		strike: st.Attrs&uv.AttrStrikethrough != 0,
		hidden: st.Attrs&uv.AttrConceal != 0,
	}
	l.underline = st.Underline != ansi.UnderlineNone
	l.plainBg = st.Bg == nil
	if st.Attrs&uv.AttrReverse != 0 {
		l.fg, l.bg = l.bg, l.fg
		l.plainBg = false
	}
	if st.Attrs&uv.AttrFaint != 0 {
		l.fg = blend(l.fg, l.bg)
	}
	return l
}

// blend returns the colour halfway between a and b.
func blend(a, b color.RGBA) color.RGBA {
	mid := func(x, y uint8) uint8 { return x/2 + y/2 + x&y&1 }
	return color.RGBA{R: mid(a.R, b.R), G: mid(a.G, b.G), B: mid(a.B, b.B), A: 0xff}
}

func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// SVG draws the screen as an SVG picture of a terminal window. Every
// character is placed on its cell, so columns line up whatever monospace
// font the viewer has, and box-drawing characters are drawn as lines, so
// borders join.
func (s *Screen) SVG(t Theme, title string) []byte {
	w := 2*margin + 2*padding + float64(s.Cols)*cellWidth
	h := 2*margin + titleBar + padding + float64(s.Rows*cellHeight)
	ox, oy := float64(margin+padding), float64(margin+titleBar)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %[1]s %[2]s" role="img" aria-label="%s">`+"\n", num(w), num(h), esc(title))
	fmt.Fprintf(&b, "<title>%s</title>\n", esc(title))
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%s" rx="8" fill="%s" stroke="#3a3d41"/>`+"\n",
		margin, margin, num(w-2*margin), num(h-2*margin), hex(t.Background))
	for i, c := range []string{"#ff5f57", "#febc2e", "#28c840"} {
		fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="6" fill="%s"/>`+"\n", margin+padding+6+i*20, margin+titleBar/2, c)
	}
	fmt.Fprintf(&b, `<g font-family="ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace" font-size="%d">`+"\n", fontSize)

	looks := make([][]look, s.Rows)
	for y, row := range s.cells {
		looks[y] = make([]look, s.Cols)
		for x := range row {
			looks[y][x] = t.look(row[x].Style)
		}
	}
	cellX := func(x int) float64 { return ox + float64(x)*cellWidth }
	cellY := func(y int) float64 { return oy + float64(y*cellHeight) }

	// Backgrounds, one rectangle per run of cells.
	for y := range s.Rows {
		for x := 0; x < s.Cols; {
			l := looks[y][x]
			end := x + 1
			for end < s.Cols && looks[y][end].bg == l.bg && looks[y][end].plainBg == l.plainBg {
				end++
			}
			if !l.plainBg && l.bg != t.Background {
				fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%d" fill="%s"/>`+"\n",
					num(cellX(x)), num(cellY(y)), num(float64(end-x)*cellWidth), cellHeight, hex(l.bg))
			}
			x = end
		}
	}
	if s.cursorOn && s.cursor.Y >= 0 && s.cursor.Y < s.Rows && s.cursor.X >= 0 && s.cursor.X < s.Cols {
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%d" fill="%s" opacity="0.7"/>`+"\n",
			num(cellX(s.cursor.X)), num(cellY(s.cursor.Y)), num(cellWidth), cellHeight, hex(t.Foreground))
	}

	// Lines of box-drawing characters, one path per colour.
	paths := map[color.RGBA]*strings.Builder{}
	var pathOrder []color.RGBA
	for y, row := range s.cells {
		for x, c := range row {
			segs, ok := boxes[c.Content]
			if !ok || looks[y][x].hidden {
				continue
			}
			fg := looks[y][x].fg
			p := paths[fg]
			if p == nil {
				p = &strings.Builder{}
				paths[fg] = p
				pathOrder = append(pathOrder, fg)
			}
			segs.path(p, cellX(x), cellY(y))
		}
	}
	for _, fg := range pathOrder {
		fmt.Fprintf(&b, `<path d="%s" stroke="%s" stroke-width="1.2" fill="none"/>`+"\n", strings.TrimSpace(paths[fg].String()), hex(fg))
	}

	// Text, one element per run of characters that look alike, each
	// character at its cell.
	for y, row := range s.cells {
		for x := 0; x < s.Cols; {
			c, l := row[x], looks[y][x]
			if !drawn(c) || l.hidden {
				x++
				continue
			}
			var xs []string
			var text strings.Builder
			end := x
			for end < s.Cols {
				c := row[end]
				if !drawn(c) || looks[y][end] != l {
					break
				}
				if utf8.RuneCountInString(c.Content) > 1 && end > x {
					break // a cluster of several runes goes alone
				}
				xs = append(xs, num(cellX(end)))
				text.WriteString(esc(c.Content))
				end += max(1, c.Width)
				if utf8.RuneCountInString(c.Content) > 1 {
					break
				}
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" fill="%s"%s>%s</text>`+"\n",
				strings.Join(xs, " "), num(cellY(y)+cellHeight*0.75), hex(l.fg), textAttrs(l), text.String())
			x = end
		}
	}

	// Underlines and strike-throughs, spaces included.
	for y := range s.Rows {
		for x := range s.Cols {
			l := looks[y][x]
			if l.underline {
				fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="1" fill="%s"/>`+"\n",
					num(cellX(x)), num(cellY(y)+cellHeight-3), num(cellWidth), hex(l.fg))
			}
			if l.strike {
				fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="1" fill="%s"/>`+"\n",
					num(cellX(x)), num(cellY(y)+cellHeight/2), num(cellWidth), hex(l.fg))
			}
		}
	}
	b.WriteString("</g>\n</svg>\n")
	return b.Bytes()
}

// drawn reports whether a cell holds a character drawn as text.
func drawn(c uv.Cell) bool {
	if c.Content == "" || c.Content == " " || c.Width == 0 {
		return false
	}
	_, box := boxes[c.Content]
	return !box
}

func textAttrs(l look) string {
	var a string
	if l.bold {
		a += ` font-weight="bold"`
	}
	if l.italic {
		a += ` font-style="italic"`
	}
	return a
}

// num formats a coordinate with at most two decimals.
func num(f float64) string {
	return strconv.FormatFloat(float64(int(f*100+0.5))/100, 'f', -1, 64)
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func esc(s string) string { return xmlEscaper.Replace(s) }

// box is a box-drawing character: which of its cell's sides it reaches,
// and whether it turns with a rounded corner.
type box struct {
	left, right, up, down bool
	round                 bool
}

// path adds the character's lines in the cell at x, y to p.
func (k box) path(p *strings.Builder, x, y float64) {
	cx, cy := x+cellWidth/2, y+cellHeight/2
	r, bot := x+cellWidth, y+cellHeight
	if k.round {
		// A quarter circle from one side to the other, through the centre.
		var fx, fy, tx, ty float64
		if k.left {
			fx, fy = x, cy
		} else {
			fx, fy = r, cy
		}
		if k.up {
			tx, ty = cx, y
		} else {
			tx, ty = cx, bot
		}
		fmt.Fprintf(p, "M%s %sQ%s %s %s %s ", num(fx), num(fy), num(cx), num(cy), num(tx), num(ty))
		return
	}
	if k.left || k.right {
		from, to := cx, cx
		if k.left {
			from = x
		}
		if k.right {
			to = r
		}
		fmt.Fprintf(p, "M%s %sH%s ", num(from), num(cy), num(to))
	}
	if k.up || k.down {
		from, to := cy, cy
		if k.up {
			from = y
		}
		if k.down {
			to = bot
		}
		fmt.Fprintf(p, "M%s %sV%s ", num(cx), num(from), num(to))
	}
}

// boxes are the light box-drawing characters drawn as lines.
var boxes = map[string]box{
	"─": {left: true, right: true},
	"│": {up: true, down: true},
	"┌": {right: true, down: true},
	"┐": {left: true, down: true},
	"└": {right: true, up: true},
	"┘": {left: true, up: true},
	"├": {up: true, down: true, right: true},
	"┤": {up: true, down: true, left: true},
	"┬": {left: true, right: true, down: true},
	"┴": {left: true, right: true, up: true},
	"┼": {left: true, right: true, up: true, down: true},
	"╭": {right: true, down: true, round: true},
	"╮": {left: true, down: true, round: true},
	"╰": {right: true, up: true, round: true},
	"╯": {left: true, up: true, round: true},
}
