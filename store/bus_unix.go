//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package store

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/godbus/dbus/v5"
)

// busVariable is where D-Bus clients find the session bus.
const busVariable = "DBUS_SESSION_BUS_ADDRESS"

// useSessionBus makes sure that go-keyring reaches an existing D-Bus
// session bus, and never starts one.
//
// go-keyring reaches the Secret Service through godbus's shared
// connection, dbus.SessionBus, which reads DBUS_SESSION_BUS_ADDRESS and,
// when it is empty or "autolaunch:" (as in an SSH login), looks for
// /run/user/UID/bus and then runs dbus-launch: a new dbus-daemon, and
// through it a gnome-keyring-daemon, that outlive zconn, one pair for
// every call. Neither library takes an address or a connection from its
// caller, so zconn finds the bus itself and hands it over as godbus does
// after its own discovery: by setting DBUS_SESSION_BUS_ADDRESS in its
// environment. With no bus to be found it returns ErrNoSessionBus, and
// go-keyring is not called.
func useSessionBus() error {
	addr, err := sessionBusAddress(os.Getenv, os.Geteuid())
	if err != nil {
		return err
	}
	if os.Getenv(busVariable) == addr {
		return nil
	}
	return os.Setenv(busVariable, addr)
}

// sessionBusAddress returns the session bus's address: the variable's,
// else $XDG_RUNTIME_DIR/bus (/run/user/UID/bus when XDG_RUNTIME_DIR is
// not set) if that socket exists. It starts nothing.
func sessionBusAddress(getenv func(string) string, uid int) (string, error) {
	if addr := getenv(busVariable); addr != "" && addr != "autolaunch:" {
		return addr, nil
	}
	dir := getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = filepath.Join("/run/user", strconv.Itoa(uid))
	}
	path := filepath.Join(dir, "bus")
	if fi, err := os.Stat(path); err == nil && fi.Mode().Type() == fs.ModeSocket {
		return "unix:path=" + dbus.EscapeBusAddressValue(path), nil
	}
	return "", ErrNoSessionBus
}
