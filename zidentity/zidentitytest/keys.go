package zidentitytest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sync"
	"testing"
)

// testKeys holds the keys Key generated, so that a test binary generates
// each at most once: a 4096-bit key takes a second or more.
var testKeys struct {
	sync.Mutex
	m map[string]*rsa.PrivateKey
}

// Key returns an RSA key of the given size for tests, generated on first
// use and shared by every test of the binary under the same name and size;
// a different name gives a different key (for "the wrong key").
func Key(tb testing.TB, name string, bits int) *rsa.PrivateKey {
	tb.Helper()
	testKeys.Lock()
	defer testKeys.Unlock()
	id := fmt.Sprintf("%s/%d", name, bits)
	if k := testKeys.m[id]; k != nil {
		return k
	}
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		tb.Fatalf("generating a %d-bit test key: %v", bits, err)
	}
	if testKeys.m == nil {
		testKeys.m = map[string]*rsa.PrivateKey{}
	}
	testKeys.m[id] = k
	return k
}

// PKCS8 returns k as PKCS#8 PEM (BEGIN PRIVATE KEY).
func PKCS8(k *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err) // an RSA key always marshals
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// PKCS1 returns k as PKCS#1 PEM (BEGIN RSA PRIVATE KEY).
func PKCS1(k *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
}
