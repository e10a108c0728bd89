package manager_test

import (
	"testing"
	"time"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
)

func TestStatusOf(t *testing.T) {
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		v       *store.Verification
		want    manager.Status
		failure string
	}{
		{"never", nil, manager.Status{Kind: manager.NeverVerified}, ""},
		{"verified", &store.Verification{At: at, OK: true, Products: []string{"ZIA", "ziam"}}, manager.Status{Kind: manager.Verified, At: at}, ""},
		{"verified without ZIAM", &store.Verification{At: at, OK: true, Products: []string{"ZIA"}}, manager.Status{Kind: manager.Verified, At: at, NoZIAM: true}, ""},
		{"verified, no products listed", &store.Verification{At: at, OK: true}, manager.Status{Kind: manager.Verified, At: at}, ""},
		{"rate limited", &store.Verification{At: at, Category: "rate_limited"}, manager.Status{Kind: manager.Failed, At: at, Category: "rate_limited"}, "rate limited"},
		{"failed, no category", &store.Verification{At: at}, manager.Status{Kind: manager.Failed, At: at}, ""},
		{"secret missing", &store.Verification{At: at, Category: store.CategorySecretMissing}, manager.Status{Kind: manager.SecretMissing, At: at}, "secret missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := manager.StatusOf(store.Connection{Verification: tt.v})
			if got != tt.want || got.Failure() != tt.failure {
				t.Errorf("got %+v (%q); want %+v (%q)", got, got.Failure(), tt.want, tt.failure)
			}
		})
	}
}

func TestLacksZIAM(t *testing.T) {
	tests := []struct {
		name string
		v    *store.Verification
		want bool
	}{
		{"no verification", nil, false},
		{"failed", &store.Verification{Products: []string{"ZIA"}}, false},
		{"ZIAM granted", &store.Verification{OK: true, Products: []string{"ZIA", "ZIAM"}}, false},
		{"only ZIA", &store.Verification{OK: true, Products: []string{"ZIA"}}, true},
		{"no products listed", &store.Verification{OK: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := manager.LacksZIAM(tt.v); got != tt.want {
				t.Errorf("got %v; want %v", got, tt.want)
			}
		})
	}
}
