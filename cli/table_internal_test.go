package cli

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestTableFit(t *testing.T) {
	header := []string{"NAME", "DESCRIPTION", "CLIENT ID", "STATUS"}
	row := []string{"prod", "Production tenant of the EU", "0oa1b2c3d4e5f6g7", "verified 2h ago"}
	// Natural widths 4, 27, 16, 15 and three gaps of 2: 68 columns.
	fit := []fitColumn{{col: 1, min: 12, drop: true}, {col: 2, min: 10, drop: true}}
	tests := []struct {
		name  string
		width int
		want  []string
	}{
		{"fits", 68, []string{
			"NAME  DESCRIPTION                  CLIENT ID         STATUS",
			"prod  Production tenant of the EU  0oa1b2c3d4e5f6g7  verified 2h ago"}},
		{"the description is cut", 60, []string{
			"NAME  DESCRIPTION          CLIENT ID         STATUS",
			"prod  Production tenant…   0oa1b2c3d4e5f6g7  verified 2h ago"}},
		{"the description goes, the client ID is cut", 36, []string{
			"NAME  CLIENT ID      STATUS",
			"prod  0oa1b2c3d4e5…  verified 2h ago"}},
		{"both go", 30, []string{
			"NAME  STATUS",
			"prod  verified 2h ago"}},
		{"too narrow even then: cut, never wrapped", 12, []string{
			"NAME  STATUS",
			"prod  verif…"}},
		{"no terminal", 0, []string{
			"NAME  DESCRIPTION                  CLIENT ID         STATUS",
			"prod  Production tenant of the EU  0oa1b2c3d4e5f6g7  verified 2h ago"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			tab := table{header: header, rows: [][]string{row}, width: tt.width, fit: fit}
			if err := tab.write(&b); err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("at %d columns got\n%s\nwant\n%s", tt.width, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, l := range got {
				if tt.width > 0 && ansi.StringWidth(l) > tt.width {
					t.Errorf("line %q is wider than %d", l, tt.width)
				}
			}
		})
	}
}

func TestTableWrapsTheLastColumn(t *testing.T) {
	tab := table{header: []string{"", "NAME", "RESULT"}, width: 40, wrapLast: true,
		rows: [][]string{{"FAIL", "prod", "the client ID or secret was rejected: copy both again"}}}
	var b strings.Builder
	if err := tab.write(&b); err != nil {
		t.Fatal(err)
	}
	want := "      NAME  RESULT\n" +
		"FAIL  prod  the client ID or secret was\n" +
		"            rejected: copy both again\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestTableWrapsInTheRoomLeft gives the wrapped column less than minWrap
// cells, the others having given up all they can: it wraps in the room
// left, so no line is cut and no word lost.
func TestTableWrapsInTheRoomLeft(t *testing.T) {
	const result = "token lifetime 1 hour, products ZIAM, ZIA, user management proven"
	tab := table{header: []string{"", "NAME", "TENANT", "RESULT"}, width: 60, fit: []fitColumn{{col: 2, min: 12}}, wrapLast: true,
		rows: [][]string{{"ok", "production-eu-long-name", "acme.zslogin.net", result}}}
	var b strings.Builder
	if err := tab.write(&b); err != nil {
		t.Fatal(err)
	}
	var words []string
	col := strings.Index(b.String(), "RESULT") // the header is ASCII
	for i, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Errorf("line %q is %d cells wide; want at most 60", l, w)
		}
		if strings.Contains(l, ellipsis) && !strings.Contains(l, "acme.zslogi") {
			t.Errorf("line %q is cut", l)
		}
		if i > 0 {
			// The result starts where the header's RESULT does.
			words = append(words, strings.Fields(ansi.TruncateLeft(l, col, ""))...)
		}
	}
	if got := strings.Join(words, " "); got != result {
		t.Errorf("the result reads %q; want %q\n%s", got, result, b.String())
	}
}

func TestTableWidthIsMeasuredInCells(t *testing.T) {
	// Wide characters take two cells each.
	tab := table{header: []string{"NAME", "DESCRIPTION"}, width: 20, fit: []fitColumn{{col: 1, min: 4, drop: true}},
		rows: [][]string{{"東京", "東京のテナント東京のテナント"}}}
	var b strings.Builder
	if err := tab.write(&b); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if w := ansi.StringWidth(l); w > 20 {
			t.Errorf("line %q takes %d cells; want at most 20", l, w)
		}
	}
	if !strings.Contains(b.String(), "…") {
		t.Errorf("got\n%s\nwant the description cut with an ellipsis", b.String())
	}
}
