package store

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The metadata file is read on every command and can hold thousands of
// connections, which encoding/json decodes too slowly. This file holds a
// codec written for document alone: encodeDocument writes exactly what
// json.MarshalIndent(doc, "", "  ") writes, and decodeDocumentFast reads
// what json.Unmarshal reads, to the same value, or gives up with
// errFallback so that the caller asks encoding/json. Both leave the rare
// hard cases (strings that need escaping, times that RFC 3339 cannot hold)
// to encoding/json itself.

// encodeDocument returns doc as json.MarshalIndent(doc, "", "  ") does,
// byte for byte. The members are written as they appear in the file, with
// their indentation.
func encodeDocument(doc *document) ([]byte, error) {
	var e encoder
	b := make([]byte, 0, 256+768*len(doc.Connections))
	b = append(b, "{\n  \"version\": "...)
	b = strconv.AppendInt(b, int64(doc.Version), 10)
	if doc.Secrets != "" {
		b = append(b, ",\n  \"secrets\": "...)
		b = appendString(b, doc.Secrets)
	}
	b = append(b, ",\n  \"connections\": "...)
	switch {
	case doc.Connections == nil:
		b = append(b, "null"...)
	case len(doc.Connections) == 0:
		b = append(b, "[]"...)
	default:
		for i := range doc.Connections {
			if i == 0 {
				b = append(b, "[\n    "...)
			} else {
				b = append(b, ",\n    "...)
			}
			b = e.connection(b, &doc.Connections[i])
		}
		b = append(b, "\n  ]"...)
	}
	b = append(b, "\n}"...)
	if e.badTime {
		// encoding/json says best what is wrong with the time.
		return json.MarshalIndent(doc, "", "  ")
	}
	return b, nil
}

// encoder notes what it cannot write.
type encoder struct {
	// badTime is set when a time has no RFC 3339 form.
	badTime bool
}

func (e *encoder) connection(b []byte, c *Connection) []byte {
	b = append(b, "{\n      \"id\": "...)
	b = appendString(b, c.ID)
	b = append(b, ",\n      \"name\": "...)
	b = appendString(b, c.Name)
	if c.Description != "" {
		b = append(b, ",\n      \"description\": "...)
		b = appendString(b, c.Description)
	}
	b = append(b, ",\n      \"vanity_domain\": "...)
	b = appendString(b, c.Vanity)
	if c.Cloud != "" {
		b = append(b, ",\n      \"cloud\": "...)
		b = appendString(b, c.Cloud)
	}
	b = append(b, ",\n      \"client_id\": "...)
	b = appendString(b, c.ClientID)
	b = append(b, ",\n      \"auth_method\": "...)
	b = appendString(b, string(c.AuthMethod))
	if !c.SecretExpires.IsZero() {
		// A date is digits and dashes: nothing to escape.
		b = append(b, ",\n      \"secret_expires\": \""...)
		b = c.SecretExpires.t.AppendFormat(b, DateLayout)
		b = append(b, '"')
	}
	b = append(b, ",\n      \"created_at\": "...)
	b = e.time(b, c.CreatedAt)
	b = append(b, ",\n      \"updated_at\": "...)
	b = e.time(b, c.UpdatedAt)
	if v := c.Verification; v != nil {
		b = append(b, ",\n      \"last_verification\": "...)
		b = e.verification(b, v)
	}
	if c.Default {
		b = append(b, ",\n      \"default\": true"...)
	}
	return append(b, "\n    }"...)
}

func (e *encoder) verification(b []byte, v *Verification) []byte {
	b = append(b, "{\n        \"at\": "...)
	b = e.time(b, v.At)
	b = append(b, ",\n        \"ok\": "...)
	b = strconv.AppendBool(b, v.OK)
	if v.Category != "" {
		b = append(b, ",\n        \"category\": "...)
		b = appendString(b, v.Category)
	}
	if v.Message != "" {
		b = append(b, ",\n        \"message\": "...)
		b = appendString(b, v.Message)
	}
	if v.Lifetime != 0 {
		b = append(b, ",\n        \"token_lifetime_seconds\": "...)
		b = strconv.AppendInt(b, v.Lifetime, 10)
	}
	if len(v.Products) > 0 {
		b = append(b, ",\n        \"products\": "...)
		b = appendStrings(b, v.Products)
	}
	if len(v.Roles) > 0 {
		b = append(b, ",\n        \"roles\": "...)
		b = appendStrings(b, v.Roles)
	}
	return append(b, "\n      }"...)
}

// appendStrings appends a list of strings that is not empty.
func appendStrings(b []byte, list []string) []byte {
	for i, s := range list {
		if i == 0 {
			b = append(b, "[\n          "...)
		} else {
			b = append(b, ",\n          "...)
		}
		b = appendString(b, s)
	}
	return append(b, "\n        ]"...)
}

