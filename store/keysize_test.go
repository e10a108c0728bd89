package store_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/zidentity"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// compactLen is the length of a private key's compact stored form
// (zidentity.PrivateKey.Encode) for an RSA key of bits bits, worked out
// rather than generated: base64 of the DER of SEQUENCE { version 1,
// e = 65537, p, q }, where p and q have bits/2 bits each with the top bit
// set, so each INTEGER takes a leading zero byte.
func compactLen(bits int) int {
	integer := func(content int) int { return 1 + derLenLen(content) + content }
	prime := bits/16 + 1
	content := integer(1) + integer(3) + 2*integer(prime)
	der := 1 + derLenLen(content) + content
	return 4 * ((der + 2) / 3)
}

// derLenLen is how many bytes DER takes to write a length of n.
func derLenLen(n int) int {
	switch {
	case n < 0x80:
		return 1
	case n < 0x100:
		return 2
	case n < 0x10000:
		return 3
	}
	return 4
}

// TestCompactLenMatchesEncode checks the arithmetic above against real
// keys, so that what it says of keys too large to generate in a test
// holds too.
func TestCompactLenMatchesEncode(t *testing.T) {
	for _, tt := range []struct{ bits, want int }{{2048, 368}, {3072, 540}, {4096, 712}} {
		key, err := zidentity.NewPrivateKey(zidentitytest.Key(t, "store", tt.bits))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(key.Encode()); got != tt.want || compactLen(tt.bits) != got {
			t.Errorf("%d bits: Encode gives %d bytes, the arithmetic %d; want both %d", tt.bits, got, compactLen(tt.bits), tt.want)
		}
	}
}

// TestKeySizePerPlatform checks, for the OS keychain of each system and
// for the vault, which key sizes fit in their compact form: 2048, 3072
// and 4096 bits everywhere; 16384 bits (2760 bytes) not in the Windows
// Credential Manager (2560) but in the macOS Keychain (about 2900);
// 32768 bits (5492 bytes) in neither. A refusal comes before anything is
// saved, and names the vault, which has no limit.
func TestKeySizePerPlatform(t *testing.T) {
	vault, _ := newVault(t, t.TempDir(), "pass")
	backends := []struct {
		name string
		s    store.Secrets
	}{
		{"windows", limitedSecrets{Memory: storetest.NewMemory(), limit: store.KeychainLimit("windows")}},
		{"darwin", limitedSecrets{Memory: storetest.NewMemory(), limit: store.KeychainLimit("darwin")}},
		{"linux", limitedSecrets{Memory: storetest.NewMemory(), limit: store.KeychainLimit("linux")}},
		{"vault", vault},
	}
	fits := map[string]map[int]bool{
		"windows": {2048: true, 3072: true, 4096: true, 16384: false, 32768: false},
		"darwin":  {2048: true, 3072: true, 4096: true, 16384: true, 32768: false},
		"linux":   {2048: true, 3072: true, 4096: true, 16384: true, 32768: true},
		"vault":   {2048: true, 3072: true, 4096: true, 16384: true, 32768: true},
	}
	if compactLen(16384) != 2760 || compactLen(32768) != 5492 {
		t.Fatalf("compact lengths %d and %d; want 2760 and 5492", compactLen(16384), compactLen(32768))
	}
	for _, b := range backends {
		for _, bits := range []int{2048, 3072, 4096, 16384, 32768} {
			t.Run(b.name+"/"+strconv.Itoa(bits), func(t *testing.T) {
				encoded := strings.Repeat("A", compactLen(bits))
				err := store.CheckKeyLen(b.s, encoded)
				if fits[b.name][bits] {
					if err != nil {
						t.Errorf("got %v; want the key to fit", err)
					}
					return
				}
				var tooLarge *store.SecretTooLargeError
				if !errors.As(err, &tooLarge) || !tooLarge.PrivateKey || tooLarge.Size != len(encoded) || tooLarge.Limit != store.SecretLimit(b.s) {
					t.Fatalf("got %#v; want a *SecretTooLargeError for a private key of %d bytes", err, len(encoded))
				}
				if msg := err.Error(); !strings.Contains(msg, "encrypted vault") || strings.Contains(msg, "pasted") || frontEndHint.MatchString(msg) {
					t.Errorf("message %q; want the vault named as a fact, without a front end's flag", msg)
				}
			})
		}
	}
}

// TestKeysRoundTripInTheVault keeps keys of 2048, 3072 and 4096 bits in
// their compact form in the encrypted vault, and reads each back as the
// same key.
func TestKeysRoundTripInTheVault(t *testing.T) {
	vault, _ := newVault(t, t.TempDir(), "pass")
	keyRoundTrip(t, vault)
}

// TestKeysRoundTripInTheRealKeychain does the same in the OS keychain (the
// Secret Service in CI).
func TestKeysRoundTripInTheRealKeychain(t *testing.T) {
	if os.Getenv("ZCONN_TEST_KEYRING") != "1" {
		t.Skip("set ZCONN_TEST_KEYRING=1 to use the real keychain")
	}
	keyRoundTrip(t, store.NewKeychain(10*time.Second))
}

func keyRoundTrip(t *testing.T, sec store.Secrets) {
	t.Helper()
	ctx := context.Background()
	s := store.New(t.TempDir(), sec)
	for _, bits := range []int{2048, 3072, 4096} {
		key, err := zidentity.NewPrivateKey(zidentitytest.Key(t, "store", bits))
		if err != nil {
			t.Fatal(err)
		}
		if err := store.CheckKeyLen(sec, key.Encode()); err != nil {
			t.Fatalf("%d bits: %v", bits, err)
		}
		c := conn("key" + strconv.Itoa(bits))
		c.AuthMethod = store.AuthPrivateKey
		saved, err := s.Create(ctx, c, key.Encode())
		if err != nil {
			t.Fatalf("%d bits: Create: %v", bits, err)
		}
		t.Cleanup(func() { _ = s.Delete(context.Background(), saved.ID) })
		got, err := s.Secret(ctx, saved.ID)
		if err != nil {
			t.Fatalf("%d bits: reading back: %v", bits, err)
		}
		back, err := zidentity.DecodePrivateKey(got)
		if err != nil || !back.Equal(key) {
			t.Errorf("%d bits: read back %v, %v; want the same key", bits, back, err)
		}
	}
}
