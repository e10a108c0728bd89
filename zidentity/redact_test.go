package zidentity

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
)

const redactCanary = `zconn-canary S3cr3t+/=&<"'>%20-7f1d`

func TestRedact(t *testing.T) {
	s := redactCanary
	half := s[:len(s)/2+1]
	tests := []struct {
		name, in, want string
	}{
		{"plain", "bad " + s + " here", "bad [redacted] here"},
		{"twice", s + "," + s, "[redacted],[redacted]"},
		{"upper case", "X" + strings.ToUpper(s) + "Y", "X[redacted]Y"},
		{"spaces doubled", "a " + strings.ReplaceAll(s, " ", "   ") + " b", "a [redacted] b"},
		{"zero-width space inside", "a " + s[:5] + "\u200b" + s[5:] + " b", "a [redacted] b"},
		{"soft hyphen inside", "a " + s[:9] + "\u00ad" + s[9:], "a [redacted]"},
		{"spaced out", "a " + strings.Join(strings.Split(strings.ReplaceAll(s, " ", ""), ""), " ") + " b", "a [redacted] b"},
		{"json escapes", `{"s":"zconn-canary S3cr3t+\/=\u0026\u003c\"'\u003e%20-7f1d"}`, `{"s":"[redacted]"}`},
		{"python escapes", `'zconn-canary S3cr3t+/=&<"\x27>%20-7f1d'`, `'[redacted]'`},
		{"html named", "<p>zconn-canary S3cr3t+/=&amp;&lt;&quot;&#39;&gt;%20-7f1d</p>", "<p>[redacted]</p>"},
		{"html numeric hex", "x " + htmlHex(s) + " y", "x [redacted] y"},
		{"query", "?s=" + url.QueryEscape(s) + "&t=1", "?s=[redacted]&t=1"},
		{"path lower hex", "/p/" + strings.ToLower(url.PathEscape(s)), "/p/[redacted]"},
		{"percent twice", "?s=" + url.QueryEscape(url.QueryEscape(s)), "?s=[redacted]"},
		{"percent then json", `"` + strings.ReplaceAll(url.PathEscape(s), "%", `\u0025`) + `"`, `"[redacted]"`},
		{"hex", "dump " + hex.EncodeToString([]byte(s)) + " end", "dump [redacted] end"},
		{"hex upper", "dump " + strings.ToUpper(hex.EncodeToString([]byte(s))), "dump [redacted]"},
		{"base64 std", "b " + base64.StdEncoding.EncodeToString([]byte(s)), "b [redacted]"},
		{"base64 raw url", "b " + base64.RawURLEncoding.EncodeToString([]byte(s)), "b [redacted]"},
		{"base64 in a run at 1", "b " + base64.StdEncoding.EncodeToString([]byte("x"+s+"tail")), "b [redacted]"},
		{"base64 in a run at 2", "b " + base64.URLEncoding.EncodeToString([]byte("xy"+s+"tail")), "b [redacted]"},
		{"base64 wrapped", "b " + wrap(base64.StdEncoding.EncodeToString([]byte(s)), 20), "b [redacted]"},
		{"prefix", "starts " + half + ".", "starts [redacted]."},
		{"suffix", "ends " + s[len(s)/2-1:], "ends [redacted]"},
		{"base64 of a prefix", "b " + base64.StdEncoding.EncodeToString([]byte(half)), "b [redacted]"},
		{"non-ascii before keeps offsets", "İİ " + s + " ü", "İİ [redacted] ü"},
		{"short run kept", "the word zconn-ca is fine", "the word zconn-ca is fine"},
		{"unrelated text kept", "Client authentication failed (invalid_client)", "Client authentication failed (invalid_client)"},
		{"unrelated escapes kept", `a\u0041 %41 &amp; \n`, `a\u0041 %41 &amp; \n`},
	}
	r := newRedactor(s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.redact(tt.in); got != tt.want {
				t.Errorf("redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if got, want := r.leaks(tt.in), tt.in != tt.want; got != want {
				t.Errorf("leaks(%q) = %v; want %v", tt.in, got, want)
			}
		})
	}
}

