package store

import (
	"bytes"
	"encoding/json"
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
			Products: []string{"ZIAM", "ZIA"}, Roles: []string{"Super Admin"}, AudienceOmitted: true, UserManagement: "ok",
		},
		Default:       true,
		ZPACustomerID: "216196257331281920", ZPAMicrotenantID: "216196257331281921", PartnerID: "123456",
		OmitAudience: true, AllowUnknownCloud: true,
	}
}

// sampleWith returns fullConnection changed by f.
func sampleWith(f func(c *Connection)) Connection {
	c := fullConnection()
	f(&c)
	return c
}

// sampleDocuments are documents that survive a trip through the metadata
// file unchanged.
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

// TestSchemaRoundTrip checks that a document survives the trip through
// the metadata file unchanged, or, for what JSON cannot hold as it is
// (invalid UTF-8, time zones, empty lists), changes once and then stays.
func TestSchemaRoundTrip(t *testing.T) {
	docs := sampleDocuments()
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
			once := roundTrip(t, doc)
			if _, ok := changed[name]; !ok && !reflect.DeepEqual(once, doc) {
				t.Errorf("read back %+v; want %+v", *once, *doc)
			}
			if twice := roundTrip(t, once); !reflect.DeepEqual(twice, once) {
				t.Errorf("read back again %+v; want %+v", *twice, *once)
			}
		})
	}
}

// roundTrip writes doc as the store does and reads it back as JSON.
func roundTrip(t *testing.T, doc *document) *document {
	t.Helper()
	b, err := encodeDocument(doc)
	if err != nil {
		t.Fatalf("encodeDocument: %v", err)
	}
	if !bytes.HasSuffix(b, []byte("}\n")) {
		t.Errorf("the file ends %q; want a closing brace and a line end", b[max(0, len(b)-10):])
	}
	var out document
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("reading back: %v", err)
	}
	return &out
}

