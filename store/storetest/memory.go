// Package storetest provides an in-memory secrets backend for tests, safe
// under t.Parallel (no global keyring mock), with injectable failures. It
// keeps a token cache beside the secrets, as the OS keychain does.
package storetest

import (
	"context"
	"fmt"
	"sync"

	"github.com/zconn/zconn/store"
)

// Memory is an in-memory store.Secrets and store.TokenCache that counts
// its calls.
type Memory struct {
	mu      sync.Mutex
	secrets map[string]string
	tokens  map[string]store.CachedToken
	fail    map[string]error
	block   map[string]bool
	calls   int
	gets    int
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{secrets: map[string]string{}, tokens: map[string]store.CachedToken{}, fail: map[string]error{}, block: map[string]bool{}}
}

// Fail makes every call of op ("set", "get", "delete" for secrets;
// "token-get", "token-set", "token-delete" for the token cache) return
// err; a nil err heals it.
func (m *Memory) Fail(op string, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil {
		delete(m.fail, op)
		return
	}
	m.fail[op] = err
}

// Block makes every call of op wait until its context ends, as a keychain
// waiting on an unlock prompt does.
func (m *Memory) Block(op string, on bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.block[op] = on
}

// Calls returns how many calls were made.
func (m *Memory) Calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}

// SecretReads returns how many times a secret was read (Get), whatever
// the outcome.
func (m *Memory) SecretReads() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gets
}

// Len returns how many secrets are held.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.secrets)
}

// Peek returns a held secret without counting a call.
func (m *Memory) Peek(id string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.secrets[id]
	return s, ok
}

// Remove drops a secret behind zconn's back, as a user deleting the
// keychain item would.
func (m *Memory) Remove(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.secrets, id)
}

func (m *Memory) begin(ctx context.Context, op string) error {
	m.mu.Lock()
	m.calls++
	err, block := m.fail[op], m.block[op]
	m.mu.Unlock()
	if block {
		<-ctx.Done()
		return &store.SecretError{Op: op, Kind: store.KindTimeout, Message: "the memory keychain did not answer: " + ctx.Err().Error(), Err: store.ErrTimeout}
	}
	return err
}

// Set stores a secret.
func (m *Memory) Set(ctx context.Context, id, secret string) error {
	if err := m.begin(ctx, "set"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.secrets[id] = secret
	return nil
}

// Get returns a secret.
func (m *Memory) Get(ctx context.Context, id string) (string, error) {
	m.mu.Lock()
	m.gets++
	m.mu.Unlock()
	if err := m.begin(ctx, "get"); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.secrets[id]
	if !ok {
		return "", notFound(id)
	}
	return s, nil
}

// Delete removes a secret.
func (m *Memory) Delete(ctx context.Context, id string) error {
	if err := m.begin(ctx, "delete"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.secrets[id]; !ok {
		return notFound(id)
	}
	delete(m.secrets, id)
	return nil
}

// CachedToken returns the token kept for a connection.
func (m *Memory) CachedToken(ctx context.Context, id string) (store.CachedToken, error) {
	if err := m.begin(ctx, "token-get"); err != nil {
		return store.CachedToken{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return store.CachedToken{}, fmt.Errorf("the memory keychain holds no token for %s: %w", id, store.ErrTokenNotCached)
	}
	return t, nil
}

// CacheToken keeps a token for a connection.
func (m *Memory) CacheToken(ctx context.Context, id string, t store.CachedToken) error {
	if err := m.begin(ctx, "token-set"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[id] = t
	return nil
}

// DropToken removes the token kept for a connection.
func (m *Memory) DropToken(ctx context.Context, id string) error {
	if err := m.begin(ctx, "token-delete"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tokens, id)
	return nil
}

// PeekToken returns a kept token without counting a call.
func (m *Memory) PeekToken(id string) (store.CachedToken, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	return t, ok
}

// SetToken keeps a token without counting a call, as an earlier zconn
// would have.
func (m *Memory) SetToken(id string, t store.CachedToken) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[id] = t
}

// Backend names the fake.
func (m *Memory) Backend() string { return "memory keychain" }

func notFound(id string) error {
	return &store.SecretError{Op: "reading", Kind: store.KindNotFound, Message: fmt.Sprintf("the memory keychain holds no secret for %s", id), Err: store.ErrSecretNotFound}
}
