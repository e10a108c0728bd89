// Command sdkprobe signs in to ZIdentity the way Zscaler's Go SDK (v3) does,
// from the variables its envconfig tags name, and prints what it read and
// what it got as JSON, without the secret, the key or the token. The
// end-to-end tests run it under zconn exec against the fake ZIdentity: the
// token URL the SDK would use is printed, and the request goes to
// ZCONN_ZIDENTITY_URL instead, trusting SSL_CERT_FILE.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// config holds the variables as the Go SDK's Configuration.Zscaler.Client
// reads them (envconfig tags).
type config struct {
	ClientID      string // ZSCALER_CLIENT_ID
	ClientSecret  string // ZSCALER_CLIENT_SECRET
	VanityDomain  string // ZSCALER_VANITY_DOMAIN
	Cloud         string // ZSCALER_CLOUD
	CustomerID    string // ZPA_CUSTOMER_ID
	MicrotenantID string // ZPA_MICROTENANT_ID
	PartnerID     string // ZSCALER_PARTNER_ID
	PrivateKey    []byte // ZSCALER_PRIVATE_KEY
}

// report is what the probe prints.
type report struct {
	ClientID      string `json:"client_id"`
	Auth          string `json:"auth"`
	SecretSet     bool   `json:"secret_set"`
	KeyPEMType    string `json:"key_pem_type,omitempty"`
	KeyBits       int    `json:"key_bits,omitempty"`
	VanityDomain  string `json:"vanity_domain"`
	Cloud         string `json:"cloud"`
	CustomerID    string `json:"customer_id"`
	MicrotenantID string `json:"microtenant_id"`
	PartnerID     string `json:"partner_id"`
	TokenURL      string `json:"token_url"`
	Status        int    `json:"status"`
	TokenType     string `json:"token_type"`
	TokenParts    int    `json:"token_parts"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sdkprobe:", err)
		os.Exit(1)
	}
}

func run() error {
	c := config{
		ClientID:      os.Getenv("ZSCALER_CLIENT_ID"),
		ClientSecret:  os.Getenv("ZSCALER_CLIENT_SECRET"),
		VanityDomain:  os.Getenv("ZSCALER_VANITY_DOMAIN"),
		Cloud:         os.Getenv("ZSCALER_CLOUD"),
		CustomerID:    os.Getenv("ZPA_CUSTOMER_ID"),
		MicrotenantID: os.Getenv("ZPA_MICROTENANT_ID"),
		PartnerID:     os.Getenv("ZSCALER_PARTNER_ID"),
		PrivateKey:    []byte(os.Getenv("ZSCALER_PRIVATE_KEY")),
	}
	r := report{
		ClientID: c.ClientID, SecretSet: c.ClientSecret != "", VanityDomain: c.VanityDomain, Cloud: c.Cloud,
		CustomerID: c.CustomerID, MicrotenantID: c.MicrotenantID, PartnerID: c.PartnerID,
	}
	if c.ClientID == "" || (c.ClientSecret == "" && len(c.PrivateKey) == 0) {
		return fmt.Errorf("no client credentials were provided")
	}
	// The token URL as the SDK builds it.
	r.TokenURL = fmt.Sprintf("https://%s.zslogin.net/oauth2/v1/token", c.VanityDomain)
	if c.Cloud != "" && !strings.EqualFold(c.Cloud, "PRODUCTION") {
		r.TokenURL = fmt.Sprintf("https://%s.zslogin%s.net/oauth2/v1/token", c.VanityDomain, strings.ToLower(c.Cloud))
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ClientID}, "audience": {"https://api.zscaler.com"}}
	if len(c.PrivateKey) > 0 {
		// As the SDK's authenticateWithCert: the key from PEM (PKCS#1 or
		// PKCS#8), an RS256 assertion of iss, sub, aud and exp.
		r.Auth = "private_key"
		if b, _ := pem.Decode(c.PrivateKey); b != nil {
			r.KeyPEMType = b.Type
		}
		key, err := jwt.ParseRSAPrivateKeyFromPEM(c.PrivateKey)
		if err != nil {
			return fmt.Errorf("error parsing private key: %w", err)
		}
		r.KeyBits = key.N.BitLen()
		assertion, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
			"iss": c.ClientID,
			"sub": c.ClientID,
			"aud": "https://api.zscaler.com",
			"exp": time.Now().Add(10 * time.Minute).Unix(),
		}).SignedString(key)
		if err != nil {
			return fmt.Errorf("error signing JWT: %w", err)
		}
		form.Set("client_assertion", assertion)
		form.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
	} else {
		r.Auth = "secret"
		form.Set("client_secret", c.ClientSecret)
	}
	target := r.TokenURL
	if base := os.Getenv("ZCONN_ZIDENTITY_URL"); base != "" {
		target = strings.TrimSuffix(base, "/") + "/oauth2/v1/token"
	}
	hc, err := client()
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// The SDK sends no Accept header; the fake ZIdentity insists on one.
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("error making request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	r.Status = resp.StatusCode
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(body, &tok); err == nil {
		r.TokenType = tok.TokenType
		if tok.AccessToken != "" {
			r.TokenParts = len(strings.Split(tok.AccessToken, "."))
		}
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// client trusts the certificates of SSL_CERT_FILE, on every system.
func client() (*http.Client, error) {
	file := os.Getenv("SSL_CERT_FILE")
	if file == "" {
		return http.DefaultClient, nil
	}
	pemData, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		return nil, fmt.Errorf("no certificate in %s", file)
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}, nil
}
