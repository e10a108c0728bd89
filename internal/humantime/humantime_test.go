package humantime

import (
	"testing"
	"time"
)

func TestAgo(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		before time.Duration
		want   string
	}{
		{-time.Hour, "just now"},
		{30 * time.Second, "just now"},
		{5 * time.Minute, "5m ago"},
		{2 * time.Hour, "2h ago"},
		{47 * time.Hour, "47h ago"},
		{3 * 24 * time.Hour, "3d ago"},
		{90 * 24 * time.Hour, "on 2026-08-30"},
	}
	for _, tt := range tests {
		if got := Ago(now.Add(-tt.before), now); got != tt.want {
			t.Errorf("Ago(now - %v) = %q; want %q", tt.before, got, tt.want)
		}
	}
}

func TestLifetime(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "not stated"},
		{time.Hour, "1 hour"},
		{24 * time.Hour, "24 hours"},
		{90 * time.Minute, "90 minutes"},
		{time.Minute, "1 minute"},
		{90 * time.Second, "1m30s"},
	}
	for _, tt := range tests {
		if got := Lifetime(tt.d); got != tt.want {
			t.Errorf("Lifetime(%v) = %q; want %q", tt.d, got, tt.want)
		}
	}
}
