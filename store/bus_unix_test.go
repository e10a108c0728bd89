//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package store

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestSessionBusAddress(t *testing.T) {
	withBus := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(withBus, "bus"))
	if err != nil {
		t.Skipf("no unix sockets here: %v", err)
	}
	t.Cleanup(func() { _ = l.Close() })
	odd := filepath.Join(t.TempDir(), "a b;c")
	if err := os.Mkdir(odd, 0o700); err != nil {
		t.Fatal(err)
	}
	lo, err := net.Listen("unix", filepath.Join(odd, "bus"))
	if err != nil {
		t.Skipf("no unix sockets here: %v", err)
	}
	t.Cleanup(func() { _ = lo.Close() })
	notSocket := t.TempDir()
	if err := os.WriteFile(filepath.Join(notSocket, "bus"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()

	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"the variable", map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/somewhere/bus", "XDG_RUNTIME_DIR": withBus}, "unix:path=/somewhere/bus"},
		{"the runtime folder's socket", map[string]string{"XDG_RUNTIME_DIR": withBus}, "unix:path=" + filepath.Join(withBus, "bus")},
		{"autolaunch is no address", map[string]string{"DBUS_SESSION_BUS_ADDRESS": "autolaunch:", "XDG_RUNTIME_DIR": withBus}, "unix:path=" + filepath.Join(withBus, "bus")},
		{"escaped", map[string]string{"XDG_RUNTIME_DIR": odd}, "unix:path=" + filepath.Join(filepath.Dir(odd), "a%20b%3bc", "bus")},
		{"no socket", map[string]string{"XDG_RUNTIME_DIR": empty}, ""},
		{"a file, not a socket", map[string]string{"XDG_RUNTIME_DIR": notSocket}, ""},
		{"autolaunch and no socket", map[string]string{"DBUS_SESSION_BUS_ADDRESS": "autolaunch:", "XDG_RUNTIME_DIR": empty}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sessionBusAddress(func(k string) string { return tt.env[k] }, 4242)
			if tt.want == "" {
				if !errors.Is(err, ErrNoSessionBus) {
					t.Errorf("sessionBusAddress = %q, %v; want ErrNoSessionBus", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("sessionBusAddress = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