// TestSampleSetsEveryField fails when a field is added to the file but
// not to the sample, which the round trip above must then keep.
func TestSampleSetsEveryField(t *testing.T) {
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
			if b, err := encodeDocument(doc); err == nil {
				t.Errorf("encodeDocument = %.60q; want an error, as the file cannot hold the time", b)
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

// decodeInputs are metadata files, well and badly formed, that seed
// FuzzDecodeDocument: the shapes a hand edit or a crash can leave.
var decodeInputs = []struct {
	name string
	in   string
}{
	{"compact", sampleJSON},
	{"indented", "{\n  \"version\": 1,\n  \"connections\": [\n    {\n      \"id\": \"a\"\n    }\n  ]\n}\n"},
	{"weird whitespace", " \r\n\t{ \t\"version\"\r\n:\n1 ,\"connections\" : [ { \"id\" :\t\"a\" } , { } ] }\r\n\t "},
	{"reordered fields", `{"connections":[{"default":true,"last_verification":{"roles":["r"],"ok":true,"at":"2026-01-02T03:04:05Z"},"name":"n","id":"i"}],"version":1}`},
	{"unknown fields", `{"x":1,"version":1,"y":"s","connections":[{"z":[1,"2",{"a":null}],"id":"a","last_verification":{"w":{"v":[true,false]},"ok":true}}],"q":{}}`},
	{"nested unknown values", `{"version":1,"deep":[[[[{"a":[{"b":[[]]}]}]]]],"connections":[]}`},
	{"unknown numbers", `{"version":1,"n":[-0,0.5,1e10,-1.5E-3,12345678901234567890123,0e0],"connections":[]}`},
	{"unknown escapes", `{"version":1,"n":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","connections":[]}`},
	{"empty name", `{"version":1,"":1,"connections":[]}`},
	{"escapes", connectionJSON(`"name":"caf\u00e9 \"q\" \\ \/ \n\t\b\f\r","description":"\ud83d\ude00 \u00E9\u4e2D"`)},
	{"lone surrogates", connectionJSON(`"name":"\ud800x","description":"\udc00\ud800\ud800\udc00\ud83d"`)},
	{"raw unicode", connectionJSON(`"name":"日本 café 😀","description":"\u2028 line"`)},
	{"invalid utf-8", connectionJSON("\"name\":\"bad\xff\xfe\",\"description\":\"cut \xe6\x97\",\"cloud\":\"\xed\xa0\x80\"")},
	{"invalid utf-8 and escapes", connectionJSON("\"name\":\"\xff\\n\xc0\"")},
	{"html", connectionJSON(`"name":"<b>&amp;</b>","description":"\u003c\u003e\u0026"`)},
	{"nulls", `{"version":1,"secrets":null,"connections":[null,{"id":null,"name":null,"description":null,"vanity_domain":null,` +
		`"cloud":null,"client_id":null,"auth_method":null,"secret_expires":null,"created_at":null,"updated_at":null,` +
		`"last_verification":null,"default":null}]}`},
	{"null verification fields", connectionJSON(`"last_verification":{"at":null,"ok":null,"category":null,"message":null,` +
		`"token_lifetime_seconds":null,"products":null,"roles":null}`)},
	{"null elements", connectionJSON(`"last_verification":{"products":["a",null,"b"]}`)},
	{"null connections", `{"version":1,"connections":null}`},
	{"null version", `{"version":null,"connections":[]}`},
	{"empty arrays", connectionJSON(`"last_verification":{"products":[],"roles":[ ]}`)},
	{"empty objects", `{"version":1,"connections":[{},{"last_verification":{}}]}`},
	{"empty document", `{}`},
	{"upper-case keys", `{"VERSION":1,"Connections":[{"ID":"a","Name":"n","VANITY_DOMAIN":"v","Last_Verification":{"OK":true,"AT":"2026-01-02T03:04:05Z"}}]}`},
	// ſ (U+017F) folds to s, and the Kelvin sign K (U+212A) to k.
	{"folded keys", `{"ſecrets":"x","version":1,"connections":[{"oK":1,"last_verification":{"oK":true,"\u212aO":false}}]}`},
	{"escaped folded keys", `{"\u017fecrets":"x","version":1,"connections":[{"last_verification":{"o\u212a":true,"CATEGORY":"c","ro\u212cles":1}}]}`},
	{"escaped keys", `{"\u0076ersion":1,"connections":[{"\u0069d":"a","n\u0061me":"b","\u0049D":"c"}]}`},
	{"near keys", connectionJSON(`"idd":"a","i":"b","name ":"c","_name":"d","Κ":1`)},
	{"duplicate keys", connectionJSON(`"name":"a","name":"b","id":"x","id":null,"default":true,"default":false`)},
	{"duplicate keys differing in case", connectionJSON(`"name":"a","NAME":"b","Name":null`)},
	{"duplicate objects merge", connectionJSON(`"last_verification":{"ok":true,"category":"c","products":["a","b","c"]},` +
		`"last_verification":{"message":"m","products":["x"]},"last_verification":{"products":["y",null,null]}`)},
	{"duplicate object after null", connectionJSON(`"last_verification":{"ok":true},"last_verification":null,"last_verification":{"message":"m"}`)},
	{"duplicate arrays", `{"version":1,"connections":[{"id":"a","name":"n"},{"id":"b"},{"id":"c"}],` +
		`"connections":[{"id":"x"}],"connections":[null,{"name":"m"},null,{}],"version":1}`},
	{"duplicate array after empty", `{"version":1,"connections":[{"id":"a"},{"id":"b"}],"connections":[],"connections":[null,null]}`},
	{"duplicate array after null", connectionJSON(`"last_verification":{"roles":["a","b"],"roles":null,"roles":[null]}`)},
	{"large numbers", connectionJSON(`"last_verification":{"token_lifetime_seconds":9223372036854775807}`)},
	{"smallest number", connectionJSON(`"last_verification":{"token_lifetime_seconds":-9223372036854775808}`)},
	{"negative zero", `{"version":-0,"connections":[]}`},
	{"negative version", `{"version":-3,"connections":[]}`},
	{"dates", `{"version":1,"connections":[{"secret_expires":"2024-02-29"},{"secret_expires":""},{"secret_expires":" 2027-03-31 "},` +
		`{"secret_expires":"2027\u002d03-31"},{"secret_expires":"0000-01-01"}]}`},
	{"times", `{"version":1,"connections":[{"created_at":"2026-01-02T03:04:05.123456789Z","updated_at":"2026-01-02T03:04:05+02:00"},` +
		`{"created_at":"2024-02-29T23:59:59.1Z","updated_at":"2026-01-02T03:04:05.1234567891Z"},{"created_at":"2026-01-02T03:04:05-00:00"},` +
		`{"created_at":"0000-01-01T00:00:00Z","updated_at":"9999-12-31T23:59:59.999999999Z"}]}`},

	{"string for a number", `{"version":"1","connections":[]}`},
	{"exponent for an int", `{"version":1e0,"connections":[]}`},
	{"fraction for an int", connectionJSON(`"last_verification":{"token_lifetime_seconds":3600.0}`)},
	{"too large for an int", connectionJSON(`"last_verification":{"token_lifetime_seconds":9223372036854775808}`)},
	{"number for a string", connectionJSON(`"name":1`)},
	{"string for a bool", connectionJSON(`"default":"true"`)},
	{"object for a string", connectionJSON(`"name":{}`)},
	{"array for an object", connectionJSON(`"last_verification":[]`)},
	{"object for an array", `{"version":1,"connections":{}}`},
	{"number in a list", connectionJSON(`"last_verification":{"roles":[1]}`)},
	{"bad date", connectionJSON(`"secret_expires":"2027-02-29"`)},
	{"date as a number", connectionJSON(`"secret_expires":20270331`)},
	{"bad day of month", connectionJSON(`"created_at":"2026-04-31T00:00:00Z"`)},
	{"lower-case zone", connectionJSON(`"created_at":"2026-01-02T03:04:05z"`)},
	{"escape in a time", connectionJSON(`"created_at":"2026-01-02T03:04:05\u005a"`)},
	{"time as a number", connectionJSON(`"created_at":0`)},
	{"top-level null", `null`},
	{"top-level array", `[]`},
	{"top-level string", `"x"`},

	{"truncated", `{"version":1,"connections":[`},
	{"truncated string", `{"version":1,"secrets":"keych`},
	{"truncated escape", `{"version":1,"secrets":"\u00`},
	{"truncated literal", `{"version":1,"connections":[{"default":tru`},
	{"truncated after key", `{"version"`},
	{"trailing comma in object", `{"version":1,"connections":[],}`},
	{"trailing comma in array", `{"version":1,"connections":[{},]}`},
	{"leading comma", `{,"version":1}`},
	{"missing colon", `{"version" 1}`},
	{"missing comma", `{"version":1 "connections":[]}`},
	{"single quotes", `{'version':1}`},
	{"unquoted key", `{version:1}`},
	{"trailing garbage", sampleJSON + ` x`},
	{"two documents", sampleJSON + sampleJSON},
	{"byte order mark", "\ufeff" + sampleJSON},
	{"comment", `{"version":1 // one` + "\n}"},
	{"control character in a string", "{\"version\":1,\"secrets\":\"a\tb\"}"},
	{"bad escape", `{"version":1,"secrets":"\x41"}`},
	{"short unicode escape", `{"version":1,"secrets":"\u12"}`},
	{"bad unicode escape", `{"version":1,"secrets":"\u12g4"}`},
	{"leading zero", `{"version":01}`},
	{"leading plus", `{"version":+1}`},
	{"bare minus", `{"x":-,"version":1}`},
	{"empty fraction", `{"x":1.,"version":1}`},
	{"empty exponent", `{"x":1e,"version":1}`},
	{"bare fraction", `{"x":.5,"version":1}`},
	{"NaN", `{"x":NaN,"version":1}`},
	{"misspelled literal", `{"x":nul,"version":1}`},
	{"literal with tail", `{"x":nullx,"version":1}`},
	{"capital literal", `{"x":True,"version":1}`},
	{"non-string key", `{1:1}`},
	{"unclosed array", `{"x":[1,2,"version":1}`},
	{"mismatched brackets", `{"x":[1,2},"version":1}`},
	{"deep but allowed", `{"version":1,"x":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`},
	{"too deep", `{"version":1,"x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`},
	{"nul byte", "{\"version\":1}\x00"},
}

func TestDecodeDocument(t *testing.T) {
	for name, tc := range map[string]struct {
		in      string
		want    *document
		wantErr string
	}{
		"compact":        {in: sampleJSON, want: &document{Version: 1, Secrets: "keychain", Connections: []Connection{sampleJSONConnection()}}},
		"type error":     {in: `{"version":1e0,"connections":[]}`, wantErr: "cannot unmarshal number 1e0 into Go struct field document.version of type int"},
		"syntax error":   {in: `{"version":1,"connections":[}`, wantErr: "invalid character '}' looking for beginning of value"},
		"empty":          {in: " \n", wantErr: "the file is empty"},
		"no version":     {in: `{"connections":[]}`, wantErr: "no schema version"},
		"future version": {in: `{"version":3,"connections":[]}`, wantErr: "written by a newer zconn (schema 3"},
		"duplicate ID": {
			in:      "{\"version\":1,\"connections\":[\n{\"id\":\"a\",\"name\":\"x\"},\n{\"id\":\"b\",\"name\":\"y\"},\n{\"id\":\"a\",\"name\":\"z\"}]}",
			wantErr: `the connection on line 4 has the ID "a", as the one on line 2 does: give it its own ID`,
		},
		"duplicate name": {
			in:      "{\"version\":1,\"connections\":[{\"id\":\"a\",\"name\":\"Prod\"},\n\n  {\"id\":\"b\",\"name\":\"prod\"}]}",
			wantErr: `the connection on line 3 has the name "prod", as the one on line 1 does, ignoring case: give it its own name`,
		},
		"duplicate name, folded": {
			in: "{\"version\":1,\"connections\":[{\"id\":\"a\",\"name\":\"\u017fK\"},{\"id\":\"b\",\"name\":\" s\u212a \"}]}",
			// The message shows the name cleaned, as store.Quote does: trimmed.
			wantErr: "the connection on line 1 has the name \"s\u212a\", as the one on line 1 does, ignoring case",
		},
		"deep but valid": {
			in:   `{"version":1,"x":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `,"connections":[]}`,
			want: &document{Version: 1, Connections: []Connection{}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("config", name, FileName)
			got, err := decodeDocument(path, []byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("decodeDocument err = %v; want one naming %s with %q", err, path, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("decodeDocument = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// sampleJSONConnection is the connection sampleJSON holds.
func sampleJSONConnection() Connection {
	return Connection{
		ID: "a1", Name: "prod", Description: "d", Vanity: "acme", Cloud: "beta", ClientID: "cid", AuthMethod: AuthSecret,
		SecretExpires: NewDate(2027, 3, 31), CreatedAt: sampleCreated, UpdatedAt: sampleCreated.Add(500 * time.Millisecond),
		Verification: &Verification{At: sampleCreated, OK: true, Category: "rejected", Message: "m", Lifetime: 3600,
			Products: []string{"ZIAM", "ZIA"}, Roles: []string{"Super Admin"}},
		Default: true,
	}
}

// FuzzDecodeDocument reads arbitrary bytes as the metadata file: it must
// never panic, and what it accepts, once saved, must read back to what
// saves the same text again (empty lists and the like become absent on
// the first save, and then stay so).
func FuzzDecodeDocument(f *testing.F) {
	for _, tc := range decodeInputs {
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
		doc, err := decodeDocument(FileName, in)
		if err != nil {
			return
		}
		saved, err := encodeDocument(doc)
		if err != nil {
			t.Fatalf("encodeDocument of what was read: %v", err)
		}
		again, err := decodeDocument(FileName, saved)
		if err != nil {
			t.Fatalf("decodeDocument of what was saved: %v\n%s", err, saved)
		}
		if resaved, err := encodeDocument(again); err != nil || !bytes.Equal(resaved, saved) {
			t.Fatalf("saving again gives %s, %v; want\n%s", resaved, err, saved)
		}
	})
}

// FuzzConnectionRoundTrip builds connections from arbitrary values, as
// the store keeps them (valid UTF-8 text, UTC times, dates as days), and
// checks that each survives the metadata file unchanged.
func FuzzConnectionRoundTrip(f *testing.F) {
	f.Add("prod", "Production tenant", "ZIAM", int64(3600), int64(1767323045), int32(0), true)
	f.Add("café \"q\" \\ <&>", "tab\t\x00\u2028", "", int64(0), int64(0), int32(0), false)
	f.Add("\xff\xfe", "\xe6\x97", "a\xc0b", int64(math.MinInt64), int64(253402300799), int32(999999999), true)
	f.Add("x", "", "y", int64(math.MaxInt64), int64(-62135596801), int32(1), false)
	f.Fuzz(func(t *testing.T, name, desc, product string, lifetime, sec int64, nsec int32, ok bool) {
		name, desc, product = strings.ToValidUTF8(name, "\ufffd"), strings.ToValidUTF8(desc, "\ufffd"), strings.ToValidUTF8(product, "\ufffd")
		at := time.Unix(sec, int64(nsec)%1e9).UTC()
		if at.Year() < 0 || at.Year() > 9999 {
			return // outside what RFC 3339 writes; TestEncodeDocumentBadTime covers it
		}
		c := Connection{
			ID: name + desc, Name: name, Description: desc, Vanity: product, Cloud: desc, ClientID: desc, AuthMethod: AuthMethod(product),
			CreatedAt: at, UpdatedAt: at, Default: ok,
		}
		if ok {
			c.SecretExpires = NewDate(at.Year(), at.Month(), at.Day())
			c.Verification = &Verification{At: at, OK: ok, Category: product, Message: desc, Lifetime: lifetime, Products: []string{product, name}, Roles: []string{desc}}
		}
		doc := &document{Version: int(lifetime), Secrets: product, Connections: []Connection{c, {Name: desc}}}
		if got := roundTrip(t, doc); !reflect.DeepEqual(got, doc) {
			t.Fatalf("read back %+v; want %+v", *got, *doc)
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

// BenchmarkDecode decodes the metadata file of 200 and 10,000
// connections.
func BenchmarkDecode(b *testing.B) {
	for _, n := range []int{200, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			data, err := encodeDocument(benchDocument(n))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeDocument(FileName, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncode encodes 200 and 1,000 connections.
func BenchmarkEncode(b *testing.B) {
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			doc := benchDocument(n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := encodeDocument(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
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
