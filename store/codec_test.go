package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	sampleCreated  = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	sampleVerified = time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
)

// fullConnection sets every field of a connection.
func fullConnection() Connection {
	return Connection{
		ID: "w3kq7zqz4x6rmyjv7d3l2n5ab4", Name: "prod", Description: "Production tenant", Vanity: "acme", Cloud: "beta",
		ClientID: "client-123", AuthMethod: AuthSecret, SecretExpires: NewDate(2027, 3, 31), CreatedAt: sampleCreated, UpdatedAt: sampleCreated,
		Verification: &Verification{
			At: sampleVerified, OK: true, Category: "rejected", Message: "the client secret was rejected", Lifetime: 3600,
			Products: []string{"ZIAM", "ZIA"}, Roles: []string{"Super Admin"},
		},
		Default: true,
	}
}

// sampleWith returns fullConnection changed by f.
func sampleWith(f func(c *Connection)) Connection {
	c := fullConnection()
	f(&c)
	return c
}

// sampleDocuments are documents that survive a trip through JSON
// unchanged.
func sampleDocuments() map[string]*document {
	minimal := Connection{ID: "a", Name: "b", Vanity: "c", ClientID: "d", AuthMethod: AuthSecret, CreatedAt: sampleCreated, UpdatedAt: sampleCreated}
	return map[string]*document{
		"no connections":   {Version: 1, Connections: []Connection{}},
		"nil connections":  {Version: 1},
		"secrets choice":   {Version: 1, Secrets: "keychain", Connections: []Connection{}},
		"every field":      {Version: 1, Secrets: "file", Connections: []Connection{fullConnection()}},
		"minimal":          {Version: 1, Connections: []Connection{minimal}},
		"zero connection":  {Version: 1, Connections: []Connection{{}}},
		"nil verification": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) { c.Verification = nil })}},
		"zero verification": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) {
			c.Verification = &Verification{}
		})}},
		"no expiry": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) { c.SecretExpires = Date{} })}},
		"several": {Version: 1, Connections: []Connection{
			fullConnection(), minimal, sampleWith(func(c *Connection) { c.Default = false; c.Name = "stage" }),
		}},
		"unicode": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) {
			c.Name = "café 日本 😀"
			c.Description = "Zürich — east\u00a0wing"
			c.Verification.Roles = []string{"Админ", "管理者"}
		})}},
		"escapes": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) {
			c.Name = `say "hi" \ back\slash /slash`
			c.Description = "tab\tnewline\nreturn\rbell\a nul\x00 del\x7f <b>&amp;</b> \u2028\u2029"
			c.Verification.Message = `{"error":"invalid_client"}`
		})}},
		"large numbers": {Version: math.MaxInt, Connections: []Connection{
			sampleWith(func(c *Connection) { c.Verification.Lifetime = math.MaxInt64 }),
			sampleWith(func(c *Connection) { c.Verification.Lifetime = math.MinInt64 }),
		}},
		"fractions of seconds": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) {
			c.CreatedAt = time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)
			c.UpdatedAt = time.Date(2026, 1, 2, 3, 4, 5, 100000000, time.UTC)
			c.Verification.At = time.Date(2024, 2, 29, 23, 59, 59, 1, time.UTC)
		})}},
		"far dates": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) {
			c.SecretExpires = NewDate(9999, 12, 31)
			c.CreatedAt = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
			c.UpdatedAt = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
		})}},
	}
}

