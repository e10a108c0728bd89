package tui

import (
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

const evilQuestion = "Send the client credentials to acme.zsloginevil.net? zconn does not know this cloud."

func TestUnknownCloudIsAskedFirstInTheWizard(t *testing.T) {
	t.Run("no goes back to the tenant", func(t *testing.T) {
		h := newHarness(t)
		fillForm(h, "prod", "acme.zsloginevil.net", "cid-123")
		h.paste(canary)
		h.press("ctrl+s")
		h.contains(evilQuestion)
		t.Run("question", func(t *testing.T) { h.t = t; h.golden() })
		h.t = t
		if n := h.srv.Requests(); n != 0 {
			t.Fatalf("requests = %d before the answer; want none", n)
		}
		h.press("n")
		if h.focused() != fTenant {
			t.Errorf("focus on %v after no; want the tenant", h.focused())
		}
		f := h.wizard().form
		if f.value(fName) != "prod" || f.value(fTenant) != "acme.zsloginevil.net" || f.value(fClientID) != "cid-123" || f.secret() != canary {
			t.Errorf("the form lost what was typed: %q %q %q", f.value(fName), f.value(fTenant), f.value(fClientID))
		}
		h.contains("Nothing was sent")
		if n := h.srv.Requests(); n != 0 {
			t.Errorf("requests = %d after no; want none", n)
		}
		if conns, _ := h.mgr.Store.List(); len(conns) != 0 {
			t.Errorf("saved %d connections; want none", len(conns))
		}
		h.assertNoCanary()
	})
	t.Run("yes verifies and records the answer", func(t *testing.T) {
		h := newHarness(t)
		fillForm(h, "prod", "acme.zsloginevil.net", "cid-123")
		h.paste(canary)
		h.press("ctrl+s", "y")
		h.contains("The credentials work", "acme.zsloginevil.net")
		h.press("enter")
		h.contains("Created prod")
		c, err := h.mgr.Store.Find("prod")
		if err != nil || c.Cloud != "evil" || !c.AllowUnknownCloud {
			t.Fatalf("saved %+v, %v; want the evil cloud, with the answer recorded", c, err)
		}
		if n := h.srv.Requests(); n != 1 {
			t.Errorf("requests = %d; want 1", n)
		}
	})
	t.Run("a known cloud is not asked about", func(t *testing.T) {
		h := newHarness(t)
		fillForm(h, "prod", "acme.zsloginbeta.net", "cid-123")
		h.paste(canary)
		h.press("ctrl+s")
		h.contains("The credentials work")
		h.press("enter")
		if c, err := h.mgr.Store.Find("prod"); err != nil || c.AllowUnknownCloud {
			t.Errorf("saved %+v, %v; want beta without an answer recorded", c, err)
		}
	})
}

func TestUnknownCloudIsAskedFirstInTheEditor(t *testing.T) {
	seed := []store.Connection{
		{Name: "prod", Vanity: "acme", ClientID: "cid-123"},
		{Name: "alpha", Vanity: "acme", Cloud: "alpha", ClientID: "cid-123", AllowUnknownCloud: true},
		{Name: "old", Vanity: "acme", Cloud: "gamma", ClientID: "cid-123"},
	}
	retype := func(h *harness, tenant string) {
		h.t.Helper()
		h.press("tab", "tab")
		h.press("ctrl+u")
		h.paste(tenant)
	}
	t.Run("no changes nothing", func(t *testing.T) {
		h := newHarness(t, seed...)
		h.press("e")
		retype(h, "acme.zsloginevil.net")
		h.press("ctrl+s")
		h.contains(evilQuestion)
		h.press("n")
		if h.focused() != fTenant {
			t.Errorf("focus on %v after no; want the tenant", h.focused())
		}
		if got := h.m.page.(*editor).form.value(fTenant); got != "acme.zsloginevil.net" {
			t.Errorf("tenant = %q after no; want it as typed", got)
		}
		if c, _ := h.mgr.Store.Find("prod"); !zidentity.Cloud(c.Cloud).IsProduction() || c.AllowUnknownCloud {
			t.Errorf("saved %+v after no; want it unchanged", c)
		}
		if n := h.srv.Requests(); n != 0 {
			t.Errorf("requests = %d; want none", n)
		}
	})
	t.Run("yes verifies and records the answer", func(t *testing.T) {
		h := newHarness(t, seed...)
		h.press("e")
		retype(h, "acme.zsloginevil.net")
		h.press("ctrl+s")
		h.contains(evilQuestion)
		h.press("y")
		h.contains("Saved prod; the new credentials work")
		c, _ := h.mgr.Store.Find("prod")
		if c.Cloud != "evil" || !c.AllowUnknownCloud {
			t.Errorf("saved %+v; want the evil cloud with the answer recorded", c)
		}
		if n := h.srv.Requests(); n != 1 {
			t.Errorf("requests = %d; want 1", n)
		}
	})
	t.Run("an answer for another cloud does not count", func(t *testing.T) {
		h := newHarness(t, seed...)
		h.press("down", "e")
		h.contains("Edit alpha")
		retype(h, "acme.zsloginevil.net")
		h.press("ctrl+s")
		h.contains(evilQuestion)
		if n := h.srv.Requests(); n != 0 {
			t.Errorf("requests = %d; want none before the answer", n)
		}
	})
	t.Run("a confirmed cloud is not asked again", func(t *testing.T) {
		h := newHarness(t, seed...)
		h.press("down", "r")
		h.paste(canary)
		h.press("ctrl+s")
		h.contains("Rotated the secret of alpha")
		if n := h.srv.Requests(); n != 1 {
			t.Errorf("requests = %d; want 1", n)
		}
	})
	t.Run("a rotation of an unconfirmed cloud asks", func(t *testing.T) {
		h := newHarness(t, seed...)
		h.press("down", "down", "r")
		h.paste(canary)
		h.press("ctrl+s")
		h.contains("Send the client credentials to acme.zslogingamma.net? zconn does not know this cloud.")
		h.press("y")
		h.contains("Rotated the secret of old")
		if c, _ := h.mgr.Store.Find("old"); !c.AllowUnknownCloud {
			t.Errorf("saved %+v; want the answer recorded", c)
		}
	})
	t.Run("a known cloud drops an old answer", func(t *testing.T) {
		h := newHarness(t, seed...)
		h.press("down", "e")
		retype(h, "acme")
		h.press("tab", "ctrl+u")
		h.typeText("production")
		h.press("ctrl+s")
		h.contains("Saved alpha")
		if c, _ := h.mgr.Store.Find("alpha"); !zidentity.Cloud(c.Cloud).IsProduction() || c.AllowUnknownCloud {
			t.Errorf("saved %+v; want production without the answer for alpha", c)
		}
	})
}

func TestUnknownCloudIsAskedFirstInTheAccessibleWizard(t *testing.T) {
	start := []answer{{"Name", "prod"}, {"Description", ""}, {"Tenant", "acme.zsloginevil.net"}, {"Client ID", "cid-123"}, {"Client secret", canary}, {"Secret expires", ""}}
	t.Run("no asks for the tenant again", func(t *testing.T) {
		h := newHarness(t)
		p := newPerson(append(start, answer{"does not know this cloud", "n"}, answer{"Tenant", "acme"}, answer{"Cloud", "production"})...)
		if err := runPerson(t, h, p); err != nil {
			t.Fatalf("got %v; want the connection saved", err)
		}
		if !strings.Contains(p.text(), evilQuestion) {
			t.Errorf("no question naming the host:\n%s", p.text())
		}
		if n := h.srv.Requests(); n != 1 {
			t.Errorf("requests = %d; want 1, to the production tenant only", n)
		}
		if c, _ := h.mgr.Store.Find("prod"); !zidentity.Cloud(c.Cloud).IsProduction() || c.AllowUnknownCloud {
			t.Errorf("saved %+v; want production", c)
		}
	})
	t.Run("yes verifies and records the answer", func(t *testing.T) {
		h := newHarness(t)
		p := newPerson(append(start, answer{"does not know this cloud", "y"})...)
		if err := runPerson(t, h, p); err != nil {
			t.Fatalf("got %v; want the connection saved", err)
		}
		if c, _ := h.mgr.Store.Find("prod"); c.Cloud != "evil" || !c.AllowUnknownCloud {
			t.Errorf("saved %+v; want the evil cloud with the answer recorded", c)
		}
		if n := h.srv.Requests(); n != 1 {
			t.Errorf("requests = %d; want 1", n)
		}
	})
}

// TestUnconfirmedCloudSavedBeforeCanBeConfirmed tests a connection saved
// in a cloud zconn does not know, without an answer: the test refuses and
// says how to confirm, and saving the editor asks.
func TestUnconfirmedCloudSavedBeforeCanBeConfirmed(t *testing.T) {
	h := newHarness(t, store.Connection{Name: "old", Vanity: "acme", Cloud: "gamma", ClientID: "cid-123"})
	h.press("t")
	h.contains("acme.zslogingamma.net is not in a ZIdentity cloud zconn knows", "press e on the Connections page and save")
	if n := h.srv.Requests(); n != 0 {
		t.Fatalf("requests = %d; want none", n)
	}
	h.press("e", "ctrl+s")
	h.contains("Send the client credentials to acme.zslogingamma.net? zconn does not know this cloud.")
	h.press("y")
	h.contains("Saved old")
	h.press("t")
	h.contains("✓ old: the credentials work")
	if n := h.srv.Requests(); n != 1 {
		t.Errorf("requests = %d; want 1", n)
	}
}
