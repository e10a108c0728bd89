package sdkconfig

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The keys of zscaler.client that zconn reads, spelled as both SDKs spell
// them (zscaler-sdk-go's yaml tags, zscaler-sdk-python's ConfigSetter).
const (
	keyClientID      = "clientId"
	keyClientSecret  = "clientSecret"
	keyPrivateKey    = "privateKey"
	keyVanityDomain  = "vanityDomain"
	keyCloud         = "cloud"
	keyCustomerID    = "customerId"
	keyMicrotenantID = "microtenantId"
	keyPartnerID     = "partnerId"
)

// clientKeys are the keys above, in the order the SDKs document them.
var clientKeys = [...]string{keyClientID, keyClientSecret, keyPrivateKey, keyVanityDomain, keyCloud, keyCustomerID, keyMicrotenantID, keyPartnerID}

// FromFile reads the setup in the SDK YAML file at path: the zscaler.client
// section's clientId, clientSecret or privateKey, vanityDomain, cloud,
// customerId, microtenantId and partnerId.
//
// The file must be a regular file of at most MaxFileSize bytes; a symbolic
// link is followed, as the SDKs follow it. Values must be text: a number is
// taken as its exact digits (a customerId beyond 2^53 stays exact), and a
// number the SDKs could read differently (a sign, a leading 0, _, a
// fraction) must be quoted. YAML aliases and merge keys are refused inside
// zscaler.client, since a secret reached through an alias could not be
// removed from the file; the whole document must also pass yaml.v3's limit
// on alias expansion.
//
// A privateKey holds either the PEM itself or the path of a PEM key file,
// as the Python SDK reads it (the Go SDK cannot read privateKey from its
// file at all). A relative path is read from cwd, the working directory,
// as the Python SDK does; a leading ~/ means home, the home folder. The key file
// must be a regular file of at most MaxKeySize bytes, and Setup.KeyPath
// records it. A JWK is refused: zconn takes PEM keys.
//
// Every error is an *Error. A missing file or a file without zscaler.client
// credentials is ErrNotFound; a client without a secret is ErrNoSecret.
func FromFile(path, home, cwd string) (*Setup, error) {
	data, _, err := readRegular(path, MaxFileSize)
	if err != nil {
		msg, category := readProblem(err, MaxFileSize, "YAML file")
		return nil, &Error{Where: path, Msg: msg, Category: category, Err: err}
	}
	p, err := parseFile(data, path)
	if err != nil {
		return nil, err
	}
	s, err := p.setup(home, cwd)
	if err != nil {
		return nil, err
	}
	s.Digest = sha256.Sum256(data)
	return s, nil
}

// parsed is an SDK YAML file as its node tree, with zscaler.client's
// entries found.
type parsed struct {
	where string
	// doc is the document node; nil for an empty file.
	doc *yaml.Node
	// all is the document decoded into Go values, for comparisons.
	all any
	// zscalerKey is the key node of zscaler; clientKey that of
	// zscaler.client, and client its mapping.
	zscalerKey, clientKey, client *yaml.Node
	// entries holds zscaler.client's keys that zconn reads.
	entries map[string]entry
}

// entry is one key of zscaler.client.
type entry struct {
	// index is the key node's index in the client mapping's Content.
	index int
	line  int
	text  string
}

func (p *parsed) text(key string) string { return p.entries[key].text }

// parseFile parses data as an SDK YAML file and finds zscaler.client's
// entries, checking their types. It never panics.
func parseFile(data []byte, where string) (p *parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, newError(where, 0, ErrInvalid, "could not be parsed as YAML: fix the file")
		}
	}()
	p = &parsed{where: where, entries: map[string]entry{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return p, nil
		}
		return nil, newError(where, 0, ErrInvalid, "is not valid YAML (%s): fix the file", yamlProblem(err))
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, newError(where, 0, ErrInvalid, "is not valid YAML (%s): fix the file", yamlProblem(err))
	default:
		return nil, newError(where, next.Line, ErrInvalid, "holds more than one YAML document: the SDKs read one; keep the one with zscaler.client")
	}
	p.doc = &doc
	if err := p.findClient(); err != nil {
		return nil, err
	}
	// Decoding the whole document applies yaml.v3's limit on alias
	// expansion and its check for repeated keys; the node tree alone does
	// neither.
	if err := doc.Decode(&p.all); err != nil {
		if strings.Contains(err.Error(), "excessive aliasing") {
			return nil, newError(where, 0, ErrUnsafe, "expands YAML aliases excessively (an alias bomb): fix the file")
		}
		return nil, newError(where, 0, ErrInvalid, "is not valid YAML (%s): fix the file", yamlProblem(err))
	}
	return p, nil
}

