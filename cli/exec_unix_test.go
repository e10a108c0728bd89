//go:build !windows

package cli

import (
	"os"
	"syscall"
	"testing"
)

func TestShouldRelay(t *testing.T) {
	tests := []struct {
		sig        os.Signal
		foreground bool
		want       bool
	}{
		{syscall.SIGTERM, true, true},
		{syscall.SIGTERM, false, true},
		{syscall.SIGHUP, true, true},
		{syscall.SIGUSR1, true, true},
		{syscall.SIGUSR2, false, true},
		// The terminal sends these to the whole foreground group itself.
		{syscall.SIGINT, true, false},
		{syscall.SIGQUIT, true, false},
		{syscall.SIGWINCH, true, false},
		{syscall.SIGINT, false, true},
		{syscall.SIGQUIT, false, true},
		{syscall.SIGWINCH, false, true},
	}
	for _, tt := range tests {
		if got := shouldRelay(tt.sig, tt.foreground); got != tt.want {
			t.Errorf("shouldRelay(%v, foreground %v) = %v; want %v", tt.sig, tt.foreground, got, tt.want)
		}
	}
}
