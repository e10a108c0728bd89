package store_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
)

// TestReadSized reads what a file holds whatever its size said: less (it
// shrank), as much, or more (it grew meanwhile), never more than the limit
// and one byte.
func TestReadSized(t *testing.T) {
	text := strings.Repeat("0123456789", 10)
	tests := []struct {
		name        string
		size, limit int64
		want        string
	}{
		{"as its size says", 100, 1000, text},
		{"shrank", 200, 1000, text},
		{"grew", 10, 1000, text},
		{"empty", 0, 1000, text},
		{"grew past the limit", 10, 50, text[:51]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := store.ReadSized(bytes.NewReader([]byte(text)), tt.size, tt.limit)
			if err != nil || string(got) != tt.want {
				t.Errorf("ReadSized(size %d, limit %d) = %d bytes, %v; want %d", tt.size, tt.limit, len(got), err, len(tt.want))
			}
		})
	}
}
