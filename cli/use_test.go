package cli_test

import (
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
)

func TestUse(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, canary)
	h.seed(store.Connection{Name: "beta"}, canary)
	calls := h.mem.Calls()
	r := h.run("", "use", "BETA")
	r.want(t, 0)
	if r.stdout != "beta is now the default connection.\n" {
		t.Errorf("got %q", r.stdout)
	}
	if c, _ := h.find("beta"); !c.Default {
		t.Error("beta is not the default")
	}
	if c, _ := h.find("prod"); c.Default {
		t.Error("prod is still the default")
	}
	h.run("", "use", "nosuch").want(t, 1, `no such connection named "nosuch"`)
	assertNoSecretsUsed(t, h, calls)
}

func TestRename(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"renamed", []string{"rename", "prod", "acme-prod"}, 0, ""},
		{"taken", []string{"rename", "prod", "Other"}, 1, `zconn: a connection named "other" already exists: choose another name`},
		{"blank", []string{"rename", "prod", " "}, 2, "zconn: enter a name for the connection"},
		{"too long", []string{"rename", "prod", strings.Repeat("n", 65)}, 2, "zconn: the name has 65 characters: use at most 64"},
		{"unknown", []string{"rename", "nosuch", "x"}, 1, `no such connection named "nosuch"`},
		{"like a flag", []string{"rename", "prod", "--", "--yes"}, 2, `zconn: the name starts with "-", which commands read as an option`},
		{"invisible character", []string{"rename", "prod", "pro\u200bd"}, 2, "zconn: the name holds a character that cannot be seen (U+200B)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.seed(store.Connection{Name: "prod"}, canary)
			h.seed(store.Connection{Name: "other"}, canary)
			calls := h.mem.Calls()
			r := h.run("", tt.args...)
			if tt.code == 0 {
				r.want(t, 0)
				got, err := h.find("acme-prod")
				if err != nil || got.ID != c.ID || r.stdout != "Renamed prod to acme-prod.\n" {
					t.Errorf("got %+v, %v, %q; want the same connection renamed", got, err, r.stdout)
				}
			} else {
				r.want(t, tt.code, tt.message)
			}
			assertNoSecretsUsed(t, h, calls)
		})
	}
}
