package humanpath_test

import (
	"path/filepath"
	"testing"

	"github.com/zconn/zconn/internal/humanpath"
)

// p builds a path with the system's separator from slash-separated parts.
func p(s string) string { return filepath.FromSlash(s) }

// abs makes a slash-separated absolute path absolute on this system too.
func abs(s string) string {
	if filepath.Separator == '\\' {
		return `C:` + filepath.FromSlash(s)
	}
	return s
}

func TestTilde(t *testing.T) {
	home := abs("/home/ana")
	tests := []struct {
		name, path, home, want string
	}{
		{"under home", abs("/home/ana/.config/zconn/vault.age"), home, p("~/.config/zconn/vault.age")},
		{"home given with a trailing separator", abs("/home/ana/.zscaler/zscaler.yaml"), abs("/home/ana/"), p("~/.zscaler/zscaler.yaml")},
		{"home itself", home, home, "~"},
		{"a folder beside home that starts alike", abs("/home/ana2/vault.age"), home, abs("/home/ana2/vault.age")},
		{"outside home", abs("/etc/zconn/vault.age"), home, abs("/etc/zconn/vault.age")},
		{"above home", abs("/home"), home, abs("/home")},
		{"a relative path", p("zscaler.yaml"), home, p("zscaler.yaml")},
		{"no home", abs("/home/ana/vault.age"), "", abs("/home/ana/vault.age")},
		{"home at the root", abs("/root/vault.age"), abs("/"), abs("/root/vault.age")},
		{"a relative home", abs("/home/ana/vault.age"), "ana", abs("/home/ana/vault.age")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := humanpath.Tilde(tt.path, tt.home); got != tt.want {
				t.Errorf("Tilde(%q, %q) = %q; want %q", tt.path, tt.home, got, tt.want)
			}
		})
	}
}

func TestTildeIn(t *testing.T) {
	home := abs("/home/ana")
	tests := []struct {
		name, msg, home, want string
	}{
		{"a path in a sentence", "cannot read " + abs("/home/ana/.zscaler/zscaler.yaml") + ": check it", home, "cannot read " + p("~/.zscaler/zscaler.yaml") + ": check it"},
		{"two paths", abs("/home/ana/a") + " and (" + abs("/home/ana/b") + ")", home, p("~/a") + " and (" + p("~/b") + ")"},
		{"a quoted path", `"` + abs("/home/ana/a") + `"`, home, `"` + p("~/a") + `"`},
		{"home inside another path", abs("/mnt") + abs("/home/ana/a"), home, abs("/mnt") + abs("/home/ana/a")},
		{"a folder beside home", abs("/home/ana2/a"), home, abs("/home/ana2/a")},
		{"no home", abs("/home/ana/a"), "", abs("/home/ana/a")},
		{"home at the root", "reading " + abs("/etc/x"), abs("/"), "reading " + abs("/etc/x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := humanpath.TildeIn(tt.msg, tt.home); got != tt.want {
				t.Errorf("TildeIn(%q, %q) = %q; want %q", tt.msg, tt.home, got, tt.want)
			}
		})
	}
}

func TestCutHome(t *testing.T) {
	for _, tt := range []struct {
		in, rest string
		ok       bool
	}{
		{"~", "", true},
		{"~/keys/zscaler.pem", "keys/zscaler.pem", true},
		{"~alice/keys", "", false},
		{"keys/~/x", "", false},
		{"/abs/path", "", false},
	} {
		if rest, ok := humanpath.CutHome(tt.in); rest != tt.rest || ok != tt.ok {
			t.Errorf("CutHome(%q) = %q, %v; want %q, %v", tt.in, rest, ok, tt.rest, tt.ok)
		}
	}
}