// appendString appends s quoted. Strings that need escaping are quoted by
// encoding/json, so that they read exactly as before.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// time appends t as time.Time.MarshalJSON does.
func (e *encoder) time(b []byte, t time.Time) []byte {
	b = append(b, '"')
	if text, err := t.AppendText(b); err == nil {
		b = text
	} else {
		e.badTime = true
	}
	return append(b, '"')
}

// errFallback means decodeDocumentFast met something it does not read
// exactly as encoding/json does, valid or not: decode with encoding/json.
var errFallback = errors.New("the document needs encoding/json")

// maxSkipDepth bounds the nesting of unknown values that
// decodeDocumentFast skips; encoding/json allows more, so deeper ones fall
// back.
const maxSkipDepth = 1000

// decodeDocumentFast decodes s as json.Unmarshal would into a fresh
// document, or returns errFallback. It never accepts input that
// json.Unmarshal rejects.
//
// Like encoding/json it matches member names without regard to case, lets
// a repeated member decode over the earlier one (merging objects, reusing
// slice elements), treats null as "leave as is" except for pointers and
// slices, and ignores unknown members. It falls back on values of the
// wrong type.
//
// The strings it returns are slices of s where they can be.
func decodeDocumentFast(s string) (*document, error) {
	d := decoder{s: s}
	var doc document
	d.space()
	ok := d.object(func(name string) bool {
		switch name {
		case "version":
			return decodeInt(&d, &doc.Version)
		case "secrets":
			return d.string(&doc.Secrets)
		case "connections":
			// Make room at once for as many connections as the rest of
			// the input holds if each takes 512 bytes, a little less than
			// the store writes for a verified one.
			return decodeArray(&d, &doc.Connections, (len(s)-d.i)/512, d.connection)
		}
		return d.skip(0)
	})
	d.space()
	if !ok || d.i != len(s) {
		return nil, errFallback
	}
	return &doc, nil
}

// byteClass sorts bytes for the scanner.
var byteClass = func() (class [256]byte) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		class[c] = plainByte
	}
	for _, c := range "abcdefghijklmnopqrstuvwxyz0123456789_" {
		class[c] = lowerByte
	}
	class['"'], class['\\'] = otherByte, otherByte
	return class
}()

// The classes of bytes.
const (
	// otherByte is a control character, non-ASCII, a quote or a backslash.
	otherByte = iota
	// plainByte stands for itself in a string.
	plainByte
	// lowerByte stands for itself in a string and folds to itself in a
	// member name.
	lowerByte
)

// decoder reads JSON from s[i:]. Its methods return false, leaving i
// anywhere, on anything they do not handle.
type decoder struct {
	s string
	i int
	// fold is a buffer for folding member names.
	fold []byte
}

func (d *decoder) connection(c *Connection) bool {
	if d.null() {
		return true
	}
	return d.object(func(name string) bool {
		switch name {
		case "id":
			return d.string(&c.ID)
		case "name":
			return d.string(&c.Name)
		case "description":
			return d.string(&c.Description)
		case "vanity_domain":
			return d.string(&c.Vanity)
		case "cloud":
			return d.string(&c.Cloud)
		case "client_id":
			return d.string(&c.ClientID)
		case "auth_method":
			return d.string((*string)(&c.AuthMethod))
		case "secret_expires":
			return d.date(&c.SecretExpires)
		case "created_at":
			return d.time(&c.CreatedAt)
		case "updated_at":
			return d.time(&c.UpdatedAt)
		case "last_verification":
			if d.null() {
				c.Verification = nil
				return true
			}
			if c.Verification == nil {
				c.Verification = new(Verification)
			}
			return d.verification(c.Verification)
		case "default":
			return d.bool(&c.Default)
		}
		return d.skip(0)
	})
}

func (d *decoder) verification(v *Verification) bool {
	return d.object(func(name string) bool {
		switch name {
		case "at":
			return d.time(&v.At)
		case "ok":
			return d.bool(&v.OK)
		case "category":
			return d.string(&v.Category)
		case "message":
			return d.string(&v.Message)
		case "token_lifetime_seconds":
			return decodeInt(d, &v.Lifetime)
		case "products":
			return decodeArray(d, &v.Products, 4, d.string)
		case "roles":
			return decodeArray(d, &v.Roles, 4, d.string)
		}
		return d.skip(0)
	})
}

// object reads an object, calling member with each member's folded name
// (see memberName) when the member's value is next to read.
func (d *decoder) object(member func(name string) bool) bool {
	if !d.consume('{') {
		return false
	}
	d.space()
	if d.consume('}') {
		return true
	}
	for {
		name, ok := d.memberName()
		if !ok {
			return false
		}
		d.space()
		if !d.consume(':') {
			return false
		}
		d.space()
		if !member(name) {
			return false
		}
		d.space()
		if !d.consume(',') {
			return d.consume('}')
		}
		d.space()
	}
}

