package cli

import (
	"runtime/debug"
	"testing"
)

func TestDescribe(t *testing.T) {
	goInstall := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v1.1.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-10-01T08:00:00Z"},
		}}, true
	}
	devel := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.modified", Value: "true"},
		}}, true
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	tests := []struct {
		name string
		s    stamp
		read func() (*debug.BuildInfo, bool)
		want string
	}{
		{
			"release build",
			stamp{"v1.2.0", "4f2a9c1d0e3b5a6978877665544332211aabbccd", "2026-11-28T12:00:00Z"},
			goInstall,
			"v1.2.0 (revision 4f2a9c1d0e3b, 2026-11-28T12:00:00Z)",
		},
		{
			"release build without build information",
			stamp{"v1.2.0", "4f2a9c1d0e3b5a6978877665544332211aabbccd", "2026-11-28T12:00:00Z"},
			none,
			"v1.2.0 (revision 4f2a9c1d0e3b, 2026-11-28T12:00:00Z)",
		},
		{
			"snapshot build",
			stamp{"v0.0.0-SNAPSHOT-069d091", "069d091aa", "2026-11-30T10:00:00Z"},
			devel,
			"v0.0.0-SNAPSHOT-069d091 (revision 069d091aa, 2026-11-30T10:00:00Z)",
		},
		{"version only", stamp{version: "v1.2.0"}, goInstall, "v1.2.0"},
		{"no version injected", stamp{commit: "4f2a9c1d0e3b", date: "2026-11-28T12:00:00Z"}, goInstall, "v1.1.0 (revision 0123456789ab, 2026-10-01T08:00:00Z)"},
		{"go install", stamp{}, goInstall, "v1.1.0 (revision 0123456789ab, 2026-10-01T08:00:00Z)"},
		{"go build with local changes", stamp{}, devel, "(devel) (revision 0123456789ab, with local changes)"},
		{"no build information", stamp{}, none, "unknown (no build information)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describe(tt.s, tt.read); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
