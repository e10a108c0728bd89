package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/store/storetest"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

func TestFirstRunToSavedConnection(t *testing.T) {
	h := newHarness(t)
	h.contains("Before you begin", "Add API Client")
	h.golden()
	h.press("enter")
	h.typeText("prod")
	h.press("tab")
	h.typeText("EU production")
	h.press("tab")
	h.typeText("acme")
	h.contains("→ https://acme.zslogin.net/oauth2/v1/token")
	h.press("tab", "tab")
	h.typeText("cid-123")
	h.press("tab")
	if h.focused() != fMethod {
		t.Fatalf("focus on %v after the client ID; want the method", h.focused())
	}
	h.press("tab")
	h.paste(canary)
	h.press("tab")
	h.typeText("2027-03-31")
	t.Run("form", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	// enter moves to the closed More section, the last field, where it
	// verifies.
	h.press("enter", "enter")
	h.contains("The credentials work", "1 hour", "ZIAM, ZIA", "Super Admin")
	t.Run("verified", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	h.press("enter")
	h.contains("Created prod", "prod", "EU prod", "✓ ok · just now", "2027-03-31")
	t.Run("list", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	if n := h.srv.Requests(); n != 1 {
		t.Errorf("requests = %d; want 1", n)
	}
	conns, _ := h.mgr.Store.List()
	if len(conns) != 1 || conns[0].Name != "prod" || conns[0].Vanity != "acme" || conns[0].Cloud != "production" {
		t.Fatalf("saved %+v; want prod at acme", conns)
	}
	if s, _ := h.mem.Peek(conns[0].ID); s != canary {
		t.Errorf("keychain holds %q; want the secret", s)
	}
	h.assertNoCanary()
	_ = strings.Contains
}

// fillForm goes past the intro and fills every field but the secret,
// leaving the method as it is (a secret) and the focus on the secret.
func fillForm(h *harness, name, tenant, clientID string) {
	h.t.Helper()
	if h.wizard().step == stepIntro {
		h.press("enter")
	}
	h.typeText(name)
	h.press("tab", "tab")
	h.paste(tenant)
	h.press("tab", "tab")
	h.typeText(clientID)
	h.press("tab", "tab")
}

func TestRejectedSecretFixedThenSaved(t *testing.T) {
	h := newHarness(t)
	fillForm(h, "prod", "acme", "cid-123")
	h.paste("wrong-secret")
	h.press("ctrl+s")
	h.contains("✗ the client ID or secret was rejected (invalid_client")
	if h.focused() != fSecret {
		t.Errorf("focus on %v after a rejection; want the secret", h.focused())
	}
	f := h.wizard().form
	if f.value(fName) != "prod" || f.value(fTenant) != "acme" || f.value(fClientID) != "cid-123" {
		t.Errorf("the form lost what was typed: %q %q %q", f.value(fName), f.value(fTenant), f.value(fClientID))
	}
	t.Run("rejected", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	h.press("ctrl+u")
	h.paste(canary + "\n")
	h.press("ctrl+s")
	h.contains("The credentials work")
	h.press("enter")
	h.contains("Created prod")
	if conns, _ := h.mgr.Store.List(); len(conns) != 1 {
		t.Fatalf("saved %d connections; want 1", len(conns))
	}
	if n := h.srv.Requests(); n != 2 {
		t.Errorf("requests = %d; want 2 (the rejection and the fix)", n)
	}
	h.assertNoCanary()
}

func TestDuplicateNameIsCaughtAsTyped(t *testing.T) {
	h := newHarness(t, store.Connection{Name: "Prod", Vanity: "acme", ClientID: "cid-123"})
	h.press("n", "enter")
	h.typeText("prod")
	h.contains(`a connection named "Prod" already exists: choose another name`)
	t.Run("duplicate", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	h.press("tab", "tab")
	h.typeText("acme")
	h.press("tab", "tab")
	h.typeText("cid-123")
	h.press("tab", "tab")
	h.paste(canary)
	h.press("ctrl+s")
	if h.focused() != fName {
		t.Errorf("focus on %v; want the name", h.focused())
	}
	if n := h.srv.Requests(); n != 0 {
		t.Errorf("requests = %d; want none for a taken name", n)
	}
}

func TestTenantPastedAsURL(t *testing.T) {
	h := newHarness(t)
	h.press("enter")
	h.typeText("beta")
	h.press("tab", "tab")
	h.paste("https://acme-admin.zsloginbeta.net/#/home")
	h.contains("→ https://acme.zsloginbeta.net/oauth2/v1/token")
	if got := h.wizard().form.value(fCloud); got != "beta" {
		t.Errorf("cloud = %q; want beta, read from the pasted address", got)
	}
	t.Run("form", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	c := h.wizard().form.connection()
	if c.Vanity != "acme" || c.Cloud != "beta" {
		t.Errorf("connection tenant %q cloud %q; want acme, beta", c.Vanity, c.Cloud)
	}
}

func TestInvalidFieldsShowTheirFix(t *testing.T) {
	h := newHarness(t)
	h.press("enter", "tab", "tab")
	h.typeText("acme.zscaler.net")
	h.press("tab", "tab", "tab", "tab", "tab")
	h.typeText("31/12/2026")
	h.press("ctrl+s")
	h.contains("enter a name", "ZIA cloud", "enter the client ID", "paste the client secret", "YYYY-MM-DD")
	if h.focused() != fName {
		t.Errorf("focus on %v; want the first field in error, the name", h.focused())
	}
	h.golden()
}

func TestNetworkFailureOffersToSaveUnverified(t *testing.T) {
	h := newHarness(t)
	h.srv.SetFailure(zidentitytest.ServerError)
	fillForm(h, "prod", "acme", "cid-123")
	h.paste(canary)
	// enter moves on, past the expiry and the closed More section, and
	// on the last field verifies.
	h.press("enter", "enter", "enter")
	h.contains("failed with status 503", "save without verifying")
	h.golden()
	h.press("s")
	h.contains("Created prod (unverified", "never verified")
	conns, _ := h.mgr.Store.List()
	if len(conns) != 1 || conns[0].Verification != nil {
		t.Fatalf("saved %+v; want one connection, unverified", conns)
	}
}

func TestMissingZIAMWarnsWithoutBlocking(t *testing.T) {
	h := newHarness(t)
	h.srv.AddClient(zidentitytest.Client{ID: "cid-123", Secret: canary, Services: []zidentitytest.Service{{Product: "ZIA", Role: "Read Only"}}})
	fillForm(h, "prod", "acme", "cid-123")
	h.paste(canary)
	h.press("ctrl+s")
	h.contains("does not carry ZIAM", "ZIA", "Read Only")
	h.golden()
	h.press("enter")
	h.contains("Created prod", "⚠ no ZIAM")
}

func TestEscapeFromTheFormKeepsNothing(t *testing.T) {
	h := newHarness(t)
	fillForm(h, "prod", "acme", "cid-123")
	h.press("esc")
	h.contains("No connections yet")
	if h.mem.Calls() != 0 || h.srv.Requests() != 0 {
		t.Errorf("%d keychain calls and %d requests after leaving the wizard; want none", h.mem.Calls(), h.srv.Requests())
	}
	h.golden()
}

func TestGuideReopensFromTheForm(t *testing.T) {
	h := newHarness(t)
	fillForm(h, "prod", "acme", "cid-123")
	h.press("ctrl+g")
	h.contains("Add API Client", "back to the form")
	h.press("enter")
	if h.wizard().step != stepForm || h.wizard().form.value(fName) != "prod" {
		t.Errorf("after the guide: step %v name %q; want the form as it was", h.wizard().step, h.wizard().form.value(fName))
	}
}

func TestCloudCannotContradictThePastedAddress(t *testing.T) {
	h := newHarness(t)
	h.press("enter")
	h.typeText("beta")
	h.press("tab", "tab")
	h.paste("acme.zsloginbeta.net")
	h.press("tab")
	for range 4 {
		h.press("backspace")
	}
	h.typeText("gov")
	h.press("tab")
	h.contains("the tenant's address is in the beta cloud: set the cloud to beta")
	h.press("ctrl+s")
	if h.focused() != fCloud || h.srv.Requests() != 0 {
		t.Errorf("focus %v, %d requests; want the cloud, none", h.focused(), h.srv.Requests())
	}
}

func TestNamesHardToTypeOrSeeAreCaughtAsTyped(t *testing.T) {
	for name, tc := range map[string]struct{ typed, message string }{
		"like a flag":         {"-rf", `the name starts with "-", which commands read as an option`},
		"invisible character": {"pro\u200bd", "the name holds a character that cannot be seen (U+200B)"},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.press("enter")
			h.typeText(tc.typed)
			h.contains(tc.message)
		})
	}
}

// limitedSecrets is a memory keychain that holds at most limit bytes.
type limitedSecrets struct {
	*storetest.Memory
	limit int
}

func (l limitedSecrets) MaxSecretLen() int { return l.limit }

func TestFormRefusesASecretTooLarge(t *testing.T) {
	s := store.New(t.TempDir(), limitedSecrets{storetest.NewMemory(), 10})
	f := newForm(newCommon(context.Background(), Options{Manager: manager.New(s, nil)}), modeCreate, nil, nil)
	f.set(fSecret, canary)
	var tooBig *store.SecretTooLargeError
	if err := f.problem(fSecret); !errors.As(err, &tooBig) || tooBig.Limit != 10 || tooBig.Size != len(canary) {
		t.Errorf("got %v; want a *store.SecretTooLargeError of %d bytes over 10", err, len(canary))
	}
	f.set(fSecret, "short")
	if err := f.problem(fSecret); err != nil {
		t.Errorf("a short secret: got %v; want nil", err)
	}
}

// TestSecretZIdentityCannotIssueIsRefusedAsPasted pastes secrets that no
// backend keeps byte for byte: the field says why at once, without
// showing the secret, and nothing is sent.
func TestSecretZIdentityCannotIssueIsRefusedAsPasted(t *testing.T) {
	tests := []struct {
		name, pasted, message string
	}{
		{"a tab", canary + "\tmore", "the secret holds a tab or another control character"},
		{"an escape", canary + "\x1b[2J", "the secret holds a tab or another control character"},
		{"invalid UTF-8", canary + "\xff\xfe", "the secret is not valid UTF-8 text"},
		{"several lines", canary + "\nsecond line", "the secret has more than one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			fillForm(h, "prod", "acme", "cid-123")
			h.paste(tt.pasted)
			h.contains(tt.message)
			h.press("ctrl+s")
			h.contains(tt.message)
			if h.focused() != fSecret {
				t.Errorf("focus on %v; want the secret", h.focused())
			}
			if n := h.srv.Requests(); n != 0 {
				t.Errorf("requests = %d; want none for a secret refused at input", n)
			}
			h.paste(canary)
			if strings.Contains(h.text(), tt.message) {
				t.Error("the refusal stays after a good secret was pasted")
			}
			h.press("ctrl+s")
			h.contains("The credentials work")
			h.assertNoCanary()
		})
	}
}