// array reads an array, calling elem when each element is next to read.
func (d *decoder) array(elem func() bool) bool {
	if !d.consume('[') {
		return false
	}
	d.space()
	if d.consume(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		d.space()
		if !d.consume(',') {
			return d.consume(']')
		}
		d.space()
	}
}

// decodeArray reads an array into *s as encoding/json does: element i
// decodes into the slice's element i, reusing what a repeated member left
// there; [] gives an empty slice and null a nil one. A nil slice starts
// with room for size elements. Neither that room nor the way the slice
// grows shows in the result: past its length a slice holds only what an
// earlier, longer array of a repeated member left there, and growing
// copies that.
func decodeArray[E any](d *decoder, s *[]E, size int, elem func(*E) bool) bool {
	if d.null() {
		*s = nil
		return true
	}
	v, n := *s, 0
	if v == nil {
		v = make([]E, 0, size)
	}
	ok := d.array(func() bool {
		switch {
		case n < len(v):
		case n < cap(v):
			v = v[:n+1]
		default:
			// Double the room: append grows long slices by a quarter,
			// which would copy thousands of connections many times.
			v = slices.Grow(v, n+1)[:n+1]
		}
		n++
		return elem(&v[n-1])
	})
	if n == 0 {
		v = []E{}
	}
	*s = v[:n]
	return ok
}

// skip reads any value, depth levels below the first skipped one.
func (d *decoder) skip(depth int) bool {
	if d.i == len(d.s) || depth > maxSkipDepth {
		return false
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.object(func(string) bool { return d.skip(depth + 1) })
	case c == '[':
		return d.array(func() bool { return d.skip(depth + 1) })
	case c == '"':
		_, _, ok := d.literal()
		return ok
	case c == 't':
		return d.word("true")
	case c == 'f':
		return d.word("false")
	case c == 'n':
		return d.null()
	}
	_, ok := d.number()
	return ok
}

// string reads a string, or null, which leaves *p as it is.
func (d *decoder) string(p *string) bool {
	if d.null() {
		return true
	}
	s, ok := d.text()
	if ok {
		*p = s
	}
	return ok
}

// time reads a time as encoding/json does: time.Time.UnmarshalJSON of the
// literal, quotes and escapes included.
func (d *decoder) time(t *time.Time) bool {
	if d.null() {
		return true
	}
	raw, _, ok := d.literal()
	if !ok {
		return false
	}
	if v, ok := parseUTC(raw); ok {
		*t = v
		return true
	}
	return t.UnmarshalJSON([]byte(raw)) == nil
}

