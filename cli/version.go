package cli

import (
	"runtime/debug"
	"strings"
)

// The release build sets these at link time (see .goreleaser.yaml):
//
//	-X github.com/zconn/zconn/cli.version=v1.2.0
//	-X github.com/zconn/zconn/cli.commit=<the full commit hash>
//	-X github.com/zconn/zconn/cli.date=<the commit time, RFC 3339>
//
// They stay empty in go build, go install and go run builds.
var (
	version string
	commit  string
	date    string
)

// stamp is what a release build injects at link time.
type stamp struct {
	version, commit, date string
}

// Version describes the build, such as "v1.2.0 (revision 4f2a9c1d0e3b,
// 2026-11-28T12:00:00Z)": the version, commit and commit time a release
// build injected at link time when it set a version, else the module
// version with the VCS revision and commit time from read (go install and
// go build record them).
func Version(read func() (*debug.BuildInfo, bool)) string {
	return describe(stamp{version, commit, date}, read)
}

// describe describes the build from s when it has a version, else from
// the build information read returns.
func describe(s stamp, read func() (*debug.BuildInfo, bool)) string {
	if s.version != "" {
		return withDetails(s.version, s.commit, s.date, false)
	}
	info, ok := read()
	if !ok || info == nil {
		return "unknown (no build information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return withDetails(v, rev, at, modified)
}

// withDetails appends the short revision, the commit time and whether the
// tree had local changes to v, in parentheses, leaving out what is unknown.
func withDetails(v, rev, at string, modified bool) string {
	var parts []string
	if rev != "" {
		parts = append(parts, "revision "+rev[:min(len(rev), 12)])
	}
	if at != "" {
		parts = append(parts, at)
	}
	if modified {
		parts = append(parts, "with local changes")
	}
	if len(parts) > 0 {
		v += " (" + strings.Join(parts, ", ") + ")"
	}
	return v
}
