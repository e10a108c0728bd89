package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// TokenService is the service name of the keychain items that keep the
// last access token of each connection, beside its secret (service
// KeychainService); the account is the connection's ID, so a renamed
// connection keeps its token.
const TokenService = "zconn-token"

// ErrTokenNotCached means no token is kept for the connection.
var ErrTokenNotCached = errors.New("no cached token")

// CachedToken is an access token kept for reuse, with the credentials it
// was issued for and its lifetime.
type CachedToken struct {
	AccessToken string
	// Client names the API client and the host the token was issued by,
	// as the caller chose to say it, so that a token is never taken for
	// another client's after the connection changed.
	Client string
	// ObtainedAt is when the token was requested; ExpiresAt when it
	// expires.
	ObtainedAt, ExpiresAt time.Time
}

// String describes the token without the token itself.
func (t CachedToken) String() string {
	return "cached token (until " + t.ExpiresAt.UTC().Format(time.RFC3339) + ", redacted)"
}

// GoString is String, for %#v.
func (t CachedToken) GoString() string { return t.String() }

// TokenCache keeps the last access token of each connection, by ID, where
// its secret is kept. Every method honors the context's deadline and
// cancellation.
type TokenCache interface {
	// CachedToken returns the token kept for the connection, or an error
	// that wraps ErrTokenNotCached.
	CachedToken(ctx context.Context, id string) (CachedToken, error)
	// CacheToken keeps t for the connection, in place of any other.
	CacheToken(ctx context.Context, id string, t CachedToken) error
	// DropToken removes the token kept for the connection; none kept is
	// no error.
	DropToken(ctx context.Context, id string) error
}

// TokensOf returns the token cache that a secrets backend keeps beside
// its secrets, or nil when it keeps none. The OS keychain keeps one; the
// encrypted vault does not, as reading it needs its passphrase and a
// second of scrypt, more than a new token costs.
func TokensOf(s Secrets) TokenCache {
	if c, ok := s.(TokenCache); ok {
		return c
	}
	return nil
}

// tokenItem is how a CachedToken is kept in a keychain item: small JSON,
// the times in Unix seconds.
type tokenItem struct {
	Version     int    `json:"v"`
	AccessToken string `json:"access_token"`
	Client      string `json:"client"`
	ObtainedAt  int64  `json:"obtained_at"`
	ExpiresAt   int64  `json:"expires_at"`
}

// encodeToken returns the text a keychain item keeps for t.
func encodeToken(t CachedToken) (string, error) {
	item := tokenItem{Version: 1, AccessToken: t.AccessToken, Client: t.Client, ObtainedAt: t.ObtainedAt.Unix(), ExpiresAt: t.ExpiresAt.Unix()}
	b, err := json.Marshal(item) //nolint:gosec // G117: the keychain item is where the token is kept.
	return string(b), err
}

// decodeToken reads what encodeToken wrote. Anything else (another
// version, a damaged item) is an error that wraps ErrTokenNotCached: the
// token is fetched again and the item replaced.
func decodeToken(s string) (CachedToken, error) {
	var it tokenItem
	if err := json.Unmarshal([]byte(s), &it); err != nil || it.Version != 1 || it.AccessToken == "" || it.ExpiresAt <= it.ObtainedAt {
		return CachedToken{}, fmt.Errorf("%w: the kept token does not read", ErrTokenNotCached)
	}
	return CachedToken{AccessToken: it.AccessToken, Client: it.Client,
		ObtainedAt: time.Unix(it.ObtainedAt, 0).UTC(), ExpiresAt: time.Unix(it.ExpiresAt, 0).UTC()}, nil
}

// CachedToken reads the token kept beside the connection's secret (service
// TokenService).
func (k *Keychain) CachedToken(ctx context.Context, id string) (CachedToken, error) {
	s, err := withTimeout(ctx, k.timeout(), func() (string, error) {
		return k.ring.Get(TokenService, id)
	})
	if errors.Is(err, keyring.ErrNotFound) {
		return CachedToken{}, fmt.Errorf("the %s holds no token for this connection: %w", k.Backend(), ErrTokenNotCached)
	}
	if err != nil {
		return CachedToken{}, k.failing("reading", "token", err, "")
	}
	return decodeToken(s)
}

// CacheToken keeps t beside the connection's secret.
func (k *Keychain) CacheToken(ctx context.Context, id string, t CachedToken) error {
	item, err := encodeToken(t)
	if err != nil {
		return fmt.Errorf("encoding the token: %w", err)
	}
	_, err = withTimeout(ctx, k.timeout(), func() (struct{}, error) {
		return struct{}{}, k.ring.Set(TokenService, id, item)
	})
	if err == nil {
		return nil
	}
	// The item holds the token: neither may reach a message.
	e := k.failing("saving", "token", err, item)
	var se *SecretError
	if errors.As(e, &se) {
		se.Message = strings.ReplaceAll(se.Message, t.AccessToken, "[redacted]")
	}
	return e
}

// DropToken removes the token kept beside the connection's secret.
func (k *Keychain) DropToken(ctx context.Context, id string) error {
	_, err := withTimeout(ctx, k.timeout(), func() (struct{}, error) {
		return struct{}{}, k.ring.Delete(TokenService, id)
	})
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return k.failing("deleting", "token", err, "")
}