// parseUTC reads a literal of the form "2006-01-02T15:04:05Z", with up
// to nine digits of a second's fraction or none, as the store writes times,
// and returns what time.Time.UnmarshalJSON would; it reports false for any
// other form.
func parseUTC(raw string) (time.Time, bool) {
	const n = len(`"2006-01-02T15:04:05`)
	if len(raw) < n+len(`Z"`) || raw[len(raw)-2] != 'Z' || raw[11] != 'T' || raw[14] != ':' || raw[17] != ':' {
		return time.Time{}, false
	}
	year, month, day, ok := civil(raw[1:11])
	hour, minute, sec := atoi(raw[12:14]), atoi(raw[15:17]), atoi(raw[18:20])
	if !ok || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := raw[n : len(raw)-2]; frac != "" {
		if len(frac) < len(".0") || len(frac) > len(".000000000") || frac[0] != '.' {
			return time.Time{}, false
		}
		if nsec = atoi(frac[1:]); nsec < 0 {
			return time.Time{}, false
		}
		for range len(".000000000") - len(frac) {
			nsec *= 10
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

// parseDay reads "2006-01-02" as time.Parse(DateLayout, s) does; it
// reports false for any other form.
func parseDay(s string) (time.Time, bool) {
	year, month, day, ok := civil(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
}

// civil reads a day of the form "2006-01-02".
func civil(s string) (year, month, day int, ok bool) {
	if len(s) != len(DateLayout) || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	year, month, day = atoi(s[0:4]), atoi(s[5:7]), atoi(s[8:10])
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn[month] {
		return 0, 0, 0, false
	}
	leap := year%4 == 0 && (year%100 != 0 || year%400 == 0)
	return year, month, day, month != 2 || day <= 28 || leap
}

// daysIn holds the most days of each month.
var daysIn = [13]int{1: 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// atoi returns the number s spells in decimal digits, or -1.
func atoi(s string) int {
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// date reads a date as encoding/json does, through Date.UnmarshalText,
// which is ParseDate of the string's value.
func (d *decoder) date(p *Date) bool {
	if d.null() {
		return true
	}
	s, ok := d.text()
	if !ok {
		return false
	}
	if t, ok := parseDay(s); ok {
		*p = Date{t}
		return true
	}
	v, err := ParseDate(s)
	if err != nil {
		return false
	}
	*p = v
	return true
}

func (d *decoder) bool(p *bool) bool {
	switch {
	case d.null():
	case d.word("true"):
		*p = true
	case d.word("false"):
		*p = false
	default:
		return false
	}
	return true
}

// decodeInt reads an integer as encoding/json does: strconv.ParseInt of
// the literal, so 1.0 and 1e3 fall back.
func decodeInt[T int | int64](d *decoder, p *T) bool {
	if d.null() {
		return true
	}
	raw, ok := d.number()
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || int64(T(n)) != n {
		return false
	}
	*p = T(n)
	return true
}

// memberName reads a member name and returns it folded: two names are
// equal once folded exactly when encoding/json's foldName makes them
// equal. foldName upper-cases ASCII letters and turns other runes into the
// smallest rune of their case-folding orbit (the Kelvin sign into K); the
// names here are then lower-cased so that they read as the struct tags do.
func (d *decoder) memberName() (string, bool) {
	// Most names are plain and lower case already.
	s, i := d.s, d.i+1
	if i <= len(s) && s[i-1] == '"' {
		for i < len(s) && byteClass[s[i]] == lowerByte {
			i++
		}
		if i < len(s) && s[i] == '"' {
			name := s[d.i+1 : i]
			d.i = i + 1
			return name, true
		}
	}
	name, ok := d.text()
	for i := 0; i < len(name); i++ {
		if c := name[i]; 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf {
			d.fold = d.fold[:0]
			for _, r := range name {
				if r >= utf8.RuneSelf {
					r = foldRune(r)
				}
				if 'A' <= r && r <= 'Z' {
					r += 'a' - 'A'
				}
				d.fold = utf8.AppendRune(d.fold, r)
			}
			return string(d.fold), ok
		}
	}
	return name, ok
}

// foldRune returns the smallest rune of r's case-folding orbit.
func foldRune(r rune) rune {
	for {
		f := unicode.SimpleFold(r)
		if f <= r {
			return f
		}
		r = f
	}
}

// text reads a string literal and returns its value. Escapes and invalid
// UTF-8 are left to encoding/json, which replaces bad bytes and lone
// surrogates in its own way.
func (d *decoder) text() (string, bool) {
	raw, plain, ok := d.literal()
	if !ok {
		return "", false
	}
	if plain || strings.IndexByte(raw, '\\') < 0 && utf8.ValidString(raw) {
		return raw[1 : len(raw)-1], true
	}
	var s string
	return s, json.Unmarshal([]byte(raw), &s) == nil
}

// literal reads a string literal and returns it with its quotes. plain
// means it holds only ASCII and no escapes, so that its text is its value.
func (d *decoder) literal() (raw string, plain, ok bool) {
	s, start := d.s, d.i
	if start == len(s) || s[start] != '"' {
		return "", false, false
	}
	i := start + 1
	for i < len(s) && byteClass[s[i]] != otherByte {
		i++
	}
	if i < len(s) && s[i] == '"' {
		d.i = i + 1
		return s[start:d.i], true, true
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			d.i = i + 1
			return s[start:d.i], false, true
		case c < ' ':
			return "", false, false
		case c == '\\':
			i++
			if i == len(s) {
				return "", false, false
			}
			switch s[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(s)-i <= 4 || !isHex(s[i+1]) || !isHex(s[i+2]) || !isHex(s[i+3]) || !isHex(s[i+4]) {
					return "", false, false
				}
				i += 4
			default:
				return "", false, false
			}
		}
	}
	return "", false, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// number reads a number literal as JSON defines it.
func (d *decoder) number() (string, bool) {
	s, i := d.s, d.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i)
	default:
		return "", false
	}
	if i < len(s) && s[i] == '.' {
		j := digits(s, i+1)
		if j == i+1 {
			return "", false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(s, i)
		if j == i {
			return "", false
		}
		i = j
	}
	raw := s[d.i:i]
	d.i = i
	return raw, true
}

// digits returns the index after the digits at s[i:].
func digits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// space skips whitespace.
func (d *decoder) space() {
	s, i := d.s, d.i
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	d.i = i
}

// consume reads c if it is next.
func (d *decoder) consume(c byte) bool {
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// word reads w if it is next.
func (d *decoder) word(w string) bool {
	if strings.HasPrefix(d.s[d.i:], w) {
		d.i += len(w)
		return true
	}
	return false
}

// null reads null if it is next.
func (d *decoder) null() bool {
	return d.i < len(d.s) && d.s[d.i] == 'n' && d.word("null")
}
