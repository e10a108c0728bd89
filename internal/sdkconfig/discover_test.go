package sdkconfig

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDiscover(t *testing.T) {
	const good = "zscaler:\n  client:\n    clientId: 0oa1b2c3d4e5f6g7h8i9\n    clientSecret: " + canary + "\n    vanityDomain: acme\n"
	const other = "zscaler:\n  client:\n    clientId: 0oaOTHERCLIENT99\n    clientSecret: " + canary + "\n    vanityDomain: beta-corp\n    cloud: beta\n"
	fullEnv := map[string]string{"ZSCALER_CLIENT_ID": "0oaENV", "ZSCALER_CLIENT_SECRET": canary, "ZSCALER_VANITY_DOMAIN": "acme"}

	type layout struct {
		homeFile, cwdFile string // contents; empty means no file
		cwdIsZscalerDir   bool   // cwd is home/.zscaler
		linkCwdToHome     bool   // cwd/zscaler.yaml is a link to the home file
	}
	tests := []struct {
		name     string
		env      map[string]string
		layout   layout
		want     []string // Summary of each setup found
		problems int
	}{
		{name: "none", env: map[string]string{}},
		{name: "environment only", env: fullEnv,
			want: []string{"environment variables (client ID 0oaENV, tenant acme)"}},
		{name: "home file only", layout: layout{homeFile: good},
			want: []string{"~/.zscaler/zscaler.yaml (client ID 0oa1…h8i9, tenant acme)"}},
		{name: "working directory file only", layout: layout{cwdFile: other},
			want: []string{"$CWD/zscaler.yaml (client ID 0oaO…NT99, tenant beta-corp (beta))"}},
		{name: "everything, in order", env: fullEnv, layout: layout{homeFile: good, cwdFile: other},
			want: []string{
				"environment variables (client ID 0oaENV, tenant acme)",
				"~/.zscaler/zscaler.yaml (client ID 0oa1…h8i9, tenant acme)",
				"$CWD/zscaler.yaml (client ID 0oaO…NT99, tenant beta-corp (beta))",
			}},
		{name: "working directory is ~/.zscaler", layout: layout{homeFile: good, cwdIsZscalerDir: true},
			want: []string{"~/.zscaler/zscaler.yaml (client ID 0oa1…h8i9, tenant acme)"}},
		{name: "working directory file links to the home file", layout: layout{homeFile: good, linkCwdToHome: true},
			want: []string{"~/.zscaler/zscaler.yaml (client ID 0oa1…h8i9, tenant acme)"}},
		{name: "secret already removed is left out silently",
			env:    map[string]string{"ZSCALER_CLIENT_ID": "0oaENV", "ZSCALER_VANITY_DOMAIN": "acme"},
			layout: layout{homeFile: "zscaler:\n  client:\n    clientId: 0oa1\n    vanityDomain: acme\n"}},
		{name: "a broken file is a problem, the others are found", env: fullEnv,
			layout:   layout{homeFile: "zscaler: [\n", cwdFile: other},
			want:     []string{"environment variables (client ID 0oaENV, tenant acme)", "$CWD/zscaler.yaml (client ID 0oaO…NT99, tenant beta-corp (beta))"},
			problems: 1},
		{name: "an incomplete environment is a problem",
			env:      map[string]string{"ZSCALER_CLIENT_SECRET": canary},
			problems: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, cwd := t.TempDir(), t.TempDir()
			homeFile := filepath.Join(home, ".zscaler", "zscaler.yaml")
			if tt.layout.homeFile != "" {
				writeFile(t, home, ".zscaler/zscaler.yaml", tt.layout.homeFile, 0o600)
			}
			if tt.layout.cwdIsZscalerDir {
				cwd = filepath.Join(home, ".zscaler")
			}
			if tt.layout.cwdFile != "" {
				writeFile(t, cwd, "zscaler.yaml", tt.layout.cwdFile, 0o600)
			}
			if tt.layout.linkCwdToHome {
				if err := os.Symlink(homeFile, filepath.Join(cwd, "zscaler.yaml")); err != nil {
					t.Skipf("cannot make a symbolic link: %v", err)
				}
			}
			found, problems := Discover(env(tt.env), home, cwd)
			var got []string
			for _, s := range found {
				got = append(got, s.Summary(home))
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, replaceCWD(w, cwd))
			}
			if len(got) != len(want) {
				t.Fatalf("got %q; want %q", got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("got %q; want %q", got[i], want[i])
				}
			}
			if len(problems) != tt.problems {
				t.Fatalf("got problems %v; want %d", problems, tt.problems)
			}
			for _, p := range problems {
				assertNoSecret(t, p)
				var e *Error
				if !errors.As(p, &e) {
					t.Errorf("got problem %T; want *Error", p)
				}
			}
		})
	}
}

func replaceCWD(s, cwd string) string {
	if len(s) >= 4 && s[:4] == "$CWD" {
		return cwd + s[4:]
	}
	return s
}

func TestPaths(t *testing.T) {
	tests := []struct {
		name, home, cwd string
		want            []string
	}{
		{"both", "/h", "/w", []string{filepath.Join("/h", ".zscaler", "zscaler.yaml"), filepath.Join("/w", "zscaler.yaml")}},
		{"no home", "", "/w", []string{filepath.Join("/w", "zscaler.yaml")}},
		{"neither", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Paths(tt.home, tt.cwd)
			if len(got) != len(tt.want) {
				t.Fatalf("got %q; want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("got %q; want %q", got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	home := filepath.Join(string(filepath.Separator), "home", "alice")
	tests := []struct {
		name  string
		setup Setup
		home  string
		want  string
	}{
		{"short client id kept whole", Setup{Path: filepath.Join(home, "zscaler.yaml"), ClientID: "0oa123", VanityDomain: "acme"}, home,
			"~" + string(filepath.Separator) + "zscaler.yaml (client ID 0oa123, tenant acme)"},
		{"production cloud not shown", Setup{ClientID: "0oa1b2c3d4e5f6g7h8i9", VanityDomain: "acme", Cloud: "PRODUCTION"}, home,
			"environment variables (client ID 0oa1…h8i9, tenant acme)"},
		{"private key", Setup{ClientID: "0oa1", VanityDomain: "acme", Cloud: "gov", Kind: PrivateKey}, home,
			"environment variables (client ID 0oa1, tenant acme (gov), private key)"},
		{"path outside home shown in full", Setup{Path: "/srv/zscaler.yaml", ClientID: "0oa1", VanityDomain: "acme"}, home,
			"/srv/zscaler.yaml (client ID 0oa1, tenant acme)"},
		{"no home", Setup{Path: filepath.Join(home, "zscaler.yaml"), ClientID: "0oa1", VanityDomain: "acme"}, "",
			filepath.Join(home, "zscaler.yaml") + " (client ID 0oa1, tenant acme)"},
		{"escape sequences removed", Setup{ClientID: "0oa1\x1b]0;pwned\x07", VanityDomain: "ac\x1b[31mme"}, home,
			"environment variables (client ID 0oa1, tenant acme)"},
		{"secret never shown", Setup{ClientID: "0oa1", VanityDomain: "acme", Kind: ClientSecret, Secret: NewSecret(canary)}, home,
			"environment variables (client ID 0oa1, tenant acme)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.setup.Summary(tt.home); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
