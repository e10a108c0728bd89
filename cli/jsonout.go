package cli

import (
	"bytes"
	"encoding/json"
	"io"
)

// writeJSONArray writes items as a JSON array with one object per line:
// easy to read and to grep, and much cheaper than indenting.
func writeJSONArray[T any](w io.Writer, items []T) error {
	if len(items) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	var b bytes.Buffer
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
	_, err := w.Write(b.Bytes())
	return err
}
