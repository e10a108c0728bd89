package cli

import (
	"errors"
	"strings"

	"github.com/zconn/zconn/store"
)

// selectedName returns the connection a command whose NAME is optional
// works on: name when given, else the one ZCONN_CONNECTION names (fromEnv
// is then true), else "" for the default connection. A ZCONN_CONNECTION
// that names no connection is a usage error that names the variable,
// never a reason to fall back to the default.
func (f *factory) selectedName(name string) (selected string, fromEnv bool, err error) {
	if name != "" {
		return name, false, nil
	}
	env := f.sys.Getenv(envConnection)
	if strings.TrimSpace(env) == "" {
		return "", false, nil
	}
	st, err := f.store()
	if err != nil {
		return "", false, err
	}
	c, err := st.Find(env)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", false, usagef("%s=%s names no connection: set it to a name that zconn list shows, or unset it", envConnection, store.Quote(env))
	case err != nil:
		// The metadata file does not read: the command says why.
		return env, true, nil
	}
	return c.Name, true, nil
}
