package safetext

import "testing"

func TestClean(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "hello world", 0, "hello world"},
		{"escape sequences", "\x1b[2J\x1b[Hred\x1b[31m text\x1b[0m", 0, "red text"},
		{"osc title", "a\x1b]0;pwned\x07b", 0, "ab"},
		{"control characters", "a\x00b\x07c\x7fd", 0, "abcd"},
		{"newlines fold", "line one\r\nline two\n\n", 0, "line one line two"},
		{"bidi override", "abc\u202edef", 0, "abcdef"},
		{"c1 csi loses its introducer", "x\u009b2Jy", 0, "x2Jy"},
		{"cut with ellipsis", "abcdefghij", 5, "abcd…"},
		{"exact length kept", "abcde", 5, "abcde"},
		{"runes not bytes", "ééééé", 5, "ééééé"},
		{"leading space trimmed", "   a  b   ", 0, "a b"},
		{"invalid utf8 dropped", "a\xffb", 0, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in, tt.max); got != tt.want {
				t.Errorf("Clean(%q, %d) = %q; want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Prod tenant – EU", true},
		{"tab\there", false},
		{"esc\x1b[31m", false},
		{"rtl\u202e", false},
		{"bad\xff", false},
	}
	for _, tt := range tests {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}
