package manager

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// RefreshMargin is the most time before its expiry that a cached token is
// still handed out: a token is fetched again once less than RefreshMargin,
// or less than a tenth of its lifetime when that is shorter, is left.
const RefreshMargin = 60 * time.Second

// Reusable reports whether a cached token may be handed out at now: it
// is reused until RefreshMargin before it expires, or until less than a
// tenth of its lifetime is left, whichever comes later. A token that
// seems to come from the future (the clock went back), or that no server
// may send (zidentity.ValidAccessToken), is not reused.
func Reusable(t store.CachedToken, now time.Time) bool {
	lifetime := t.ExpiresAt.Sub(t.ObtainedAt)
	if !zidentity.ValidAccessToken(t.AccessToken) || lifetime <= 0 || now.Before(t.ObtainedAt.Add(-time.Minute)) {
		return false
	}
	margin := min(RefreshMargin, lifetime/10)
	return t.ExpiresAt.Sub(now) >= margin
}

// AccessToken is an access token for a saved connection, as
// Manager.AccessToken returns it.
type AccessToken struct {
	// Token is the access token itself.
	Token string
	// ExpiresAt is when it expires.
	ExpiresAt time.Time
	// Cached is true when it came from the token cache, without a request.
	Cached bool
	// AudienceLearned is true when the request found that the tenant
	// refuses the audience parameter, which is now recorded on the
	// connection.
	AudienceLearned bool
	// CacheErr is why a new token could not be kept for reuse: the cache
	// failed (nil when it was kept, or the secrets backend keeps no
	// tokens). The token is good all the same.
	CacheErr error
}

// String describes the token without the token itself.
func (t AccessToken) String() string {
	return fmt.Sprintf("access token (until %s, cached %t, redacted)", t.ExpiresAt.UTC().Format(time.RFC3339), t.Cached)
}

// GoString is String, for %#v.
func (t AccessToken) GoString() string { return t.String() }

// tokenClient is what a cached token is bound to: the API client and the
// host it asked (or that every request went elsewhere, HostOverride), so
// that a token outlives no change of either.
func (m *Manager) tokenClient(c store.Connection) string {
	host := Tenant(c).Host()
	if m.HostOverride {
		host = "(" + host + " overridden)"
	}
	return c.ClientID + "@" + host
}

// tokens returns the cache kept beside the secrets, or nil.
func (m *Manager) tokens() store.TokenCache { return store.TokensOf(m.Store.Secrets()) }

// AccessToken returns an access token for a saved connection: the one
// kept in the token cache while Reusable says it may be, with no request
// and without reading the secret; else a new one, which replaces it in the
// cache. fresh, for a caller whose token was refused, drops the kept one
// and fetches a new one, which is kept instead. Nothing is recorded but,
// when the request finds it, that the tenant refuses the audience.
func (m *Manager) AccessToken(ctx context.Context, c store.Connection, fresh bool) (AccessToken, error) {
	if err := m.CheckCloud(c); err != nil {
		return AccessToken{}, err
	}
	cache := m.tokens()
	if cache != nil && !fresh {
		t, err := cache.CachedToken(ctx, c.ID)
		switch {
		case err == nil && t.Client == m.tokenClient(c) && Reusable(t, m.now()):
			return AccessToken{Token: t.AccessToken, ExpiresAt: t.ExpiresAt, Cached: true}, nil
		case errors.Is(err, store.ErrTimeout), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			// The secret, in the same place, would wait as long again.
			return AccessToken{}, err
		}
		// Not kept, expiring, or unreadable: a new one replaces it.
	}
	if cache != nil && fresh {
		// Refused by its caller: not handed out again, even if no new
		// one can be had.
		_ = cache.DropToken(ctx, c.ID)
	}
	secret, err := m.Secret(ctx, c)
	if err != nil {
		return AccessToken{}, err
	}
	obtained := m.now()
	tok, err := m.token(ctx, c, secret)
	if err != nil {
		return AccessToken{}, err
	}
	out := AccessToken{Token: tok.AccessToken}
	if tok.Lifetime > 0 {
		out.ExpiresAt = obtained.Add(tok.Lifetime).UTC().Truncate(time.Second)
	}
	if tok.AudienceOmitted && !c.OmitAudience {
		if _, err := m.Store.RecordOmitAudience(context.WithoutCancel(ctx), c.ID); err == nil {
			out.AudienceLearned = true
		}
	}
	if cache != nil && tok.Lifetime > 0 {
		kept := store.CachedToken{AccessToken: tok.AccessToken, Client: m.tokenClient(c),
			ObtainedAt: obtained.UTC().Truncate(time.Second), ExpiresAt: out.ExpiresAt}
		out.CacheErr = cache.CacheToken(ctx, c.ID, kept)
	}
	return out, nil
}

// dropTokens removes the token that each backend (nil ones skipped) keeps
// for a connection, where it keeps tokens: when its credentials change or
// go, or its secret moves (none is handed out from the backend the secret
// left, nor one kept in the destination from before). The cache is only a
// cache, so a failure is not one of the caller's: a token left behind is
// bound to the client and host it was issued for (tokenClient), and no
// other connection has the ID.
func dropTokens(ctx context.Context, id string, backends ...store.Secrets) {
	for _, s := range backends {
		if cache := store.TokensOf(s); cache != nil {
			_ = cache.DropToken(ctx, id)
		}
	}
}
