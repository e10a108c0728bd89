package cli_test

import (
	"strings"
	"testing"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// labClient is the API client of the connection named lab.
const labClient = "cid-lab"

// seedSelection saves prod (the default) and lab, each with its own API
// client, so a token request says which one a command used.
func seedSelection(h *harness) {
	h.t.Helper()
	h.srv.AddClient(zidentitytest.Client{ID: labClient, Secret: canary})
	h.seed(store.Connection{Name: "prod"}, canary)
	h.seed(store.Connection{Name: "lab", ClientID: labClient}, canary)
}

func TestConnectionSelectedByTheEnvironment(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  string
		// wantLab is true when the command must use lab, false for prod.
		wantLab bool
	}{
		{"token, default", []string{"token"}, "", false},
		{"token, ZCONN_CONNECTION", []string{"token"}, "lab", true},
		{"token, ZCONN_CONNECTION in another case", []string{"token"}, "LAB", true},
		{"token, NAME ahead of ZCONN_CONNECTION", []string{"token", "prod"}, "lab", false},
		{"test, ZCONN_CONNECTION", []string{"test"}, "lab", true},
		{"test, NAME ahead of ZCONN_CONNECTION", []string{"test", "prod"}, "lab", false},
		{"env, ZCONN_CONNECTION", []string{"env"}, "lab", true},
		{"env, NAME ahead of ZCONN_CONNECTION", []string{"env", "prod"}, "lab", false},
		{"exec, ZCONN_CONNECTION", []string{"exec", "--", "sh", "-c", `printf %s "$ZSCALER_CLIENT_ID"`}, "lab", true},
		{"exec, NAME ahead of ZCONN_CONNECTION", []string{"exec", "prod", "--", "sh", "-c", `printf %s "$ZSCALER_CLIENT_ID"`}, "lab", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.args[0] == "exec" {
				requireSh(t)
			}
			h := newHarness(t)
			seedSelection(h)
			if tt.env != "" {
				h.env["ZCONN_CONNECTION"] = tt.env
			}
			r := h.run("", tt.args...)
			r.want(t, 0)
			used := clientID
			switch tt.args[0] {
			case "token", "test":
				if h.srv.RequestsFor(labClient) > 0 {
					used = labClient
				}
			default:
				if strings.Contains(r.stdout, labClient) {
					used = labClient
				}
			}
			if want := map[bool]string{true: labClient, false: clientID}[tt.wantLab]; used != want {
				t.Errorf("%s used the client %s; want %s (stdout %q)", strings.Join(tt.args, " "), used, want, r.stdout)
			}
		})
	}
}

func TestDoctorChecksTheConnectionSelected(t *testing.T) {
	h := newHarness(t)
	seedSelection(h)
	h.env["ZCONN_CONNECTION"] = "lab"
	r := h.run("", "doctor")
	r.want(t, 0)
	if !strings.Contains(r.stdout, "note ZCONN_CONNECTION=lab selects the connection to check") ||
		!strings.Contains(r.stdout, "secret of lab is in") || strings.Contains(r.stdout, "secret of prod") {
		t.Errorf("doctor with ZCONN_CONNECTION=lab printed\n%s\nwant lab checked alone, and why", r.stdout)
	}
	r = h.run("", "doctor", "prod")
	if !strings.Contains(r.stdout, "secret of prod is in") || strings.Contains(r.stdout, "secret of lab") || strings.Contains(r.stdout, "ZCONN_CONNECTION") {
		t.Errorf("doctor prod with ZCONN_CONNECTION=lab printed\n%s\nwant prod checked alone", r.stdout)
	}
}

func TestUnknownConnectionInTheEnvironment(t *testing.T) {
	const msg = `zconn: ZCONN_CONNECTION="nosuch" names no connection: set it to a name that zconn list shows, or unset it`
	for _, args := range [][]string{
		{"token"}, {"token", "--json"}, {"test"}, {"env"}, {"exec", "--", "true"}, {"doctor"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			h := newHarness(t)
			seedSelection(h)
			h.env["ZCONN_CONNECTION"] = "nosuch"
			r := h.run("", args...)
			r.want(t, 2, msg)
			if h.srv.Requests() != 0 || (args[0] != "env" && r.stdout != "") {
				t.Errorf("made %d requests, printed %q; want neither: no fallback to the default", h.srv.Requests(), r.stdout)
			}
			if args[0] == "env" && (strings.Contains(r.stdout, "export") || !strings.HasSuffix(r.stdout, "false\n")) {
				t.Errorf("env printed %q; want the statements that unset and fail", r.stdout)
			}
		})
	}
	t.Run("an explicit NAME does not read it", func(t *testing.T) {
		h := newHarness(t)
		seedSelection(h)
		h.env["ZCONN_CONNECTION"] = "nosuch"
		h.run("", "token", "prod").want(t, 0)
		h.run("", "test", "--all").want(t, 0)
	})
}

func TestExecSetsTheSecretExpiry(t *testing.T) {
	requireSh(t)
	const show = `printf '%s|%s|%s' "${ZCONN_SECRET_EXPIRES-unset}" "$ZCONN_CONNECTION" "$ZCONN_EXEC"`
	tests := []struct {
		name    string
		expires store.Date
		want    string
	}{
		{"known", store.NewDate(2027, 9, 30), "2027-09-30|prod|prod"},
		{"unknown", store.Date{}, "unset|prod|prod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod", SecretExpires: tt.expires}, canary)
			// Inherited from another connection's exec or env: replaced.
			h.env["ZCONN_SECRET_EXPIRES"] = "2020-01-01"
			h.env["ZCONN_CONNECTION"] = "prod"
			r := h.run("", "exec", "--", "sh", "-c", show)
			r.want(t, 0)
			if r.stdout != tt.want {
				t.Errorf("the child saw %q; want %q", r.stdout, tt.want)
			}
		})
	}
}
