package zidentity

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zconn/zconn/internal/safetext"
)

// Redacted is what stands in the place of a secret a server echoed.
const Redacted = "[redacted]"

// maxQuoted is the most of a server's message an Error quotes.
const maxQuoted = 200

// maxScanned is the most of a cleaned server message that is searched for
// the secret; what lies beyond it can never reach the quoted 200.
const maxScanned = 4096

// minRun is the shortest part of a secret that counts as an echo of it:
// half the secret, and never fewer than 8 characters. Shorter parts are
// left alone because they occur by chance (a secret that holds "password"
// would otherwise blank every mention of the word), and because half of a
// random secret still leaves the other half to guess.
const minRun = 8

// A redactor finds secrets in text a server sent, however the server
// dressed them: folded or spaced white space, zero-width characters,
// upper or lower case, JSON and backslash escapes, HTML entities, percent
// encoding (twice over, too), hex, and base64 in either alphabet at any
// of the three positions a secret can take in a longer base64 run. A run of
// at least half the secret (minRun characters or more) counts as the
// secret, so a prefix or suffix of it is caught as well.
//
// Matching works on views of the text: the text decoded zero to three
// times, with white space and format characters dropped; every byte of a
// view remembers the bytes of the text it came from, so a match is removed
// from the text itself.
type redactor struct {
	patterns []pattern
	// plus: some secret holds white space, which a form body encodes as +.
	plus bool
}

// pattern is one form of a secret to look for in a view.
type pattern struct {
	b []byte
	// fold: b is lower case and is compared without regard to ASCII case.
	fold bool
	// run is the shortest run of b that counts as a match.
	run int
	// base64: b is part of a base64 encoding.
	base64 bool
}

// newRedactor returns a redactor for the secrets; empty ones are ignored.
func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		plain := compact([]byte(s))
		if len(plain) > 0 {
			r.add(pattern{b: asciiLower(plain), fold: true, run: max(minRun, (len(plain)+1)/2)})
		}
		if bytes.IndexFunc([]byte(s), unicode.IsSpace) >= 0 {
			r.plus = true
		}
		r.add(pattern{b: []byte(hex.EncodeToString([]byte(s))), fold: true, run: max(2*minRun, len(s))})
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			for _, core := range base64Cores(enc, []byte(s)) {
				r.add(pattern{b: core, base64: true, run: max(11, (len(core)+1)/2)})
			}
		}
	}
	return r
}

func (r *redactor) add(p pattern) {
	if len(p.b) > 0 {
		p.run = min(p.run, len(p.b))
		r.patterns = append(r.patterns, p)
	}
}

// base64Cores returns the parts of the base64 encoding of secret that do
// not depend on what surrounds it, for each of the three offsets (mod 3)
// the secret can have in a longer encoded text: character j of an encoding
// covers bits [6j, 6j+6), and the secret's bits are [8a, 8(a+n)).
func base64Cores(enc *base64.Encoding, secret []byte) [][]byte {
	var cores [][]byte
	for a := range 3 {
		buf := append(make([]byte, a), secret...)
		s := enc.EncodeToString(buf)
		first, last := (8*a+5)/6, 8*(a+len(secret))/6
		if last > first {
			cores = append(cores, []byte(s[first:last]))
		}
	}
	return cores
}

// redact returns s with every echo of the secrets replaced by Redacted.
func (r *redactor) redact(s string) string {
	spans := r.find(s)
	if len(spans) == 0 {
		return s
	}
	var b []byte
	last := 0
	for _, sp := range spans {
		b = append(b, s[last:sp.start]...)
		b = append(b, Redacted...)
		last = sp.end
	}
	return string(append(b, s[last:]...))
}

// leaks reports whether s holds an echo of the secrets.
func (r *redactor) leaks(s string) bool { return len(r.find(s)) > 0 }

