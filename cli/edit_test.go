package cli_test

import (
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
)

func TestEdit(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod", Description: "old", SecretExpires: store.NewDate(2030, 1, 1)}, canary)
	r := h.run("", "edit", "prod", "--description", "Production, EU", "--secret-expires", "2031-06-30")
	r.want(t, 0)
	c, _ := h.find("prod")
	if c.Description != "Production, EU" || c.SecretExpires.String() != "2031-06-30" || r.stdout != "Updated prod.\n" {
		t.Errorf("got %q %s, stdout %q", c.Description, c.SecretExpires, r.stdout)
	}
	if h.srv.Requests() != 0 {
		t.Errorf("editing the description made %d requests; want 0", h.srv.Requests())
	}
	h.run("", "edit", "prod", "--secret-expires", "none", "--description", "").want(t, 0)
	if c, _ := h.find("prod"); c.Description != "" || !c.SecretExpires.IsZero() {
		t.Errorf("got %q %s; want both cleared", c.Description, c.SecretExpires)
	}
}

func TestEditRotateSecret(t *testing.T) {
	const rotated = canary + "-rotated"
	h := newHarness(t)
	c := h.seed(store.Connection{Name: "prod"}, canary)
	h.srv.SetSecret(clientID, rotated)
	r := h.run(rotated+"\n", "edit", "prod", "--rotate-secret", "--secret-expires", "2031-01-31")
	r.want(t, 0)
	if want := "Rotated the secret of prod: verified, token lifetime 1 hour, products ZIAM, ZIA, user management proven.\nUpdated prod.\n"; r.stdout != want {
		t.Errorf("got %q; want %q", r.stdout, want)
	}
	if got, _ := h.mem.Peek(c.ID); got != rotated {
		t.Errorf("keychain holds %q; want the new secret", got)
	}
	if c, _ := h.find("prod"); c.SecretExpires.String() != "2031-01-31" || c.Verification == nil || !c.Verification.OK {
		t.Errorf("saved %+v; want the new expiry and the verification", c)
	}
}

func TestEditRotatePrompts(t *testing.T) {
	h := newHarness(t)
	h.seed(store.Connection{Name: "prod"}, "old-secret")
	h.tty, h.password = true, canary
	r := h.run("", "edit", "prod", "--rotate-secret")
	r.want(t, 0, "New client secret for prod (typing is hidden):")
}

func TestEditFailures(t *testing.T) {
	tests := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		message string
	}{
		{"rotation rejected", "wrong-secret", []string{"edit", "prod", "--rotate-secret"}, 1,
			"zconn: verifying the new credentials (nothing was changed): the client ID or secret was rejected"},
		{"empty secret", "", []string{"edit", "prod", "--rotate-secret"}, 2, "no client secret on standard input"},
		{"bad date", "", []string{"edit", "prod", "--secret-expires", "soon"}, 2, `--secret-expires: "soon" is not a date`},
		{"long description", "", []string{"edit", "prod", "--description", strings.Repeat("d", 513)}, 2, "shorten it to at most 512"},
		{"nothing", "", []string{"edit", "prod"}, 2, "nothing to change: give --description, --secret-expires, --zpa-customer-id, --zpa-microtenant-id, --partner-id, --rotate-secret, --rotate-key or --allow-unknown-cloud"},
		{"unknown", "", []string{"edit", "nosuch", "--description", "x"}, 1, `no such connection named "nosuch"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.seed(store.Connection{Name: "prod", Description: "kept"}, canary)
			h.run(tt.stdin, tt.args...).want(t, tt.code, tt.message)
			if got, _ := h.mem.Peek(c.ID); got != canary {
				t.Errorf("the keychain holds %q; want the old secret kept", got)
			}
			if c, _ := h.find("prod"); c.Description != "kept" {
				t.Errorf("description %q; want it kept", c.Description)
			}
		})
	}
}
