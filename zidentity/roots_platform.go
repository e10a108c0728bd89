//go:build darwin || windows

package zidentity

import (
	"crypto/tls"
	"crypto/x509"
	"os"
)

// tlsConfig trusts the platform's verifier and, when SSL_CERT_FILE is set,
// the certificates of that file too: on macOS and Windows Go's verifier
// does not read it, yet it is how an admin trusts a TLS-inspecting proxy's
// CA for zconn alone.
func tlsConfig() *tls.Config {
	file := os.Getenv("SSL_CERT_FILE")
	if file == "" {
		return nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil
	}
	return &tls.Config{RootCAs: pool}
}
