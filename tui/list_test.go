package tui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// seeded returns a harness with three connections: prod (default,
// verified), stage (expiring in 5 days, failed last time) and dev (never
// verified, on the beta cloud).
func seeded(t *testing.T) *harness {
	t.Helper()
	ok := &store.Verification{At: clock.Add(-2 * time.Hour), OK: true, Lifetime: 3600, Products: []string{"ZIAM", "ZIA"}, Roles: []string{"Super Admin"}}
	bad := &store.Verification{At: clock.Add(-26 * time.Hour), Category: "rejected", Message: "the client ID or secret was rejected: copy both again"}
	h := newHarness(t,
		store.Connection{Name: "prod", Description: "EU production", Vanity: "acme", ClientID: "cid-123", Verification: ok, SecretExpires: store.NewDate(2027, 3, 31), Default: true},
		store.Connection{Name: "stage", Description: "staging tenant", Vanity: "acme-stage", ClientID: "cid-456", Verification: bad, SecretExpires: store.NewDate(2026, 12, 3)},
		store.Connection{Name: "dev", Vanity: "acme-dev", Cloud: "beta", ClientID: "cid-789"},
	)
	h.srv.AddClient(zidentitytest.Client{ID: "cid-456", Secret: canary})
	h.srv.AddClient(zidentitytest.Client{ID: "cid-789", Secret: canary})
	return h
}

