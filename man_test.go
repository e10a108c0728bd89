package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestManPageKeepsParagraphs renders the man page with zconn man (fang's
// hidden command) and checks that its description holds the paragraphs
// zconn --help shows, each whole: the man page makes a paragraph of every
// line of the command's Long text, so a hard-wrapped Long would break its
// sentences there.
func TestManPageKeepsParagraphs(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildZconn(t)
	page, err := exec.Command(bin, "man").Output()
	if err != nil {
		t.Fatalf("zconn man: %v", err)
	}
	help, err := exec.Command(bin, "--help").Output()
	if err != nil {
		t.Fatalf("zconn --help: %v", err)
	}
	got := manDescription(t, string(page))
	want := helpParagraphs(string(help))
	if len(want) == 0 {
		t.Fatalf("zconn --help shows no description:\n%s", help)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the man page's description has %d paragraphs:\n%s\nwant the help's %d:\n%s",
			len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
}

// manDescription returns the paragraphs of a man page's DESCRIPTION
// section, roff's escapes undone.
func manDescription(t *testing.T, page string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(page, "\n.SH DESCRIPTION\n")
	if !ok {
		t.Fatalf("the man page has no DESCRIPTION section:\n%s", page)
	}
	section, _, _ := strings.Cut(rest, "\n.SH ")
	var paragraphs []string
	for _, line := range strings.Split(section, "\n") {
		if line == "" || strings.HasPrefix(line, ".") {
			continue // a macro such as .PP, or the empty text between two
		}
		line = strings.NewReplacer(`\&`, "", `\-`, "-", `\e`, `\`).Replace(line)
		paragraphs = append(paragraphs, line)
	}
	return paragraphs
}

var spaces = regexp.MustCompile(`\s+`)

// helpParagraphs returns the paragraphs of the description at the top of
// fang's help, before its USAGE block, each unwrapped into one line.
func helpParagraphs(help string) []string {
	top, _, _ := strings.Cut(ansi.Strip(help), "USAGE")
	var paragraphs []string
	for _, p := range regexp.MustCompile(`\n[ \t]*\n`).Split(top, -1) {
		if p = strings.TrimSpace(spaces.ReplaceAllString(p, " ")); p != "" {
			paragraphs = append(paragraphs, p)
		}
	}
	return paragraphs
}
