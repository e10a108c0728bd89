package sdkconfig

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// ShellFiles returns the files where shells and direnv usually set
// variables, in the order EnvOrigins looks at them: home's .bashrc,
// .bash_profile, .bash_login, .profile, .zshenv, .zprofile, .zshrc and
// .config/fish/config.fish, then cwd's .envrc. An empty home or cwd skips
// its files.
func ShellFiles(home, cwd string) []string {
	var paths []string
	if home != "" {
		for _, name := range []string{".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshenv", ".zprofile", ".zshrc", filepath.Join(".config", "fish", "config.fish")} {
			paths = append(paths, filepath.Join(home, name))
		}
	}
	if cwd != "" {
		paths = append(paths, filepath.Join(cwd, ".envrc"))
	}
	return paths
}

// EnvOrigins returns the ShellFiles that mention any of the variables in
// names (such as a Setup's Variables), each once: where the variables of
// an imported setup probably come from, for a front end to name. A name
// counts only as a whole word, so ZSCALER_CLIENT_ID does not match
// ZSCALER_CLIENT_ID_OLD.
//
// It only reads: it never changes a file, and what it reads is neither
// kept nor returned. Files that do not exist, cannot be read, are not
// regular files (a named pipe is not waited on) or are larger than
// MaxFileSize are skipped. An empty result means no such file mentions
// them: they come from somewhere else, such as CI settings or the shell
// zconn was started from.
func EnvOrigins(home, cwd string, names []string) []string {
	var words []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			words = append(words, regexp.QuoteMeta(n))
		}
	}
	if len(words) == 0 {
		return nil
	}
	mention := regexp.MustCompile(`\b(?:` + strings.Join(words, "|") + `)\b`)
	var (
		found []string
		seen  []os.FileInfo
	)
	for _, path := range ShellFiles(home, cwd) {
		data, fi, err := readRegular(path, MaxFileSize)
		if err != nil || sameAsAny(fi, seen) {
			continue
		}
		seen = append(seen, fi)
		if mention.Match(data) {
			found = append(found, path)
		}
		clear(data)
	}
	return found
}