func TestConnectionsPage(t *testing.T) {
	h := seeded(t)
	calls := h.mem.Calls()
	h.start(Options{})
	h.contains("3 saved", "prod", "stage", "dev", "✓ ok · 2h ago", "✗ rejected", "· never verified", "⚠ in 5 days", "acme-dev (…")
	h.contains("The secret of stage: in 5 days. Rotate it with r.")
	h.golden()
	if n := h.mem.Calls() - calls; n != 0 {
		t.Errorf("opening the page made %d keychain calls; want none", n)
	}
	h.press("down")
	if h.text() == "" || !strings.Contains(h.text(), ">") {
		t.Fatal("no cursor")
	}
	if c, _ := h.m.home.selected(); c.Name != "stage" {
		t.Errorf("selected %q after down; want stage", c.Name)
	}
	h.press("?")
	h.contains("rotate secret", "test all", "copy client ID", "set default")
	t.Run("full help", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	h.press("q")
	if !h.quit {
		t.Error("q did not quit")
	}
}

func TestEmptyPage(t *testing.T) {
	h := newHarness(t)
	h.press("esc")
	h.contains("No connections yet. Press n")
	h.golden()
}

func TestDetails(t *testing.T) {
	h := seeded(t)
	h.press("enter")
	h.contains("prod (default)", "EU production", "acme (production cloud)", "https://acme.zslogin.net/oauth2/v1/token",
		"cid-123", "in the memory keychain, under the connection's ID conn0001", "never shown", "2027-03-31", "✓ ok", "1 hour", "ZIAM, ZIA", "Super Admin")
	h.golden()
	h.press("esc")
	if !onHome(h.m) {
		t.Errorf("esc left page %q; want the list", h.m.page.title())
	}
}

func TestFilter(t *testing.T) {
	h := seeded(t)
	h.press("/")
	h.typeText("STAG")
	h.contains("1 of 3", "stage")
	if strings.Contains(h.text(), "cid-123") {
		t.Error("the filter left prod on the page")
	}
	h.golden()
	h.press("enter")
	if c, _ := h.m.home.selected(); c.Name != "stage" {
		t.Errorf("selected %q; want stage", c.Name)
	}
	h.press("esc")
	h.contains("prod", "stage", "dev")
	h.press("/")
	h.typeText("zsloginbeta")
	h.contains("1 of 3", "dev")
	h.press("esc", "/")
	h.typeText("nothing-like-this")
	h.contains("No connection matches")
}

func TestTestOne(t *testing.T) {
	h := seeded(t)
	h.press("down", "t")
	h.contains("✓ stage: the credentials work")
	saved, _ := h.mgr.Store.Find("stage")
	if saved.Verification == nil || !saved.Verification.OK {
		t.Errorf("recorded %+v; want a success", saved.Verification)
	}
	h.srv.SetClientFailure("cid-456", zidentitytest.Forbid)
	h.press("t")
	h.contains("✗ stage: the API client is disabled", "✗ forbidden")
}

func TestTestAllWithOneDownAndOneRateLimited(t *testing.T) {
	h := seeded(t)
	h.srv.SetClientFailure("cid-456", zidentitytest.ServerError)
	h.srv.SetClientFailure("cid-789", zidentitytest.RateLimit)
	h.press("T")
	h.contains("Tested 3: 1 ok, 2 failed", "✓ ok · just now", "✗ service error", "✗ rate limited")
	h.golden()
	if n := h.srv.Requests(); n != 3 {
		t.Errorf("requests = %d; want 3", n)
	}
}

func TestExpiredSecretTestSaysSoFirst(t *testing.T) {
	h := newHarness(t, store.Connection{Name: "old", Vanity: "acme", ClientID: "cid-123", SecretExpires: store.NewDate(2026, 11, 1)})
	h.contains("✗ expired", "The secret of old: expired")
	h.srv.SetSecret("cid-123", "rotated-in-portal")
	h.press("t")
	h.contains("✗ old: the secret expired on 2026-11-01")
}

func TestEditRenameKeepsTheSecret(t *testing.T) {
	h := seeded(t)
	h.press("e")
	h.contains("Edit prod", "Client secret unchanged")
	t.Run("form", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	for range 10 {
		h.press("backspace")
	}
	h.typeText("production")
	h.press("ctrl+s")
	h.contains("Saved production", "production")
	c, err := h.mgr.Store.Find("production")
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := h.mem.Peek(c.ID); s != canary || h.srv.Requests() != 0 {
		t.Errorf("secret %q after rename with %d requests; want it kept without asking ZIdentity", s, h.srv.Requests())
	}
}

func TestEditClientIDReverifies(t *testing.T) {
	h := seeded(t)
	h.press("e", "tab", "tab", "tab", "tab")
	for range 10 {
		h.press("backspace")
	}
	h.typeText("unknown-client")
	h.press("ctrl+s")
	h.contains("nothing was changed", "rejected")
	if h.focused() != fSecret {
		t.Errorf("focus on %v; want the secret", h.focused())
	}
	if c, _ := h.mgr.Store.Find("prod"); c.ClientID != "cid-123" {
		t.Errorf("client ID = %q after a failed edit; want it unchanged", c.ClientID)
	}
	h.press("esc")
	if !onHome(h.m) {
		t.Error("esc did not leave the editor")
	}
}

func TestRotateRejectedKeepsTheOldSecret(t *testing.T) {
	h := seeded(t)
	c, _ := h.mgr.Store.Find("prod")
	h.press("r")
	h.contains("Rotate the secret of prod", "New secret", "the old one stays until this one works")
	h.paste("not-the-new-one")
	h.press("ctrl+s")
	h.contains("rejected", "nothing was changed")
	t.Run("rejected", func(t *testing.T) { h.t = t; h.golden() })
	h.t = t
	if s, _ := h.mem.Peek(c.ID); s != canary {
		t.Errorf("secret = %q after a rejected rotation; want the old one", s)
	}
	h.srv.SetSecret("cid-123", "the-new-secret")
	h.press("ctrl+u")
	h.paste("the-new-secret")
	h.press("tab", "ctrl+u")
	h.typeText("2027-09-30")
	h.press("enter")
	h.contains("Rotated the secret of prod; the new one works", "2027-09-30")
	if s, _ := h.mem.Peek(c.ID); s != "the-new-secret" {
		t.Errorf("secret = %q; want the new one", s)
	}
}

func TestDeleteAsksThenRemovesBoth(t *testing.T) {
	h := seeded(t)
	c, _ := h.mgr.Store.Find("prod")
	h.press("d")
	h.contains(`Delete the connection "prod"?`, "its secret from the memory keychain")
	h.golden()
	h.press("n")
	if conns, _ := h.mgr.Store.List(); len(conns) != 3 {
		t.Fatal("n deleted the connection")
	}
	h.press("d", "y")
	h.contains("Deleted prod and its secret", "2 saved")
	if _, ok := h.mem.Peek(c.ID); ok {
		t.Error("the secret is still in the keychain")
	}
}

func TestDeleteWhenTheSecretIsAlreadyGone(t *testing.T) {
	h := seeded(t)
	c, _ := h.mgr.Store.Find("prod")
	h.mem.Remove(c.ID)
	h.press("d", "y")
	h.contains("Deleted prod")
	if conns, _ := h.mgr.Store.List(); len(conns) != 2 {
		t.Errorf("%d connections left; want 2", len(conns))
	}
}

func TestDeleteFailureLeavesTheConnection(t *testing.T) {
	h := seeded(t)
	h.mem.Fail("delete", &store.SecretError{Message: "the keyring is locked: unlock it and try again", Err: fmt.Errorf("locked")})
	h.press("d", "y")
	h.contains("nothing was deleted: the keyring is locked", "3 saved")
}

func TestSetDefault(t *testing.T) {
	h := seeded(t)
	h.press("down", "s")
	h.contains("stage is now the default connection")
	if d, _ := h.mgr.Store.Default(); d.Name != "stage" {
		t.Errorf("default = %q; want stage", d.Name)
	}
}

func TestCopyClientID(t *testing.T) {
	h := seeded(t)
	h.press("c")
	h.contains("Copied the client ID of prod")
	found := false
	for _, m := range h.msgs {
		if fmt.Sprintf("%T", m) == "tea.setClipboardMsg" && fmt.Sprint(m) == "cid-123" {
			found = true
		}
	}
	if !found {
		t.Error("no OSC 52 clipboard message with the client ID")
	}
}

func TestHostileTextIsStripped(t *testing.T) {
	h := seeded(t)
	// A hand-edited file can hold what the form refuses.
	b, _ := os.ReadFile(h.mgr.Store.Path())
	b = []byte(strings.Replace(string(b), `"EU production"`, `"\u001b[2J\u001b]0;pwned\u0007EU\u202e prod"`, 1))
	os.WriteFile(h.mgr.Store.Path(), b, 0o600)
	h.start(Options{})
	v := h.m.View().Content
	if strings.Contains(v, "\x1b[2J") || strings.Contains(v, "pwned\a") || strings.Contains(v, "\u202e") {
		t.Error("the description's escape sequences reached the screen")
	}
	h.contains("EU prod")
}

func TestResizeReflows(t *testing.T) {
	h := seeded(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}, {100, 30}} {
		h.send(teaSize(size[0], size[1]))
		h.fits()
	}
	h.send(teaSize(120, 40))
	h.contains("DESCRIPTION", "EU production", "staging tenant")
	t.Run("wide", func(t *testing.T) { h.t = t; h.golden() })
}

func TestZIdentityURLIsShown(t *testing.T) {
	h := seeded(t)
	h.start(Options{BaseURL: "https://127.0.0.1:8443"})
	h.contains("ZCONN_ZIDENTITY_URL=https://127.0.0.1:8443")
	h.press("enter")
	h.contains("https://127.0.0.1:8443/oauth2/v1/token")
}

var _ = context.Background

func TestMissingSecretSaysHowToEnterIt(t *testing.T) {
	h := seeded(t)
	c, _ := h.mgr.Store.Find("prod")
	h.mem.Remove(c.ID)
	h.press("t")
	h.contains(`✗ prod: the secret of "prod" is missing from the memory keychain: enter it again with r on the Connections page`, "✗ secret missing")
}

// TestTheOnlyConnectionIsTheDefault checks that the page marks the
// default as the commands choose it: the only connection is the default
// even when it is not marked so in the file.
func TestTheOnlyConnectionIsTheDefault(t *testing.T) {
	h := seeded(t)
	for _, name := range []string{"prod", "stage"} {
		c, _ := h.mgr.Store.Find(name)
		if err := h.mgr.Delete(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	if c, _ := h.mgr.Store.Find("dev"); c.Default {
		t.Fatal("dev is marked as the default in the file; the test needs it unmarked")
	}
	h.start(Options{})
	if !strings.Contains(h.text(), ">*dev") {
		t.Errorf("the only connection is not marked as the default:\n%s", h.text())
	}
	h.press("enter")
	h.contains("dev (default)")
}

func TestDetailsFollowTheChanges(t *testing.T) {
	h := seeded(t)
	h.press("down", "enter")
	h.contains("stage", "✗ failed")
	if strings.Contains(h.text(), "(default)") {
		t.Fatal("stage shows as the default before it is one")
	}
	h.press("s")
	h.contains("stage is now the default connection", "stage (default)")
	h.press("t")
	h.contains("✓ stage: the credentials work", "✓ ok")
	h.press("e")
	h.contains("Edit stage")
	h.press("esc")
	if !onHome(h.m) {
		t.Errorf("esc from an editor opened on the details left the page %q; want the Connections page", h.m.page.title())
	}
}

// TestStartupNoticesLeaveTheHelpOnScreen starts with ten secrets about to
// expire among 25 connections on an 80x24 terminal: the notices take one
// line, the key help stays on screen, and a key gives the table the
// notices' rows at once.
func TestStartupNoticesLeaveTheHelpOnScreen(t *testing.T) {
	var seed []store.Connection
	for i := range 25 {
		c := store.Connection{Name: fmt.Sprintf("app%02d", i), Vanity: "acme", ClientID: "cid-123"}
		if i < 10 {
			c.SecretExpires = store.NewDate(2026, 12, 1+i)
		}
		seed = append(seed, c)
	}
	h := newHarness(t, seed...)
	h.start(Options{Notices: []string{"the folder /home/admin/.config/zconn was 0755; zconn set it to 0700 so that only you can read it, as it holds your connections"}})
	h.fits()
	h.contains("10 secrets expire within 14 days: app00, app01", "n new", "q quit")
	rows := func() int {
		n := 0
		for _, l := range strings.Split(h.text(), "\n") {
			if strings.Contains(l, "acme") {
				n++
			}
		}
		return n
	}
	before := rows()
	h.press("down")
	h.fits()
	if after := rows(); after <= before {
		t.Errorf("the table shows %d rows after the notices went; want more than the %d it showed with them", after, before)
	}
	if strings.Contains(h.text(), "secrets expire") {
		t.Error("a key did not dismiss the notices")
	}
}

func TestExpiryNotice(t *testing.T) {
	soon := func(name string, days int) dueSecret {
		return dueSecret{name: name, expiry: store.Expiry{State: store.SecretExpiring, Days: days}}
	}
	gone := func(name string) dueSecret {
		return dueSecret{name: name, expiry: store.Expiry{State: store.SecretExpired, Days: -3}}
	}
	key := func(d dueSecret) dueSecret {
		d.method = store.AuthPrivateKey
		return d
	}
	tests := []struct {
		name  string
		due   []dueSecret
		width int
		want  string
	}{
		{"one", []dueSecret{soon("prod", 5)}, 78, "The secret of prod: in 5 days. Rotate it with r."},
		{"one expired", []dueSecret{gone("prod")}, 78, "The secret of prod: expired. Rotate it with r."},
		{"all fit", []dueSecret{soon("prod", 1), soon("lab", 2), soon("stage", 3)}, 78, "3 secrets expire within 14 days: prod, lab, stage"},
		{"the sample", []dueSecret{soon("prod", 1), soon("lab", 2), soon("stage", 3)}, 46, "3 secrets expire within 14 days: prod, lab, +1"},
		{"the rest counted", []dueSecret{soon("prod", 1), soon("lab", 2), soon("stage", 3)}, 44, "3 secrets expire within 14 days: prod, +2"},
		{"soonest first", []dueSecret{soon("lab", 9), gone("old"), soon("prod", 0)}, 78, "3 secrets have expired or expire within 14 days: old, prod, lab"},
		{"expired", []dueSecret{gone("prod"), gone("lab")}, 78, "2 secrets have expired: prod, lab"},
		{"too narrow for a name", []dueSecret{soon("prod", 1), soon("lab", 2)}, 20, "2 secrets expire wi…"},
		{"one key", []dueSecret{key(soon("prod", 5))}, 78, "The private key of prod: in 5 days. Rotate it with r."},
		{"keys among secrets", []dueSecret{soon("prod", 1), key(soon("lab", 2)), soon("stage", 3)}, 78, "3 credentials expire within 14 days: prod, lab, stage"},
		{"keys among secrets, expired", []dueSecret{gone("prod"), key(gone("lab"))}, 78, "2 credentials have expired: prod, lab"},
		{"keys among secrets, some expired", []dueSecret{gone("prod"), key(soon("lab", 2))}, 78, "2 credentials have expired or expire within 14 days: prod, lab"},
		{"only keys", []dueSecret{key(soon("prod", 1)), key(soon("lab", 2))}, 78, "2 private keys expire within 14 days: prod, lab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := expiryNotice(tt.due, tt.width); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