// findClient locates zscaler.client and reads its entries.
func (p *parsed) findClient() error {
	root := p.doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil
		}
		root = root.Content[0]
	}
	if isNull(root) {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return newError(p.where, root.Line, ErrInvalid, "the top level is not a mapping: the SDKs read zscaler.client from a mapping")
	}
	zk, zs, err := p.lookup(root, "zscaler", "")
	if err != nil || zs == nil || isNull(zs) {
		return err
	}
	if zs.Kind != yaml.MappingNode {
		return newError(p.where, zs.Line, ErrInvalid, "zscaler is not a mapping: the SDKs read zscaler.client from it")
	}
	ck, cl, err := p.lookup(zs, "client", "zscaler.")
	if err != nil || cl == nil || isNull(cl) {
		return err
	}
	if cl.Kind != yaml.MappingNode {
		return newError(p.where, cl.Line, ErrInvalid, "zscaler.client is not a mapping of settings: write clientId, clientSecret and the others under it")
	}
	p.zscalerKey, p.clientKey, p.client = zk, ck, cl
	for i := 0; i+1 < len(cl.Content); i += 2 {
		k, v := cl.Content[i], cl.Content[i+1]
		if err := p.checkKey(k, "zscaler.client"); err != nil {
			return err
		}
		if k.Kind != yaml.ScalarNode || !isClientKey(k.Value) {
			continue
		}
		name := "zscaler.client." + k.Value
		if first, dup := p.entries[k.Value]; dup {
			return newError(p.where, k.Line, ErrConflict, "%s is written twice (first on line %d): keep one", name, first.line)
		}
		if v.Kind == yaml.AliasNode {
			return newError(p.where, v.Line, ErrInvalid, "%s is a YAML alias: write the value itself there", name)
		}
		text, problem := scalarText(v)
		if problem != "" {
			return newError(p.where, v.Line, ErrInvalid, "%s %s", name, problem)
		}
		if k.Value != keyClientSecret && k.Value != keyPrivateKey {
			text = strings.TrimSpace(text)
		}
		p.entries[k.Value] = entry{index: i, line: k.Line, text: text}
	}
	return nil
}

// lookup finds key in mapping m. It refuses a key written twice, an alias
// as the key or the value, and merge keys, none of which the rest of the
// package could follow safely.
func (p *parsed) lookup(m *yaml.Node, key, prefix string) (k, v *yaml.Node, err error) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn, vn := m.Content[i], m.Content[i+1]
		if err := p.checkKey(kn, strings.TrimSuffix(prefix, ".")); err != nil {
			return nil, nil, err
		}
		if kn.Kind != yaml.ScalarNode || kn.Value != key {
			continue
		}
		if k != nil {
			return nil, nil, newError(p.where, kn.Line, ErrConflict, "%s%s is written twice (first on line %d): keep one", prefix, key, k.Line)
		}
		if vn.Kind == yaml.AliasNode {
			return nil, nil, newError(p.where, vn.Line, ErrInvalid, "%s%s is a YAML alias: write the section itself there", prefix, key)
		}
		k, v = kn, vn
	}
	return k, v, nil
}

