package cli

import (
	"testing"
	"time"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
)

func TestStatusText(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		v    *store.Verification
		want string
	}{
		{"never", nil, "never verified"},
		{"verified without ZIAM", &store.Verification{At: now, OK: true, Products: []string{"ZIA"}}, "verified just now, no ZIAM"},
		{"ok", &store.Verification{At: now.Add(-2 * time.Hour), OK: true}, "verified 2h ago"},
		{"ok just now", &store.Verification{At: now.Add(-10 * time.Second), OK: true}, "verified just now"},
		{"rejected", &store.Verification{At: now, Category: "rejected"}, "failed: rejected"},
		{"rate limited", &store.Verification{At: now, Category: "rate_limited"}, "failed: rate limited"},
		{"secret missing", &store.Verification{At: now, Category: store.CategorySecretMissing}, "failed: secret missing"},
		{"no category", &store.Verification{At: now}, "failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statusText(manager.StatusOf(store.Connection{Verification: tt.v}), now); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestExpiryText(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		expires store.Date
		want    string
	}{
		{"none", store.Date{}, ""},
		{"expired", store.NewDate(2026, 11, 27), "expired"},
		{"today", store.NewDate(2026, 11, 28), "expires today"},
		{"tomorrow", store.NewDate(2026, 11, 29), "expires tomorrow"},
		{"soon", store.NewDate(2026, 12, 3), "expires in 5 days"},
		{"later", store.NewDate(2027, 3, 31), "expires 2027-03-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := expiryText(store.Connection{SecretExpires: tt.expires}.Expiry(now)); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