// quote cleans a server's message for an Error: first it drops escape
// sequences and control characters and folds white space, so that nothing
// done afterwards can join the parts of a secret; then it removes the
// secrets; then it cuts the result to 200 characters.
func (r *redactor) quote(s string) string {
	s = safetext.Clean(s, maxScanned)
	s = r.redact(s)
	return safetext.Clean(s, maxQuoted)
}

// span is a range of bytes of the original text.
type span struct{ start, end int }

// find returns the sorted, merged spans of s that echo a secret.
func (r *redactor) find(s string) []span {
	if len(r.patterns) == 0 || s == "" {
		return nil
	}
	var marks []span
	search := func(v *view) {
		lower := asciiLower(v.b)
		for _, p := range r.patterns {
			h := v.b
			if p.fold {
				h = lower
			}
			p.find(h, func(i, j int) {
				sp := span{v.start[i], v.end[j-1]}
				if p.base64 {
					sp = widenBase64(s, sp)
				}
				marks = append(marks, sp)
			})
		}
	}
	base := identityView(s)
	search(base)
	// Each kind of escape on its own, so that a secret that holds what
	// looks like another kind (a literal %20) is found whole, and all kinds
	// at once for an encoding of an encoding; each up to three layers deep.
	kinds := []escapes{backslash, entities, percent, backslash | entities | percent}
	if r.plus {
		kinds = append(kinds, percent|plus, backslash|entities|percent|plus)
	}
	for _, k := range kinds {
		v := base
		for range 3 {
			next := v.decode(k)
			if bytes.Equal(next.b, v.b) {
				break
			}
			search(next)
			v = next
		}
	}
	return merge(marks)
}

// widenBase64 stretches a span found in base64 over the rest of its run of
// base64 characters in s, so that the characters at either end that carry
// a few bits of the secret go too.
func widenBase64(s string, sp span) span {
	isB64 := func(c byte) bool {
		return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("+/=-_", c) >= 0
	}
	for sp.start > 0 && isB64(s[sp.start-1]) {
		sp.start--
	}
	for sp.end < len(s) && isB64(s[sp.end]) {
		sp.end++
	}
	return sp
}

// find calls match for every run of at least p.run bytes of p.b in h.
//
// Every run of length L >= p.run holds one of the chunks p.b[k*step :
// k*step+step] whole, where step = p.run/2: the first chunk that starts
// inside the run ends before step-1+step < L bytes have passed. So it is
// enough to look for the chunks and stretch each hit as far as h and p.b
// agree.
func (p pattern) find(h []byte, match func(i, j int)) {
	m := len(p.b)
	step := max(1, p.run/2)
	for q := 0; q+step <= m; q += step {
		chunk := p.b[q : q+step]
		for off := 0; off < len(h); {
			i := bytes.Index(h[off:], chunk)
			if i < 0 {
				break
			}
			i += off
			s, t, ps, pt := i, i+step, q, q+step
			for s > 0 && ps > 0 && h[s-1] == p.b[ps-1] {
				s, ps = s-1, ps-1
			}
			for t < len(h) && pt < m && h[t] == p.b[pt] {
				t, pt = t+1, pt+1
			}
			if t-s >= p.run {
				match(s, t)
			}
			off = i + 1
		}
	}
}

