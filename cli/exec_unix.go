//go:build !windows

package cli

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// relayedSignals are the signals exec passes on to its child.
func relayedSignals() []os.Signal {
	return []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH}
}

// relay reports whether to pass sig on to the child. Ctrl+C, Ctrl+\ and
// window resizes are sent by the terminal to its whole foreground process
// group, which the child shares with zconn: passing them on again would
// deliver them twice (and a second interrupt makes tools such as Terraform
// stop at once, without cleaning up).
func relay(sig os.Signal) bool {
	return shouldRelay(sig, inTerminalForeground())
}

func shouldRelay(sig os.Signal, foreground bool) bool {
	switch sig {
	case syscall.SIGINT, syscall.SIGQUIT, syscall.SIGWINCH:
		return !foreground
	}
	return true
}

// inTerminalForeground reports whether zconn's process group is the
// foreground group of its controlling terminal.
func inTerminalForeground() bool {
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	defer tty.Close()
	pgrp, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && pgrp == syscall.Getpgrp()
}

// exitStatus returns the child's exit code, or 128 plus the signal that
// killed it, as shells report it.
func exitStatus(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
