package sdkconfig

import (
	"errors"
	"os"
	"path/filepath"
)

// Discover looks where the SDKs look, in this order: the environment (read
// through getenv), home/.zscaler/zscaler.yaml (both SDKs) and
// cwd/zscaler.yaml (the Python SDK). It returns the setups that hold
// credentials, each once: when both paths are the same file (cwd is
// ~/.zscaler, or a link joins them), it is listed once. An empty home or cwd
// skips that place. Relative key paths are read from cwd.
//
// Places with nothing to import are left out silently: no variables, no
// file, a file without zscaler.client credentials, or a client whose secret
// is already gone (ErrNotFound, ErrNoSecret). Every other failure, such as
// a file that is not valid YAML or a setup without a vanity domain, is
// returned in problems, one *Error per place, so that a front end can show
// why a setup it expected is not offered.
func Discover(getenv func(string) string, home, cwd string) (found []*Setup, problems []error) {
	add := func(s *Setup, err error) {
		switch {
		case err == nil:
			found = append(found, s)
		case !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNoSecret):
			problems = append(problems, err)
		}
	}
	add(FromEnv(getenv, home, cwd))
	var seen []os.FileInfo
	for _, path := range Paths(home, cwd) {
		fi, err := os.Stat(path)
		if err == nil {
			if sameAsAny(fi, seen) {
				continue
			}
			seen = append(seen, fi)
		}
		add(FromFile(path, home, cwd))
	}
	return found, problems
}

// Paths returns the SDK YAML files Discover reads, in order:
// home/.zscaler/zscaler.yaml and cwd/zscaler.yaml, leaving out those whose
// folder is empty.
func Paths(home, cwd string) []string {
	var paths []string
	if home != "" {
		paths = append(paths, filepath.Join(home, ".zscaler", "zscaler.yaml"))
	}
	if cwd != "" {
		paths = append(paths, filepath.Join(cwd, "zscaler.yaml"))
	}
	return paths
}

func sameAsAny(fi os.FileInfo, seen []os.FileInfo) bool {
	for _, s := range seen {
		if os.SameFile(fi, s) {
			return true
		}
	}
	return false
}
