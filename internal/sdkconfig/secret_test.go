package sdkconfig

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretNeverPrints(t *testing.T) {
	s := &Setup{Path: "/x/zscaler.yaml", ClientID: "0oa1", Kind: ClientSecret, Secret: NewSecret(canary), VanityDomain: "acme"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("setup", "secret", s.Secret, "setup", s)
	jsonSetup, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"Sprint": fmt.Sprint(s.Secret, *s),
		"slog":   logged.String(),
		"json":   string(jsonSetup),
	}
	// Every verb, the wrong ones (%d) included: a wrong verb is what prints
	// a value raw.
	for _, verb := range []string{"%s", "%v", "%+v", "%#v", "%q", "%x", "%d"} {
		outputs["secret "+verb] = fmt.Sprintf(verb, s.Secret)
		outputs["setup "+verb] = fmt.Sprintf(verb, *s)
		outputs["setup pointer "+verb] = fmt.Sprintf(verb, s)
	}
	for name, out := range outputs {
		t.Run(name, func(t *testing.T) {
			if strings.Contains(out, canary) || strings.Contains(out, fmt.Sprintf("%x", canary)) {
				t.Errorf("got %q; want no secret", out)
			}
		})
	}
	if got := s.Secret.Reveal(); got != canary {
		t.Errorf("got Reveal %q; want the secret", got)
	}
	if !strings.Contains(outputs["secret %s"], "[redacted]") || !strings.Contains(outputs["slog"], "[redacted]") {
		t.Errorf("got %q and %q; want [redacted] in both", outputs["secret %s"], outputs["slog"])
	}
}

func TestSecretZero(t *testing.T) {
	var s Secret
	if !s.IsZero() || s.Reveal() != "" {
		t.Errorf("got IsZero %v, Reveal %q; want true, empty", s.IsZero(), s.Reveal())
	}
	if NewSecret("x").IsZero() {
		t.Errorf("got IsZero true for a secret; want false")
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{ClientSecret: "client secret", PrivateKey: "private key", 0: "no secret"} {
		if got := k.String(); got != want {
			t.Errorf("got %q; want %q", got, want)
		}
	}
}