// merge sorts spans and joins those that overlap or touch.
func merge(spans []span) []span {
	if len(spans) == 0 {
		return nil
	}
	for i := 1; i < len(spans); i++ { // insertion sort: there are few
		for j := i; j > 0 && spans[j].start < spans[j-1].start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		if sp.start <= last.end {
			last.end = max(last.end, sp.end)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// view is a text to search in: each byte b[i] came from the bytes
// [start[i], end[i]) of the original text.
type view struct {
	b          []byte
	start, end []int
}

func (v *view) emit(b []byte, start, end int) {
	for _, c := range b {
		v.b = append(v.b, c)
		v.start = append(v.start, start)
		v.end = append(v.end, end)
	}
}

// identityView returns s as a view, compacted.
func identityView(s string) *view {
	v := &view{}
	for i := 0; i < len(s); i++ {
		v.emit([]byte{s[i]}, i, i+1)
	}
	return v.compact()
}

// compact drops white space and format characters (such as zero-width
// spaces and soft hyphens), which a terminal shows as nothing or as a gap.
func (v *view) compact() *view {
	out := &view{}
	for i := 0; i < len(v.b); {
		r, n := utf8.DecodeRune(v.b[i:])
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			for k := i; k < i+n; k++ {
				out.emit(v.b[k:k+1], v.start[k], v.end[k])
			}
		}
		i += n
	}
	return out
}

// compact returns b without white space and format characters.
func compact(b []byte) []byte {
	return bytes.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, b)
}

// escapes are the kinds of escape a view decodes.
type escapes uint8

const (
	// backslash escapes, as JSON, JavaScript and Python write them.
	backslash escapes = 1 << iota
	// entities are HTML character references.
	entities
	// percent is percent encoding.
	percent
	// plus is + for a space, as in a form body.
	plus
)

// decode returns v with one layer of the kinds of escapes undone.
func (v *view) decode(kinds escapes) *view {
	out := &view{}
	b := v.b
	for i := 0; i < len(b); {
		dec, n := unescape(b, i, kinds)
		if n == 0 {
			out.emit(b[i:i+1], v.start[i], v.end[i])
			i++
			continue
		}
		out.emit(dec, v.start[i], v.end[i+n-1])
		i += n
	}
	return out.compact()
}

// unescape decodes the escape that starts at b[i], returning its bytes and
// length, or n = 0 when none starts there.
func unescape(b []byte, i int, kinds escapes) (dec []byte, n int) {
	switch c := b[i]; {
	case c == '+' && kinds&plus != 0:
		return []byte{' '}, 1
	case c == '%' && kinds&percent != 0:
		if i+2 < len(b) {
			if x, ok := hexByte(b[i+1 : i+3]); ok {
				return []byte{x}, 3
			}
		}
	case c == '&' && kinds&entities != 0:
		end := bytes.IndexByte(b[i:min(len(b), i+40)], ';')
		if end > 1 {
			ref := string(b[i : i+end+1])
			if u := html.UnescapeString(ref); u != ref {
				return []byte(u), end + 1
			}
		}
	case c == '\\' && kinds&backslash != 0:
		if i+1 >= len(b) {
			return nil, 0
		}
		switch c := b[i+1]; c {
		case '"', '\\', '/', '\'':
			return []byte{c}, 2
		case 'b', 'f', 'n', 'r', 't':
			return []byte{"\b\f\n\r\t"[strings.IndexByte("bfnrt", c)]}, 2
		case 'x':
			if i+3 < len(b) {
				if x, ok := hexByte(b[i+2 : i+4]); ok {
					return []byte{x}, 4
				}
			}
		case 'u':
			r, n := unicodeEscape(b[i:])
			if n > 0 {
				return utf8.AppendRune(nil, r), n
			}
		}
	}
	return nil, 0
}

// unicodeEscape reads \uXXXX, or a surrogate pair of two, at the start of b.
func unicodeEscape(b []byte) (rune, int) {
	read := func(b []byte) (rune, bool) {
		if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(b[2:6]), 16, 16)
		return rune(n), err == nil
	}
	r, ok := read(b)
	if !ok {
		return 0, 0
	}
	if utf16IsHigh(r) {
		if lo, ok := read(b[6:]); ok && lo >= 0xdc00 && lo < 0xe000 {
			return (r-0xd800)<<10 + (lo - 0xdc00) + 0x10000, 12
		}
	}
	return r, 6
}

func utf16IsHigh(r rune) bool { return r >= 0xd800 && r < 0xdc00 }

func hexByte(b []byte) (byte, bool) {
	n, err := strconv.ParseUint(string(b), 16, 8)
	return byte(n), err == nil && len(b) == 2
}

// asciiLower lower-cases the ASCII letters of b and leaves every other byte
// alone, so offsets into b stay valid.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