// checkKey refuses alias keys and merge keys in the mappings on the way to
// zscaler.client and in it.
func (p *parsed) checkKey(k *yaml.Node, in string) error {
	where := "the top level"
	if in != "" {
		where = in
	}
	switch {
	case k.Kind == yaml.AliasNode:
		return newError(p.where, k.Line, ErrInvalid, "%s has a key that is a YAML alias: write the key itself", where)
	case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
		return newError(p.where, k.Line, ErrInvalid, "%s uses a YAML merge key (<<): write the settings out", where)
	}
	return nil
}

func isClientKey(k string) bool { return slices.Contains(clientKeys[:], k) }

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// scalarText returns a value's text as the SDKs read it, or a problem
// ("is not text: ...") that holds nothing of the value. A null is empty. A
// number is accepted only as plain decimal digits, whose exact text is kept
// (yaml.v3 tags digits beyond 2^64 as a float): the Go SDK reads the text,
// the Python SDK an exact integer. Any other number, a boolean, a date, a
// binary value, or a word that the Python SDK's YAML 1.1 reads as a boolean
// (yes, no, on, off) must be quoted.
func scalarText(n *yaml.Node) (text, problem string) {
	if n.Kind != yaml.ScalarNode {
		return "", "is a list or mapping, not text: write one value"
	}
	switch n.ShortTag() {
	case "!!null":
		return "", ""
	case "!!str":
		if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 && yaml11Bool(n.Value) {
			return "", "is read as a boolean by the Python SDK: write it in quotes"
		}
		return n.Value, ""
	case "!!int", "!!float":
		if plainDecimal(n.Value) {
			return n.Value, ""
		}
		return "", "is a number the SDKs could read differently (a sign, a leading 0, _, a fraction or another base): write it in quotes"
	}
	return "", "is not text: write it in quotes"
}

// yaml11Bool reports whether PyYAML, which follows YAML 1.1, reads an
// unquoted word as a boolean where yaml.v3 reads text.
func yaml11Bool(s string) bool {
	switch s {
	case "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF":
		return true
	}
	return false
}

// plainDecimal reports whether s is 0 or digits without a leading zero.
func plainDecimal(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// setup turns the entries into a Setup, checking that they make one.
func (p *parsed) setup(home, dir string) (*Setup, error) {
	secret, key := p.entries[keyClientSecret], p.entries[keyPrivateKey]
	hasSecret, hasKey := strings.TrimSpace(secret.text) != "", strings.TrimSpace(key.text) != ""
	switch {
	case hasSecret && hasKey:
		return nil, newError(p.where, max(secret.line, key.line), ErrConflict, "zscaler.client has both clientSecret and privateKey: remove the one this API client does not use")
	case !hasSecret && !hasKey:
		if p.text(keyClientID) == "" {
			return nil, newError(p.where, 0, ErrNotFound, "holds no zscaler.client credentials")
		}
		return nil, newError(p.where, p.entries[keyClientID].line, ErrNoSecret, "zscaler.client has no clientSecret or privateKey: add the client's secret or key")
	case p.text(keyClientID) == "":
		return nil, newError(p.where, p.clientKey.Line, ErrIncomplete, "zscaler.client.clientId is not set: add the API client's ID from Integration > API Clients")
	case p.text(keyVanityDomain) == "":
		return nil, newError(p.where, p.clientKey.Line, ErrIncomplete, "zscaler.client.vanityDomain is not set: add the tenant's vanity domain (acme for acme.zslogin.net)")
	}
	s := &Setup{
		Path:          p.where,
		ClientID:      p.text(keyClientID),
		VanityDomain:  p.text(keyVanityDomain),
		Cloud:         p.text(keyCloud),
		CustomerID:    p.text(keyCustomerID),
		MicrotenantID: p.text(keyMicrotenantID),
		PartnerID:     p.text(keyPartnerID),
	}
	if hasSecret {
		s.Kind, s.Secret = ClientSecret, NewSecret(secret.text)
		return s, nil
	}
	pemText, keyPath, err := loadKey(key.text, "zscaler.client.privateKey", home, dir)
	if err != nil {
		err.Where, err.Line = p.where, key.line
		return nil, err
	}
	s.Kind, s.Secret, s.KeyPath = PrivateKey, NewSecret(pemText), keyPath
	return s, nil
}
