//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package store

// useSessionBus does nothing where the keychain is not reached over D-Bus
// (macOS, Windows).
func useSessionBus() error { return nil }
