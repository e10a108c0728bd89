package cli

import (
	"context"
	"fmt"

	"github.com/zconn/zconn/store"
)

// The token cache of the secrets backend, once it is open: the OS keychain
// keeps one beside the secrets, the encrypted vault none (store.TokensOf).

// CachedToken reads the token kept for a connection.
func (l *lazySecrets) CachedToken(ctx context.Context, id string) (store.CachedToken, error) {
	s, err := l.get(ctx)
	if err != nil {
		return store.CachedToken{}, err
	}
	cache := store.TokensOf(s)
	if cache == nil {
		return store.CachedToken{}, fmt.Errorf("the %s keeps no tokens: %w", s.Backend(), store.ErrTokenNotCached)
	}
	return cache.CachedToken(ctx, id)
}

// CacheToken keeps a token for a connection, where the backend keeps
// tokens.
func (l *lazySecrets) CacheToken(ctx context.Context, id string, t store.CachedToken) error {
	s, err := l.get(ctx)
	if err != nil {
		return err
	}
	if cache := store.TokensOf(s); cache != nil {
		return cache.CacheToken(ctx, id, t)
	}
	return nil
}

// DropToken removes the token kept for a connection, if any.
func (l *lazySecrets) DropToken(ctx context.Context, id string) error {
	s, err := l.get(ctx)
	if err != nil {
		return err
	}
	if cache := store.TokensOf(s); cache != nil {
		return cache.DropToken(ctx, id)
	}
	return nil
}
