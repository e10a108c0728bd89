package pictures

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"
)

// svgDoc is what the tests read back from a picture.
type svgDoc struct {
	XMLName xml.Name  `xml:"svg"`
	Width   string    `xml:"width,attr"`
	Title   string    `xml:"title"`
	Rects   []svgRect `xml:"g>rect"`
	Paths   []svgPath `xml:"g>path"`
	Texts   []svgText `xml:"g>text"`
}

type svgRect struct {
	X     string `xml:"x,attr"`
	Width string `xml:"width,attr"`
	Fill  string `xml:"fill,attr"`
}

type svgPath struct {
	D      string `xml:"d,attr"`
	Stroke string `xml:"stroke,attr"`
}

type svgText struct {
	X      string `xml:"x,attr"`
	Fill   string `xml:"fill,attr"`
	Weight string `xml:"font-weight,attr"`
	Text   string `xml:",chardata"`
}

func render(t *testing.T, output string, cols, rows int) svgDoc {
	t.Helper()
	b := Emulate([]byte(output), cols, rows).SVG(DefaultTheme, "a <title> & more")
	var doc svgDoc
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("the SVG does not parse: %v\n%s", err, b)
	}
	return doc
}

func findText(doc svgDoc, text string) (svgText, bool) {
	i := slices.IndexFunc(doc.Texts, func(s svgText) bool { return s.Text == text })
	if i < 0 {
		return svgText{}, false
	}
	return doc.Texts[i], true
}

func TestSVGText(t *testing.T) {
	fg, bg := hex(DefaultTheme.Foreground), hex(DefaultTheme.Background)
	x := func(col int) string { return num(margin + padding + float64(col)*cellWidth) }
	tests := []struct {
		name, output, text string
		want               svgText
	}{
		{"plain", "hello", "hello", svgText{X: strings.Join([]string{x(0), x(1), x(2), x(3), x(4)}, " "), Fill: fg}},
		{"basic colour from the theme", "\x1b[31mred\x1b[0m", "red", svgText{Fill: hex(DefaultTheme.ANSI[1])}},
		{"bright colour from the theme", "\x1b[90mmuted", "muted", svgText{Fill: hex(DefaultTheme.ANSI[8])}},
		{"256 colours", "\x1b[38;5;196mhot", "hot", svgText{Fill: "#ff0000"}},
		{"true colour", "\x1b[38;2;1;2;3mrgb", "rgb", svgText{Fill: "#010203"}},
		{"bold", "\x1b[1mbold", "bold", svgText{Fill: fg, Weight: "bold"}},
		{"reverse swaps the colours", "\x1b[7msel", "sel", svgText{Fill: bg}},
		{"escaped", "<a&b>", "<a&b>", svgText{Fill: fg}},
		{"each word at its column", "ab  cd", "cd", svgText{X: x(4) + " " + x(5), Fill: fg}},
		{"after a wide character", "日x", "日x", svgText{X: x(0) + " " + x(2), Fill: fg}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, tt.output, 20, 2)
			got, ok := findText(doc, tt.text)
			if !ok {
				t.Fatalf("no text %q in %+v", tt.text, doc.Texts)
			}
			if tt.want.X == "" {
				tt.want.X = got.X
			}
			if got != (svgText{X: tt.want.X, Fill: tt.want.Fill, Weight: tt.want.Weight, Text: tt.text}) {
				t.Errorf("got %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestSVGBackground(t *testing.T) {
	doc := render(t, "\x1b[?25lab\x1b[7mcde\x1b[0m\x1b[42mf\x1b[0m", 10, 1)
	want := []svgRect{
		{X: num(margin + padding + 2*cellWidth), Width: num(3 * cellWidth), Fill: hex(DefaultTheme.Foreground)},
		{X: num(margin + padding + 5*cellWidth), Width: num(cellWidth), Fill: hex(DefaultTheme.ANSI[2])},
	}
	if !slices.Equal(doc.Rects, want) {
		t.Errorf("got rectangles %+v; want %+v", doc.Rects, want)
	}
}

func TestSVGCursor(t *testing.T) {
	tests := []struct {
		name, output string
		want         []svgRect
	}{
		{"shown where it is", "ab", []svgRect{{X: num(margin + padding + 2*cellWidth), Width: num(cellWidth), Fill: hex(DefaultTheme.Foreground)}}},
		{"hidden", "ab\x1b[?25l", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, tt.output, 10, 1).Rects; !slices.Equal(got, tt.want) {
				t.Errorf("got rectangles %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestSVGBoxDrawing(t *testing.T) {
	doc := render(t, "\x1b[90m┌─┐\r\n│x│\r\n└─┘", 5, 3)
	for _, tx := range doc.Texts {
		if strings.ContainsAny(tx.Text, "┌─┐│└┘") {
			t.Errorf("box-drawing drawn as text %q; want lines", tx.Text)
		}
	}
	if len(doc.Paths) != 1 || doc.Paths[0].Stroke != hex(DefaultTheme.ANSI[8]) {
		t.Fatalf("got paths %+v; want one in the border's colour", doc.Paths)
	}
	// Eight cells of border: two strokes per corner, one per straight piece.
	if n := strings.Count(doc.Paths[0].D, "M"); n != 4*2+4 {
		t.Errorf("got %d strokes; want 12", n)
	}
	if _, ok := findText(doc, "x"); !ok {
		t.Error("the text inside the box is missing")
	}
}

func TestSVGTitleAndSize(t *testing.T) {
	doc := render(t, "", 80, 24)
	if doc.Title != "a <title> & more" {
		t.Errorf("got title %q; want it unescaped", doc.Title)
	}
	if want := num(2*margin + 2*padding + 80*cellWidth); doc.Width != want {
		t.Errorf("got width %s; want %s", doc.Width, want)
	}
}

func TestEmulateText(t *testing.T) {
	// The alternate screen, a cursor move and a clear, as a TUI draws.
	out := "before\x1b[?1049h\x1b[2J\x1b[H\x1b[1;32mone\x1b[0m\x1b[3;2Htwo"
	got := Emulate([]byte(out), 10, 3).Text()
	if want := "one\n\n two\n"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}
