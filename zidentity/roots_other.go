//go:build !darwin && !windows

package zidentity

import "crypto/tls"

// tlsConfig returns nil: here Go's own verifier reads the system roots and
// honors SSL_CERT_FILE and SSL_CERT_DIR.
func tlsConfig() *tls.Config { return nil }
