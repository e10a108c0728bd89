//go:build !windows

package cli

// defaultShell is the shell zconn env writes for unless told otherwise.
const defaultShell = "sh"
