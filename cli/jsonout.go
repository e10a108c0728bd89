package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"
)

// writeJSONArray writes items as a JSON array with one object per line:
// easy to read and to grep, and much cheaper than indenting. Control
// characters in strings are escaped, the C1 ones and DEL too (which
// encoding/json writes as they are, and some terminals obey), so that the
// output is safe to show whatever the strings hold.
func writeJSONArray[T any](w io.Writer, items []T) error {
	if len(items) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	var b bytes.Buffer
	// Room for the usual object, so that the buffer is not grown and
	// copied over and over.
	b.Grow(len(items) * 384)
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteString("[\n")
	for i, it := range items {
		if i > 0 {
			b.WriteString(",\n")
		}
		if err := enc.Encode(it); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // the newline Encode adds
	}
	b.WriteString("\n]\n")
	_, err := w.Write(escapeC1(b.Bytes()))
	return err
}

// escapeC1 replaces DEL and the C1 control characters (U+0080 to U+009F)
// in encoded JSON with \u escapes. JSON outside its strings is ASCII, so
// any such character is inside a string, where the escape means the same.
func escapeC1(b []byte) []byte {
	if !bytes.ContainsFunc(b, c1) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if c1(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// c1 reports whether r is DEL or a C1 control character.
func c1(r rune) bool { return r == 0x7f || (r >= 0x80 && r <= 0x9f) }