// stdlibRoundTrip returns doc as encoding/json writes and reads it.
func stdlibRoundTrip(t *testing.T, doc *document) *document {
	t.Helper()
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var out document
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func TestCodecRoundTrip(t *testing.T) {
	docs := sampleDocuments()
	// These change on the way through encoding/json too: compare with
	// what it reads back.
	changed := map[string]*document{
		"invalid utf-8": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) {
			c.Name = "bad\xffbyte"
			c.Description = "cut \xe6\x97 short"
		})}},
		"other zones": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) {
			c.CreatedAt = sampleCreated.In(time.FixedZone("CET", 3600))
			c.UpdatedAt = sampleCreated.In(time.FixedZone("", -(9*3600 + 30*60)))
			c.Verification.At = sampleVerified.Local()
		})}},
		"empty lists": {Version: 1, Connections: []Connection{sampleWith(func(c *Connection) {
			c.Verification.Products, c.Verification.Roles = []string{}, []string{}
		})}},
	}
	for name, doc := range changed {
		docs[name] = doc
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			want, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got, err := encodeDocument(doc)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("encodeDocument = %s, %v; want json.MarshalIndent's\n%s", got, err, want)
			}
			var std document
			if err := json.Unmarshal(got, &std); err != nil {
				t.Fatalf("encoding/json cannot read the output: %v", err)
			}
			if _, ok := changed[name]; !ok && !reflect.DeepEqual(&std, doc) {
				t.Errorf("encoding/json read back %+v; want %+v", std, *doc)
			}
			if want := stdlibRoundTrip(t, doc); !reflect.DeepEqual(&std, want) {
				t.Errorf("encoding/json read back %+v; want %+v", std, *want)
			}
			fast, err := decodeDocumentFast(string(got))
			if err != nil {
				t.Fatalf("decodeDocumentFast: %v; want the fast path to read what the store writes", err)
			}
			if !reflect.DeepEqual(fast, &std) {
				t.Errorf("decodeDocumentFast = %+v; want %+v", *fast, std)
			}
		})
	}
}

// TestCodecCoversEveryField fails when a field is added to the file
// without being added to the codec: the sample must set every field, and
// the round trip above must then keep it.
func TestCodecCoversEveryField(t *testing.T) {
	doc := sampleDocuments()["every field"]
	for _, v := range []any{*doc, doc.Connections[0], *doc.Connections[0].Verification} {
		rv := reflect.ValueOf(v)
		for i := range rv.NumField() {
			if rv.Field(i).IsZero() {
				t.Errorf("the sample leaves %s.%s unset; want every field set", rv.Type().Name(), rv.Type().Field(i).Name)
			}
		}
	}
}

func TestEncodeDocumentBadTime(t *testing.T) {
	for name, tm := range map[string]time.Time{
		"year 10000":  time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		"year -1":     time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		"zone +24:00": time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)),
	} {
		t.Run(name, func(t *testing.T) {
			doc := &document{Version: 1, Connections: []Connection{sampleWith(func(c *Connection) { c.UpdatedAt = tm })}}
			_, want := json.MarshalIndent(doc, "", "  ")
			_, err := encodeDocument(doc)
			if err == nil || want == nil || err.Error() != want.Error() {
				t.Errorf("encodeDocument err = %v; want %v", err, want)
			}
		})
	}
}

// sampleJSON is a valid document holding every field.
const sampleJSON = `{"version":1,"secrets":"keychain","connections":[{"id":"a1","name":"prod","description":"d",` +
	`"vanity_domain":"acme","cloud":"beta","client_id":"cid","auth_method":"secret","secret_expires":"2027-03-31",` +
	`"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05.5Z","last_verification":{"at":"2026-01-02T03:04:05Z",` +
	`"ok":true,"category":"rejected","message":"m","token_lifetime_seconds":3600,"products":["ZIAM","ZIA"],"roles":["Super Admin"]},` +
	`"default":true}]}`

// connectionJSON wraps the members of one connection in a document.
func connectionJSON(members string) string {
	return `{"version":1,"connections":[{` + members + `}]}`
}

