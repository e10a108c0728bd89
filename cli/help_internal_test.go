package cli

import (
	"regexp"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"
)

// tornFlag matches a line of wrapped help that ends inside a flag's name:
// the wrap breaks at hyphens, so "--private-key-file" could end a line as
// "--" or "--private-".
var tornFlag = regexp.MustCompile(`(^|[\s(])--([a-z-]*-)?$`)

// TestLongTextIsUnwrapped checks that every command's Long text holds each
// paragraph on one line, paragraphs separated by a blank line: fang's help
// wraps it to the terminal, and the man page turns every line break into a
// new paragraph, so a hard-wrapped Long breaks sentences there. Wrapped as
// fang's help wraps it on an 80-column terminal, no flag is torn at a
// hyphen. Examples keep their line structure: one indented command per
// line.
func TestLongTextIsUnwrapped(t *testing.T) {
	root := newRoot(newFactory(System{}))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		t.Run(c.CommandPath(), func(t *testing.T) {
			for i, p := range strings.Split(c.Long, "\n\n") {
				if strings.Contains(p, "\n") {
					t.Errorf("paragraph %d of Long is wrapped:\n%s\nwant one line", i+1, p)
				}
				if p != strings.TrimSpace(p) || (c.Long != "" && p == "") {
					t.Errorf("paragraph %d of Long is %q; want text without surrounding space", i+1, p)
				}
			}
			// fang renders Long as lipgloss text this wide, padded by 2.
			help := lipgloss.NewStyle().Width(80).PaddingLeft(2).Render(c.Long)
			for _, line := range strings.Split(help, "\n") {
				if line = strings.TrimRight(line, " "); tornFlag.MatchString(line) {
					t.Errorf("at 80 columns the help's line %q ends inside a flag; want the flag whole on one line", line)
				}
			}
			if c.Example == "" {
				return
			}
			for _, line := range strings.Split(c.Example, "\n") {
				if !strings.HasPrefix(line, "  ") || strings.TrimSpace(line) == "" || line[2] == ' ' {
					t.Errorf("example line %q; want one command per line, indented by two spaces", line)
				}
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
