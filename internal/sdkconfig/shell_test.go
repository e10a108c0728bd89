package sdkconfig

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEnvOrigins(t *testing.T) {
	names := []string{"ZSCALER_CLIENT_ID", "ZSCALER_CLIENT_SECRET"}
	tests := []struct {
		name  string
		files map[string]string // relative to home; "./" for cwd
		want  []string
	}{
		{"none", nil, nil},
		{"bashrc", map[string]string{".bashrc": "export ZSCALER_CLIENT_SECRET=" + canary + "\n"}, []string{".bashrc"}},
		{"several, in order", map[string]string{
			".zshrc":                   "export ZSCALER_CLIENT_ID=0oa1\n",
			".profile":                 "ZSCALER_CLIENT_SECRET='x'; export ZSCALER_CLIENT_SECRET\n",
			".config/fish/config.fish": "set -gx ZSCALER_CLIENT_ID 0oa1\n",
			"./.envrc":                 "export ZSCALER_CLIENT_SECRET=$(pass zscaler)\n",
		}, []string{".profile", ".zshrc", ".config/fish/config.fish", "./.envrc"}},
		{"a longer name is another variable", map[string]string{".bashrc": "export ZSCALER_CLIENT_ID_OLD=x\nexport MY_ZSCALER_CLIENT_SECRET=y\n"}, nil},
		{"other files are not read", map[string]string{".bash_history": "export ZSCALER_CLIENT_SECRET=x\n", ".zshenv": "export PATH=$PATH\n"}, nil},
		{"every startup file", map[string]string{
			".bashrc": "ZSCALER_CLIENT_ID", ".bash_profile": "ZSCALER_CLIENT_ID", ".bash_login": "ZSCALER_CLIENT_ID",
			".zshenv": "ZSCALER_CLIENT_ID", ".zprofile": "ZSCALER_CLIENT_ID",
		}, []string{".bashrc", ".bash_profile", ".bash_login", ".zshenv", ".zprofile"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, cwd := t.TempDir(), t.TempDir()
			resolve := func(rel string) string {
				if rest, ok := strings.CutPrefix(rel, "./"); ok {
					return filepath.Join(cwd, rest)
				}
				return filepath.Join(home, filepath.FromSlash(rel))
			}
			before := map[string]string{}
			for rel, text := range tt.files {
				path := resolve(rel)
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
				before[path] = text
			}
			var want []string
			for _, rel := range tt.want {
				want = append(want, resolve(rel))
			}
			got := EnvOrigins(home, cwd, names)
			if !slices.Equal(got, want) {
				t.Errorf("got %q; want %q", got, want)
			}
			for path, text := range before {
				if b, _ := os.ReadFile(path); string(b) != text {
					t.Errorf("%s changed", path)
				}
			}
		})
	}
}

// TestEnvOriginsSkipsWhatItCannotRead: a named pipe is not waited on, a
// link to a file already read is named once, and no names look at nothing.
func TestEnvOriginsSkipsWhatItCannotRead(t *testing.T) {
	home := t.TempDir()
	mkfifo(t, filepath.Join(home, ".bashrc"))
	if err := os.WriteFile(filepath.Join(home, ".zshrc"), []byte("export ZSCALER_CLIENT_SECRET=x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(home, ".zshrc"), filepath.Join(home, ".zshenv")); err != nil {
		t.Fatal(err)
	}
	got := EnvOrigins(home, "", []string{"ZSCALER_CLIENT_SECRET"})
	if want := []string{filepath.Join(home, ".zshenv")}; !slices.Equal(got, want) {
		t.Errorf("got %q; want %q: the link, read first, and not the file it names again", got, want)
	}
	if got := EnvOrigins(home, "", nil); got != nil {
		t.Errorf("no names: got %q; want nothing", got)
	}
}
