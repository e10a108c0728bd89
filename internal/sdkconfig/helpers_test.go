package sdkconfig

import (
	"encoding/pem"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// canary is the client secret every test uses, so that any place it shows
// up where it must not is easy to find.
const canary = "zc-canary-7f3e9a1c5b2d8e4f6a0b"

// canaryPEM is a PEM block standing for a private key; its base64 lines are
// unique to it. The package never parses keys, so random bytes do.
var canaryPEM = func() string {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 600)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b}))
}()

// pemLine is one of canaryPEM's base64 lines.
var pemLine = strings.Split(canaryPEM, "\n")[3]

// assertNoSecret fails when err's message, or anything it wraps, holds the
// canary secret or a line of the canary key.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for e := range allErrors(err) {
		msg := e.Error()
		if strings.Contains(msg, canary) || strings.Contains(msg, canary[:16]) || strings.Contains(msg, pemLine) {
			t.Errorf("error holds the secret: %q", msg)
		}
	}
	if strings.ContainsAny(err.Error(), "\r\n") {
		t.Errorf("error is not one line: %q", err.Error())
	}
}

// allErrors yields err and everything it wraps.
func allErrors(err error) func(func(error) bool) {
	return func(yield func(error) bool) {
		stack := []error{err}
		for len(stack) > 0 {
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if e == nil {
				continue
			}
			if !yield(e) {
				return
			}
			switch u := e.(type) {
			case interface{ Unwrap() []error }:
				stack = append(stack, u.Unwrap()...)
			case interface{ Unwrap() error }:
				stack = append(stack, u.Unwrap())
			}
		}
	}
}

// checkErr compares err with the wanted category and message fragments.
func checkErr(t *testing.T, err, want error, fragments ...string) {
	t.Helper()
	assertNoSecret(t, err)
	if want == nil {
		if err != nil {
			t.Fatalf("got error %v; want none", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("got error %v; want %v", err, want)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T; want *Error", err)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("got %q; want it to contain %q", err.Error(), f)
		}
	}
}

// writeFile writes a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// env returns a getenv that reads m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// fields is a Setup's fields as a test compares them.
type fields struct {
	ClientID, Secret, KeyPath, Vanity, Cloud, Customer, Microtenant, Partner string
	Kind                                                                     Kind
}

func fieldsOf(s *Setup) fields {
	return fields{
		ClientID: s.ClientID, Kind: s.Kind, Secret: s.Secret.Reveal(), KeyPath: s.KeyPath,
		Vanity: s.VanityDomain, Cloud: s.Cloud, Customer: s.CustomerID,
		Microtenant: s.MicrotenantID, Partner: s.PartnerID,
	}
}
