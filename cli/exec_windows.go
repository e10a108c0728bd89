//go:build windows

package cli

import "os"

// relayedSignals are the signals exec catches while its child runs. On
// Windows it only catches Ctrl+C, so that zconn outlives the child and
// passes on its exit code: the console sends Ctrl+C to the child itself.
func relayedSignals() []os.Signal { return []os.Signal{os.Interrupt} }

// relay reports whether to pass sig on to the child: never on Windows,
// where processes cannot be sent signals and the console has already told
// the child.
func relay(os.Signal) bool { return false }

// exitStatus returns the child's exit code.
func exitStatus(ps *os.ProcessState) int { return ps.ExitCode() }