// decodeCases are inputs for the fast path. fast means it must read them
// itself rather than fall back.
var decodeCases = []struct {
	name  string
	in    string
	fast  bool
	valid bool // encoding/json reads it without error
}{
	{"compact", sampleJSON, true, true},
	{"indented", "{\n  \"version\": 1,\n  \"connections\": [\n    {\n      \"id\": \"a\"\n    }\n  ]\n}\n", true, true},
	{"weird whitespace", " \r\n\t{ \t\"version\"\r\n:\n1 ,\"connections\" : [ { \"id\" :\t\"a\" } , { } ] }\r\n\t ", true, true},
	{"reordered fields", `{"connections":[{"default":true,"last_verification":{"roles":["r"],"ok":true,"at":"2026-01-02T03:04:05Z"},"name":"n","id":"i"}],"version":1}`, true, true},
	{"unknown fields", `{"x":1,"version":1,"y":"s","connections":[{"z":[1,"2",{"a":null}],"id":"a","last_verification":{"w":{"v":[true,false]},"ok":true}}],"q":{}}`, true, true},
	{"nested unknown values", `{"version":1,"deep":[[[[{"a":[{"b":[[]]}]}]]]],"connections":[]}`, true, true},
	{"unknown numbers", `{"version":1,"n":[-0,0.5,1e10,-1.5E-3,12345678901234567890123,0e0],"connections":[]}`, true, true},
	{"unknown escapes", `{"version":1,"n":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","connections":[]}`, true, true},
	{"empty name", `{"version":1,"":1,"connections":[]}`, true, true},
	{"escapes", connectionJSON(`"name":"caf\u00e9 \"q\" \\ \/ \n\t\b\f\r","description":"\ud83d\ude00 \u00E9\u4e2D"`), true, true},
	{"lone surrogates", connectionJSON(`"name":"\ud800x","description":"\udc00\ud800\ud800\udc00\ud83d"`), true, true},
	{"raw unicode", connectionJSON(`"name":"日本 café 😀","description":"\u2028 line"`), true, true},
	{"invalid utf-8", connectionJSON("\"name\":\"bad\xff\xfe\",\"description\":\"cut \xe6\x97\",\"cloud\":\"\xed\xa0\x80\""), true, true},
	{"invalid utf-8 and escapes", connectionJSON("\"name\":\"\xff\\n\xc0\""), true, true},
	{"html", connectionJSON(`"name":"<b>&amp;</b>","description":"\u003c\u003e\u0026"`), true, true},
	{"nulls", `{"version":1,"secrets":null,"connections":[null,{"id":null,"name":null,"description":null,"vanity_domain":null,` +
		`"cloud":null,"client_id":null,"auth_method":null,"secret_expires":null,"created_at":null,"updated_at":null,` +
		`"last_verification":null,"default":null}]}`, true, true},
	{"null verification fields", connectionJSON(`"last_verification":{"at":null,"ok":null,"category":null,"message":null,` +
		`"token_lifetime_seconds":null,"products":null,"roles":null}`), true, true},
	{"null elements", connectionJSON(`"last_verification":{"products":["a",null,"b"]}`), true, true},
	{"null connections", `{"version":1,"connections":null}`, true, true},
	{"null version", `{"version":null,"connections":[]}`, true, true},
	{"empty arrays", connectionJSON(`"last_verification":{"products":[],"roles":[ ]}`), true, true},
	{"empty objects", `{"version":1,"connections":[{},{"last_verification":{}}]}`, true, true},
	{"empty document", `{}`, true, true},
	{"upper-case keys", `{"VERSION":1,"Connections":[{"ID":"a","Name":"n","VANITY_DOMAIN":"v","Last_Verification":{"OK":true,"AT":"2026-01-02T03:04:05Z"}}]}`, true, true},
	// ſ (U+017F) folds to s, and the Kelvin sign K (U+212A) to k.
	{"folded keys", `{"ſecrets":"x","version":1,"connections":[{"oK":1,"last_verification":{"oK":true,"\u212aO":false}}]}`, true, true},
	{"escaped folded keys", `{"\u017fecrets":"x","version":1,"connections":[{"last_verification":{"o\u212a":true,"CATEGORY":"c","ro\u212cles":1}}]}`, true, true},
	{"escaped keys", `{"\u0076ersion":1,"connections":[{"\u0069d":"a","n\u0061me":"b","\u0049D":"c"}]}`, true, true},
	{"near keys", connectionJSON(`"idd":"a","i":"b","name ":"c","_name":"d","Κ":1`), true, true},
	{"duplicate keys", connectionJSON(`"name":"a","name":"b","id":"x","id":null,"default":true,"default":false`), true, true},
	{"duplicate keys differing in case", connectionJSON(`"name":"a","NAME":"b","Name":null`), true, true},
	{"duplicate objects merge", connectionJSON(`"last_verification":{"ok":true,"category":"c","products":["a","b","c"]},` +
		`"last_verification":{"message":"m","products":["x"]},"last_verification":{"products":["y",null,null]}`), true, true},
	{"duplicate object after null", connectionJSON(`"last_verification":{"ok":true},"last_verification":null,"last_verification":{"message":"m"}`), true, true},
	{"duplicate arrays", `{"version":1,"connections":[{"id":"a","name":"n"},{"id":"b"},{"id":"c"}],` +
		`"connections":[{"id":"x"}],"connections":[null,{"name":"m"},null,{}],"version":1}`, true, true},
	{"duplicate array after empty", `{"version":1,"connections":[{"id":"a"},{"id":"b"}],"connections":[],"connections":[null,null]}`, true, true},
	{"duplicate array after null", connectionJSON(`"last_verification":{"roles":["a","b"],"roles":null,"roles":[null]}`), true, true},
	{"large numbers", connectionJSON(`"last_verification":{"token_lifetime_seconds":9223372036854775807}`), true, true},
	{"smallest number", connectionJSON(`"last_verification":{"token_lifetime_seconds":-9223372036854775808}`), true, true},
	{"negative zero", `{"version":-0,"connections":[]}`, true, true},
	{"negative version", `{"version":-3,"connections":[]}`, true, true},
	{"dates", `{"version":1,"connections":[{"secret_expires":"2024-02-29"},{"secret_expires":""},{"secret_expires":" 2027-03-31 "},` +
		`{"secret_expires":"2027\u002d03-31"},{"secret_expires":"0000-01-01"}]}`, true, true},
	{"times", `{"version":1,"connections":[{"created_at":"2026-01-02T03:04:05.123456789Z","updated_at":"2026-01-02T03:04:05+02:00"},` +
		`{"created_at":"2024-02-29T23:59:59.1Z","updated_at":"2026-01-02T03:04:05.1234567891Z"},{"created_at":"2026-01-02T03:04:05-00:00"},` +
		`{"created_at":"0000-01-01T00:00:00Z","updated_at":"9999-12-31T23:59:59.999999999Z"}]}`, true, true},

	{"string for a number", `{"version":"1","connections":[]}`, false, false},
	{"exponent for an int", `{"version":1e0,"connections":[]}`, false, false},
	{"fraction for an int", connectionJSON(`"last_verification":{"token_lifetime_seconds":3600.0}`), false, false},
	{"too large for an int", connectionJSON(`"last_verification":{"token_lifetime_seconds":9223372036854775808}`), false, false},
	{"number for a string", connectionJSON(`"name":1`), false, false},
	{"string for a bool", connectionJSON(`"default":"true"`), false, false},
	{"object for a string", connectionJSON(`"name":{}`), false, false},
	{"array for an object", connectionJSON(`"last_verification":[]`), false, false},
	{"object for an array", `{"version":1,"connections":{}}`, false, false},
	{"number in a list", connectionJSON(`"last_verification":{"roles":[1]}`), false, false},
	{"bad date", connectionJSON(`"secret_expires":"2027-02-29"`), false, false},
	{"date as a number", connectionJSON(`"secret_expires":20270331`), false, false},
	{"bad day of month", connectionJSON(`"created_at":"2026-04-31T00:00:00Z"`), false, false},
	{"lower-case zone", connectionJSON(`"created_at":"2026-01-02T03:04:05z"`), false, false},
	{"escape in a time", connectionJSON(`"created_at":"2026-01-02T03:04:05\u005a"`), false, false},
	{"time as a number", connectionJSON(`"created_at":0`), false, false},
	{"top-level null", `null`, false, true},
	{"top-level array", `[]`, false, false},
	{"top-level string", `"x"`, false, false},

	{"truncated", `{"version":1,"connections":[`, false, false},
	{"truncated string", `{"version":1,"secrets":"keych`, false, false},
	{"truncated escape", `{"version":1,"secrets":"\u00`, false, false},
	{"truncated literal", `{"version":1,"connections":[{"default":tru`, false, false},
	{"truncated after key", `{"version"`, false, false},
	{"trailing comma in object", `{"version":1,"connections":[],}`, false, false},
	{"trailing comma in array", `{"version":1,"connections":[{},]}`, false, false},
	{"leading comma", `{,"version":1}`, false, false},
	{"missing colon", `{"version" 1}`, false, false},
	{"missing comma", `{"version":1 "connections":[]}`, false, false},
	{"single quotes", `{'version':1}`, false, false},
	{"unquoted key", `{version:1}`, false, false},
	{"trailing garbage", sampleJSON + ` x`, false, false},
	{"two documents", sampleJSON + sampleJSON, false, false},
	{"byte order mark", "\ufeff" + sampleJSON, false, false},
	{"comment", `{"version":1 // one` + "\n}", false, false},
	{"control character in a string", "{\"version\":1,\"secrets\":\"a\tb\"}", false, false},
	{"bad escape", `{"version":1,"secrets":"\x41"}`, false, false},
	{"short unicode escape", `{"version":1,"secrets":"\u12"}`, false, false},
	{"bad unicode escape", `{"version":1,"secrets":"\u12g4"}`, false, false},
	{"leading zero", `{"version":01}`, false, false},
	{"leading plus", `{"version":+1}`, false, false},
	{"bare minus", `{"x":-,"version":1}`, false, false},
	{"empty fraction", `{"x":1.,"version":1}`, false, false},
	{"empty exponent", `{"x":1e,"version":1}`, false, false},
	{"bare fraction", `{"x":.5,"version":1}`, false, false},
	{"NaN", `{"x":NaN,"version":1}`, false, false},
	{"misspelled literal", `{"x":nul,"version":1}`, false, false},
	{"literal with tail", `{"x":nullx,"version":1}`, false, false},
	{"capital literal", `{"x":True,"version":1}`, false, false},
	{"non-string key", `{1:1}`, false, false},
	{"unclosed array", `{"x":[1,2,"version":1}`, false, false},
	{"mismatched brackets", `{"x":[1,2},"version":1}`, false, false},
	{"deep but allowed", `{"version":1,"x":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`, false, true},
	{"too deep", `{"version":1,"x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, false, false},
	{"nul byte", "{\"version\":1}\x00", false, false},
}

func TestDecodeDocumentFast(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			var want document
			stdErr := json.Unmarshal([]byte(tc.in), &want)
			if (stdErr == nil) != tc.valid {
				t.Fatalf("encoding/json err = %v; the case expects valid = %v", stdErr, tc.valid)
			}
			got, err := decodeDocumentFast(tc.in)
			switch {
			case errors.Is(err, errFallback):
				if tc.fast {
					t.Errorf("decodeDocumentFast fell back; want it to read the input")
				}
			case err != nil:
				t.Errorf("decodeDocumentFast err = %v; want nil or errFallback", err)
			case stdErr != nil:
				t.Errorf("decodeDocumentFast = %+v; want a fallback, as encoding/json fails: %v", *got, stdErr)
			case !reflect.DeepEqual(got, &want):
				t.Errorf("decodeDocumentFast = %+v; want %+v", *got, want)
			}
		})
	}
}

func TestDecodeDocumentFallsBack(t *testing.T) {
	for name, tc := range map[string]struct {
		in      string
		want    *document
		wantErr string
	}{
		"type error":   {in: `{"version":1e0,"connections":[]}`, wantErr: "cannot unmarshal number 1e0 into Go struct field document.version of type int"},
		"syntax error": {in: `{"version":1,"connections":[}`, wantErr: "invalid character '}' looking for beginning of value"},
		"deep but valid": {
			in:   `{"version":1,"x":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `,"connections":[]}`,
			want: &document{Version: 1, Connections: []Connection{}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("config", name, FileName)
			got, err := decodeDocument(path, tc.in)
			if tc.wantErr != "" {
				var corrupt *CorruptError
				if !errors.As(err, &corrupt) || corrupt.Path != path || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("decodeDocument err = %v; want a CorruptError for %s with %q", err, path, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("decodeDocument = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func FuzzDecodeDocument(f *testing.F) {
	for _, tc := range decodeCases {
		f.Add([]byte(tc.in))
	}
	for _, doc := range sampleDocuments() {
		b, err := encodeDocument(doc)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := decodeDocumentFast(string(in))
		var want document
		stdErr := json.Unmarshal(in, &want)
		switch {
		case errors.Is(err, errFallback):
		case err != nil:
			if stdErr == nil {
				t.Fatalf("decodeDocumentFast err = %v; want success or a fallback, as encoding/json reads it", err)
			}
		case stdErr != nil:
			t.Fatalf("decodeDocumentFast = %+v; want a fallback, as encoding/json fails: %v", *got, stdErr)
		case !reflect.DeepEqual(got, &want):
			t.Fatalf("decodeDocumentFast = %+v; want %+v", *got, want)
		}
	})
}

func FuzzEncodeDocument(f *testing.F) {
	f.Add("prod", "Production tenant", "ZIAM", int64(3600), int64(1767323045), int32(0), 0, true)
	f.Add("café \"q\" \\ <&>", "tab\t\x00\u2028", "", int64(0), int64(0), int32(0), -1, false)
	f.Add("\xff\xfe", "\xe6\x97", "a\xc0b", int64(math.MinInt64), int64(253402300799), int32(999999999), 90*60, true)
	f.Add("x", "", "y", int64(math.MaxInt64), int64(-62135596801), int32(1), 24*60, false)
	f.Fuzz(func(t *testing.T, name, desc, product string, lifetime, sec int64, nsec int32, zoneMinutes int, ok bool) {
		loc := time.UTC
		if zoneMinutes >= 0 {
			loc = time.FixedZone("", zoneMinutes%(48*60)*60)
		}
		at := time.Unix(sec, int64(nsec)).In(loc)
		c := Connection{
			ID: name + desc, Name: name, Description: desc, Vanity: product, ClientID: desc, AuthMethod: AuthMethod(product),
			CreatedAt: at, UpdatedAt: at.Add(time.Duration(lifetime)), Default: ok,
		}
		if ok {
			c.SecretExpires = Date{at}
			c.Verification = &Verification{At: at, OK: ok, Message: desc, Lifetime: lifetime, Products: []string{product, name}}
		}
		doc := &document{Version: int(lifetime), Secrets: product, Connections: []Connection{c, {Name: desc}}}

		want, wantErr := json.MarshalIndent(doc, "", "  ")
		got, err := encodeDocument(doc)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || !bytes.Equal(got, want) {
			t.Fatalf("encodeDocument = %s, %v; want\n%s, %v", got, err, want, wantErr)
		}
		if err != nil {
			return
		}
		var std document
		if err := json.Unmarshal(got, &std); err != nil {
			t.Fatalf("encoding/json cannot read the output: %v", err)
		}
		fast, err := decodeDocumentFast(string(got))
		if err != nil {
			t.Fatalf("decodeDocumentFast: %v; want the fast path to read what the store writes", err)
		}
		if !reflect.DeepEqual(fast, &std) {
			t.Fatalf("decodeDocumentFast = %+v; want %+v", *fast, std)
		}
	})
}

// benchDocument returns n connections like those of bench_test.go.
func benchDocument(n int) *document {
	now := time.Now().UTC().Truncate(time.Second)
	doc := &document{Version: SchemaVersion, Connections: make([]Connection, n)}
	for i := range doc.Connections {
		doc.Connections[i] = Connection{
			ID: fmt.Sprintf("id%024d", i), Name: fmt.Sprintf("tenant-%05d", i), Description: "Production tenant for the EU region",
			Vanity: fmt.Sprintf("acme%d", i), Cloud: "production", ClientID: fmt.Sprintf("clientid-%012d", i), AuthMethod: AuthSecret,
			SecretExpires: NewDate(2027, 3, 31), CreatedAt: now, UpdatedAt: now,
			Verification: &Verification{At: now, OK: true, Lifetime: 3600, Products: []string{"ZIAM", "ZIA"}, Roles: []string{"Super Admin"}},
		}
	}
	return doc
}

// BenchmarkDecodeStdlib10000 decodes 10,000 connections with
// encoding/json, for comparison with BenchmarkDecodeFast10000.
func BenchmarkDecodeStdlib10000(b *testing.B) {
	data, err := encodeDocument(benchDocument(10000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var doc document
		if err := json.Unmarshal(data, &doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeFast10000 decodes 10,000 connections with the codec.
func BenchmarkDecodeFast10000(b *testing.B) {
	data, err := encodeDocument(benchDocument(10000))
	if err != nil {
		b.Fatal(err)
	}
	s := string(data)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeDocumentFast(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode1000 encodes 1,000 connections with the codec.
func BenchmarkEncode1000(b *testing.B) {
	doc := benchDocument(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeDocument(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeStdlib1000 encodes 1,000 connections with encoding/json.
func BenchmarkEncodeStdlib1000(b *testing.B) {
	doc := benchDocument(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.MarshalIndent(doc, "", "  "); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteFileAtomic measures a save without the encoding: the
// temporary file, its fsync, the rename and the folder's fsync, for a tiny
// file and for one of 1,000 connections.
func BenchmarkWriteFileAtomic(b *testing.B) {
	big, err := encodeDocument(benchDocument(1000))
	if err != nil {
		b.Fatal(err)
	}
	for name, data := range map[string][]byte{"tiny": []byte(`{"version":1,"connections":[]}` + "\n"), "1000": big} {
		b.Run(name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), FileName)
			for b.Loop() {
				if err := writeFileAtomic(path, data); err != nil {
					b.Fatal(err)
				}
			}
			if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, data) {
				b.Fatalf("file = %.40q, %v; want %.40q", got, err, data)
			}
		})
	}
}
