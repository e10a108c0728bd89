package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

// hostile holds what a terminal would obey: an OSC title, SGR colour, a
// carriage return and a line feed, CSI and DCS as C1 characters, BEL,
// backspace, DEL and a bidirectional override.
const hostile = "\x1b]0;pwned\x07\x1b[31mred\x1b[0m\r\nline\u009b2J\u0090dcs\u009c\x07bell\x08\x7f\u202e"

// controls returns the control characters and invalid bytes in s, but
// for line feeds: what would reach a terminal from zconn's output.
func controls(s string) []string {
	var found []string
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				found = append(found, "invalid byte")
			}
		case r != '\n' && unicode.IsControl(r):
			found = append(found, string(r))
		}
	}
	return found
}

// craft rewrites the metadata file so that every string of the
// connection named name holds the hostile text, as a hand edit or another
// program could leave it; keep lists the fields left as they are.
func craft(t *testing.T, h *harness, name string, keep ...string) string {
	t.Helper()
	path := filepath.Join(h.dir, store.FileName)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	newName := name + hostile
	for _, c := range doc["connections"].([]any) {
		c := c.(map[string]any)
		if c["name"] != name {
			continue
		}
		fields := map[string]any{
			"name": newName, "description": hostile, "vanity_domain": hostile, "cloud": hostile, "client_id": hostile,
			"zpa_customer_id": hostile, "zpa_microtenant_id": hostile, "partner_id": hostile,
			"last_verification": map[string]any{
				"at": "2026-11-28T10:00:00Z", "ok": false, "category": hostile, "message": hostile,
				"products": []string{hostile}, "roles": []string{hostile}, "user_management": hostile,
			},
		}
		for _, k := range keep {
			delete(fields, k)
		}
		for k, v := range fields {
			c[k] = v
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return newName
}

// TestHostileTextNeverReachesTheTerminal runs the commands over a metadata
// file whose every string holds escape sequences and control characters,
// and a server whose token claims hold them too: no control character
// reaches standard output or standard error, except inside JSON string
// escapes. The tenant refuses the audience, so that the notes naming the
// connection are printed too.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	h := newHarness(t)
	h.srv.AddClient(zidentitytest.Client{ID: clientID, Secret: canary, Services: []zidentitytest.Service{{Product: "ZIAM" + hostile, Role: "Admin" + hostile}}})
	h.srv.SetRefuseAudience(clientID, true)
	h.seed(store.Connection{Name: "evil"}, canary)
	h.seed(store.Connection{Name: "good"}, canary)
	evil := craft(t, h, "evil")
	// good keeps what a token request needs, so that it succeeds and
	// prints the server's hostile claims, and what env prints, so that env
	// prints its note.
	good := craft(t, h, "good", "vanity_domain", "cloud", "client_id", "zpa_customer_id", "zpa_microtenant_id", "partner_id")
	steps := []struct {
		stdin string
		tty   bool
		args  []string
	}{
		{"", false, []string{"list"}},
		{"", false, []string{"list", "--json"}},
		{"", false, []string{"doctor"}},
		{"", false, []string{"test", evil}},
		{"", false, []string{"test", good}},
		{"", false, []string{"test", "--json", evil}},
		{"", false, []string{"test", "--json", good}},
		{"", false, []string{"test", "--all"}},
		{"", false, []string{"test", "--all", "--json"}},
		{"", false, []string{"list"}},
		{"", false, []string{"list", "--json"}},
		{"", true, []string{"list"}},
		{"", true, []string{"test", "--all"}},
		{"", false, []string{"env", evil}},
		{"", false, []string{"env", good}},
		{"", false, []string{"env", evil, "--shell", "fish"}},
		{"", false, []string{"env", evil, "--shell", "powershell"}},
		{"", false, []string{"use", evil}},
		{"", false, []string{"doctor"}},
		{"", false, []string{"edit", evil, "--description", "d"}},
		{"", false, []string{"rename", evil, "plain"}},
		{"", false, []string{"__complete", "use", ""}},
		{"n\n", true, []string{"rm", evil}},
		{"", false, []string{"rm", good, "--yes"}},
		{"", false, []string{"rm", evil, "--yes"}},
	}
	// The steps that print the audience note, on stdout or stderr.
	notes := map[string]bool{"test " + good: true, "env " + good: true}
	const note = "refuses the audience parameter"
	for _, s := range steps {
		h.tty = s.tty
		// On a terminal, list and test fit it.
		h.width = map[bool]int{true: 80}[s.tty && s.args[0] != "rm"]
		r := h.run(s.stdin, s.args...)
		name := strings.Join(s.args, " ")
		if notes[name] && !strings.Contains(r.stdout+r.stderr, note) {
			t.Errorf("%q: got stdout %q, stderr %q; want the audience note", name, r.stdout, r.stderr)
		}
		stdout := r.stdout
		if name == "list" && !s.tty {
			// Piped, list separates its columns with tabs: one between
			// each of its 7, and none in a value.
			for _, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
				if n := strings.Count(l, "\t"); n != 6 {
					t.Errorf("%q: line %q has %d tabs; want 6", name, l, n)
				}
			}
			stdout = strings.ReplaceAll(stdout, "\t", " ")
		}
		if got := controls(stdout); len(got) > 0 {
			t.Errorf("%q: stdout holds %q:\n%q", name, got, r.stdout)
		}
		if got := controls(r.stderr); len(got) > 0 {
			t.Errorf("%q: stderr holds %q:\n%q", name, got, r.stderr)
		}
	}
	if _, err := h.find(evil); err == nil {
		t.Error("rm --yes left the hostile connection")
	}
}

// answer is a transport that answers every request with one token
// response, as a hostile server or proxy could.
type answer string

func (a answer) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(string(a))),
		Request:    req,
	}, nil
}

// TestTokenWithControlCharactersIsNotPrinted: token prints the access
// token as it came, so one that holds what no access token holds is
// refused (zidentity reads it as a malformed answer) rather than sent to
// the terminal.
func TestTokenWithControlCharactersIsNotPrinted(t *testing.T) {
	for _, tt := range []struct{ name, tok string }{
		{"OSC", "eyJ\u001b]0;pwned\u0007.x.y"},
		{"C1 CSI", "eyJ\u009b2J.x.y"},
		{"space", "two words"},
	} {
		tok := tt.tok
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.seed(store.Connection{Name: "prod"}, canary)
			body, _ := json.Marshal(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
			var out, errOut strings.Builder
			o := h.options(strings.NewReader(""), &out, &errOut, "token", "prod")
			o.HTTPClient = &http.Client{Transport: answer(body)}
			r := result{executeCLI(o), out.String(), errOut.String()}
			r.want(t, 1, "its access_token holds spaces or control characters, which no access token holds")
			if r.stdout != "" || len(controls(r.stderr)) > 0 {
				t.Errorf("stdout %q, stderr %q; want nothing printed and a clean error", r.stdout, r.stderr)
			}
		})
	}
}