// TestRedactShortSecret checks that a secret shorter than the shortest run
// is still found whole, and that its parts are left alone.
func TestRedactShortSecret(t *testing.T) {
	r := newRedactor("abc")
	if got, want := r.redact("x abc y ab"), "x [redacted] y ab"; got != want {
		t.Errorf("redact = %q; want %q", got, want)
	}
}

func TestRedactNoSecret(t *testing.T) {
	r := newRedactor("")
	if got := r.redact("anything"); got != "anything" {
		t.Errorf("redact with no secret = %q; want the text unchanged", got)
	}
}

// TestQuoteCleansBeforeRedacting is the fold-back attack: a server that
// echoes the secret with doubled spaces or an escape sequence inside it
// must not get it joined back into the secret by cleaning.
func TestQuoteCleansBeforeRedacting(t *testing.T) {
	r := newRedactor(redactCanary)
	for name, in := range map[string]string{
		"doubled spaces":  strings.ReplaceAll(redactCanary, " ", "  "),
		"escape sequence": redactCanary[:6] + "\x1b[31m" + redactCanary[6:],
		"newline":         strings.ReplaceAll(redactCanary, " ", "\n"),
		"long preamble":   strings.Repeat(" \t", 5000) + redactCanary,
	} {
		t.Run(name, func(t *testing.T) {
			got := r.quote("bad " + in)
			if strings.Contains(got, redactCanary) || strings.Contains(got, redactCanary[:12]) {
				t.Errorf("quote = %q; want the secret redacted", got)
			}
			if !strings.Contains(got, Redacted) {
				t.Errorf("quote = %q; want %s", got, Redacted)
			}
		})
	}
}

// TestQuoteCutsAfterRedacting checks that a secret that straddles the
// 200-character cut is not left half shown.
func TestQuoteCutsAfterRedacting(t *testing.T) {
	r := newRedactor(redactCanary)
	in := strings.Repeat("x", maxQuoted-10) + " " + redactCanary
	got := r.quote(in)
	if strings.Contains(got, redactCanary[:8]) {
		t.Errorf("quote = %q; want no part of the secret at the cut", got)
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("prefix ", "suffix", uint8(0))
	f.Add("%", "&amp", uint8(3))
	f.Add(`\u00`, "=", uint8(6))
	f.Fuzz(func(t *testing.T, before, after string, form uint8) {
		s := redactCanary
		forms := []string{
			s, strings.ToUpper(s), url.QueryEscape(s), url.PathEscape(s),
			base64.StdEncoding.EncodeToString([]byte(s)), hex.EncodeToString([]byte(s)),
			htmlHex(s), strings.ReplaceAll(s, " ", "\t\t"),
		}
		in := before + forms[int(form)%len(forms)] + after
		got := newRedactor(s).redact(in)
		if strings.Contains(got, s) || strings.Contains(got, forms[int(form)%len(forms)]) {
			t.Fatalf("redact(%q) = %q still holds the secret", in, got)
		}
	})
}

// BenchmarkQuoteHostile measures the worst a server can make zconn do: a
// 1 MiB answer full of escapes and near misses of the secret.
func BenchmarkQuoteHostile(b *testing.B) {
	r := newRedactor(redactCanary)
	near := "%7A" + url.QueryEscape(redactCanary[:len(redactCanary)/2-1]) + "&amp;\\u0041 "
	in := strings.Repeat(near, (1<<20)/len(near))
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		r.quote(in)
	}
}

func htmlHex(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString("&#x")
		b.WriteString(strings.ToUpper(hex.EncodeToString([]byte(string(r)))))
		b.WriteString(";")
	}
	return b.String()
}

func wrap(s string, n int) string {
	var parts []string
	for len(s) > n {
		parts = append(parts, s[:n])
		s = s[n:]
	}
	return strings.Join(append(parts, s), "\n")
}
