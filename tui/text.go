package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/zconn/zconn/internal/safetext"
)

// clean makes text from any source (the metadata file, a server, the
// environment) safe to draw: no escape sequences, control characters or
// bidirectional overrides, white space folded to single spaces. Pages pass
// every piece of text they draw through it, so what a screen shows never
// depends on where the text came from having been cleaned.
func clean(s string) string { return safetext.Clean(s, 0) }

// maxValue bounds a value the sheet draws: longer than any field a person
// types, short enough that a hand-edited file cannot fill the screen.
const maxValue = 1000

// sheet draws label and value lines, as the details and the verify pages
// show a connection. Values are cleaned as they are drawn; only the
// styled marks a page passes as lead or tail are drawn as they are.
type sheet struct {
	b      strings.Builder
	styles *Styles
	// indent is the space before each label; width, the value's.
	indent, width int
}

// row draws a label and a value.
func (sh *sheet) row(label, value string) { sh.marked(label, "", value, "") }

// marked draws a label and a value between a lead and a tail, styled
// marks of the page's own such as "✓ ok".
func (sh *sheet) marked(label, lead, value, tail string) {
	v := ansi.Wordwrap(lead+safetext.Clean(value, maxValue)+tail, max(10, sh.width), " ")
	v = strings.ReplaceAll(v, "\n", "\n"+strings.Repeat(" ", sh.indent+labelWidth))
	sh.b.WriteString(strings.Repeat(" ", sh.indent) + sh.styles.Label.Render(pad(label, labelWidth)) + v + "\n")
}

// blank draws an empty line.
func (sh *sheet) blank() { sh.b.WriteString("\n") }

// String returns what was drawn.
func (sh *sheet) String() string { return sh.b.String() }
