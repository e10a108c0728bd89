//go:build !windows

package cli

// cygwinTerminal reports whether fd is a Cygwin or MSYS terminal, which
// exists only on Windows.
func cygwinTerminal(uintptr) bool { return false }
