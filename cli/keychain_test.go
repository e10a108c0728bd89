package cli_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/zconn/zconn/store"
)

// failingRing is an OS keychain, as go-keyring exposes it, that fails every
// call with err, or, with block, never answers.
type failingRing struct {
	err   error
	block chan struct{}
}

func (r failingRing) wait() error {
	if r.block != nil {
		<-r.block
	}
	return r.err
}

func (r failingRing) Set(_, _, _ string) error { return r.wait() }
func (r failingRing) Get(_, _ string) (string, error) {
	return "", r.wait()
}
func (r failingRing) Delete(_, _ string) error { return r.wait() }

// TestKeychainFailuresNameTheWaysOut runs commands over a keychain that
// fails in each way store.Keychain tells apart: every message says what
// happened and names the ways out, the encrypted vault among them where
// the keychain cannot be used.
func TestKeychainFailuresNameTheWaysOut(t *testing.T) {
	vault := "use the encrypted vault (--secrets file or ZCONN_SECRETS=file)"
	tests := []struct {
		name  string
		kind  store.SecretErrorKind
		err   error
		block bool
		// want are the parts of the one error line.
		want []string
		// commands, when set, replaces the commands run.
		commands [][]string
	}{
		{"no session bus", store.KindNoBus, fmt.Errorf("finding the bus: %w", store.ErrNoSessionBus), false,
			[]string{"no D-Bus session bus", "in a desktop session or under dbus-run-session", vault}, nil},
		{"dbus-launch missing", store.KindNoBus, errors.New(`exec: "dbus-launch": executable file not found in $PATH`), false,
			[]string{"no D-Bus session bus", "in a desktop session or under dbus-run-session", vault}, nil},
		{"no secret service", store.KindNoService, errors.New("The name org.freedesktop.secrets was not provided by any .service files"), false,
			[]string{"no Secret Service is running", "gnome-keyring-daemon", vault}, nil},
		{"locked", store.KindLocked, errors.New("Cannot get secret of a locked object"), false,
			[]string{"is locked: unlock it", vault}, nil},
		{"unlock refused", store.KindLocked, errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), false,
			[]string{"is locked: unlock it", vault}, nil},
		{"waiting for an unlock prompt", store.KindTimeout, nil, true,
			[]string{"perhaps waiting for an unlock prompt", "ZCONN_KEYCHAIN_TIMEOUT", "zconn doctor", vault}, nil},
		{"unsupported", store.KindUnsupported, keyring.ErrUnsupportedPlatform, false,
			[]string{"no OS keychain zconn can use", vault}, nil},
		{"other", store.KindOther, errors.New("the daemon crashed"), false,
			[]string{"the daemon crashed", "running and unlocked", vault}, nil},
		{"not found", store.KindNotFound, keyring.ErrNotFound, false,
			[]string{`the secret of "prod" is missing from the Secret Service: enter it again with zconn edit prod --rotate-secret`},
			[][]string{{"token", "prod"}, {"test", "prod"}, {"env", "prod"}}},
		{"too large", store.KindTooLarge, keyring.ErrSetDataTooBig, false,
			[]string{"more than the Secret Service holds: check that only the client secret was pasted"},
			[][]string{addArgs("--name", "stage")}},
	}
	commands := [][]string{{"token", "prod"}, {"test", "prod"}, {"env", "prod"}, {"rm", "prod", "--yes"}, addArgs("--name", "stage")}
	for _, tt := range tests {
		run := commands
		if tt.commands != nil {
			run = tt.commands
		}
		for _, args := range run {
			t.Run(tt.name+"/"+args[0], func(t *testing.T) {
				h := newHarness(t)
				h.seed(store.Connection{Name: "prod"}, canary)
				ring := failingRing{err: tt.err}
				timeout := time.Duration(0)
				if tt.block {
					ring.block = make(chan struct{})
					t.Cleanup(func() { close(ring.block) })
					timeout = 20 * time.Millisecond
				}
				h.keychain = store.NewKeychainWith(ring, timeout)
				r := h.run(canary, args...)
				r.want(t, 1, "zconn: ")
				for _, part := range tt.want {
					if !strings.Contains(r.stderr, part) {
						t.Errorf("stderr %q; want it to say %q", r.stderr, part)
					}
				}
			})
		}
	}
}
