package sdkconfig

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/zconn/zconn/internal/regularfile"
)

// RemoveSecret rewrites the SDK YAML file at path without its plaintext
// secret: zscaler.client's clientSecret, and its privateKey when that holds
// the PEM itself. A privateKey that names a key file stays, since the file
// holds only the path and the SDKs still need it; the key file itself is
// never touched. When nothing is left to remove the error is ErrNoPlaintext.
//
// digest is the Setup.Digest from the read that was imported: a file whose
// content changed since is refused (ErrChanged) rather than overwritten.
//
// Every other key, value and comment stays, in order, and the file keeps
// its mode (and, where the system allows, its owner). The comments written
// on the removed entries (the line above a key and the end of its line) go
// with them; the file is re-emitted by yaml.v3, so blank lines between
// entries, the spacing before comments, ---/... markers and indentation
// other than the file's own step are normalized. Line endings (CRLF) and a
// byte-order mark are kept.
//
// The new text is checked before it is written: it must read back to the
// same settings minus the secret, and the secret must appear nowhere in it
// (not in another key, a comment, or through a YAML anchor); otherwise
// nothing is written (ErrUnsafe). A file with several hard links is refused
// too, since the others would keep the secret.
//
// The replacement is atomic and leaves no copy: a temporary file is created
// in the same folder with mode 0600, set to the file's mode, written,
// flushed to disk and renamed over the file, and the folder is flushed; on
// any failure the temporary file is removed and the original is unchanged
// (ErrWrite). No backup is made, since a backup would be plain text again.
//
// When path is a symbolic link, the file it points to is rewritten, in its
// own folder, and the link stays: replacing the link with a regular file
// would leave the secret in the target, which is often a dotfiles checkout.
func RemoveSecret(path string, digest [sha256.Size]byte) error {
	return removeSecret(path, digest, osFiles{})
}

// files is what removeSecret does to the file system, so that tests can
// make a step fail.
type files interface {
	CreateTemp(dir, pattern string) (*os.File, error)
	Rename(oldpath, newpath string) error
}

type osFiles struct{}

func (osFiles) CreateTemp(dir, pattern string) (*os.File, error) { return os.CreateTemp(dir, pattern) }
func (osFiles) Rename(oldpath, newpath string) error             { return regularfile.Rename(oldpath, newpath) }

func removeSecret(path string, digest [sha256.Size]byte, fsys files) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		msg, category := readProblem(err, MaxFileSize, "YAML file")
		return &Error{Where: path, Msg: msg, Category: category, Err: err}
	}
	data, fi, err := readRegular(target, MaxFileSize)
	if err != nil {
		msg, category := readProblem(err, MaxFileSize, "YAML file")
		return &Error{Where: path, Msg: msg, Category: category, Err: err}
	}
	if sha256.Sum256(data) != digest {
		return newError(path, 0, ErrChanged, "changed since it was read: import it again, then remove the secret")
	}
	if n := regularfile.LinkCount(fi); n > 1 {
		return newError(path, 0, ErrUnsafe, "has %d hard links, which would keep the secret: remove the other links or the secret by hand", n)
	}
	out, err := stripSecret(data, path)
	if err != nil {
		return err
	}
	return replace(path, target, fi, out, digest, fsys)
}

// replace puts data in place of target atomically. path is what the caller
// named, for messages.
func replace(path, target string, fi fs.FileInfo, data []byte, digest [sha256.Size]byte, fsys files) error {
	dir := filepath.Dir(target)
	fail := func(what string, err error) error {
		fix := "remove the secret by hand"
		if errors.Is(err, fs.ErrPermission) {
			fix = "make " + dir + " writable, or remove the secret by hand"
		}
		return &Error{Where: path, Category: ErrWrite, Err: err,
			Msg: fmt.Sprintf("could not %s (%s): the file is unchanged; %s", what, regularfile.Cause(err), fix)}
	}
	f, err := fsys.CreateTemp(dir, "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return fail("create a new file next to it", err)
	}
	tmp := f.Name()
	placed := false
	defer func() {
		if !placed {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(fi.Mode().Perm()); err != nil {
		return fail("set the new file's mode", err)
	}
	keepOwner(f, fi)
	if _, err := f.Write(data); err != nil {
		return fail("write the new file", err)
	}
	if err := f.Sync(); err != nil {
		return fail("flush the new file", err)
	}
	if err := f.Close(); err != nil {
		return fail("write the new file", err)
	}
	// What is replaced must still be what was read.
	if now, _, err := readRegular(target, MaxFileSize); err != nil || sha256.Sum256(now) != digest {
		return newError(path, 0, ErrChanged, "changed while the secret was being removed: import it again, then remove the secret")
	}
	if err := fsys.Rename(tmp, target); err != nil {
		return fail("replace it", err)
	}
	placed = true
	regularfile.SyncDir(dir)
	return nil
}

// utf8BOM is the byte-order mark some editors put first.
var utf8BOM = []byte("\xef\xbb\xbf")

// stripSecret returns data without zscaler.client's plaintext secret,
// checked as RemoveSecret describes. where names the file in errors.
func stripSecret(data []byte, where string) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, newError(where, 0, ErrUnsafe, "could not be rewritten by the YAML library: remove the secret by hand")
		}
	}()
	p, err := parseFile(data, where)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, k := range []string{keyClientSecret, keyPrivateKey} {
		e, ok := p.entries[k]
		if !ok || strings.TrimSpace(e.text) == "" || (k == keyPrivateKey && classifyKey(e.text) == keyPath) {
			continue
		}
		kn, vn := p.client.Content[e.index], p.client.Content[e.index+1]
		if kn.Anchor != "" || vn.Anchor != "" {
			return nil, newError(where, e.line, ErrUnsafe, "zscaler.client.%s is anchored (&) for use elsewhere in the file: remove it by hand", k)
		}
		removed = append(removed, k)
	}
	if len(removed) == 0 {
		return nil, newError(where, 0, ErrNoPlaintext, "holds no client secret or private key to remove")
	}
	secrets := make([]string, 0, len(removed))
	indexes := make([]int, 0, len(removed))
	for _, k := range removed {
		secrets = append(secrets, p.entries[k].text)
		indexes = append(indexes, p.entries[k].index)
	}
	slices.Sort(indexes)
	for _, i := range slices.Backward(indexes) {
		p.removePair(i)
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(p.indent())
	if err := enc.Encode(p.doc); err != nil {
		return nil, newError(where, 0, ErrUnsafe, "could not be rewritten (%s): remove the secret by hand", yamlProblem(err))
	}
	if err := enc.Close(); err != nil {
		return nil, newError(where, 0, ErrUnsafe, "could not be rewritten (%s): remove the secret by hand", yamlProblem(err))
	}
	out = buf.Bytes()
	if bytes.Contains(data, []byte("\r\n")) {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	if bytes.HasPrefix(data, utf8BOM) {
		out = append(slices.Clip(utf8BOM), out...)
	}
	if err := verifyStripped(p, out, removed, secrets); err != nil {
		return nil, err
	}
	return out, nil
}

// removePair takes the key at index i and its value out of zscaler.client.
// Their head and line comments go with them; a comment below the entry (a
// foot comment) moves to the entry before, or the one after.
func (p *parsed) removePair(i int) {
	c := p.client.Content
	foot := joinComments(c[i].FootComment, c[i+1].FootComment)
	p.client.Content = append(c[:i:i], c[i+2:]...)
	if foot == "" {
		return
	}
	switch c = p.client.Content; {
	case i >= 2:
		c[i-2].FootComment = joinComments(c[i-2].FootComment, foot)
	case i < len(c):
		c[i].HeadComment = joinComments(foot, c[i].HeadComment)
	default:
		p.clientKey.FootComment = joinComments(p.clientKey.FootComment, foot)
	}
}

func joinComments(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}

// indent returns the file's indentation step, from zscaler to client, so
// that the rewritten file keeps it; 2 when it cannot be told.
func (p *parsed) indent() int {
	if p.zscalerKey != nil && p.clientKey != nil {
		if d := p.clientKey.Column - p.zscalerKey.Column; d >= 2 && d <= 9 {
			return d
		}
	}
	return 2
}

// verifyStripped checks the rewritten text: it reads back, holds no
// secret, keeps every other setting, and holds the removed values nowhere.
func verifyStripped(p *parsed, out []byte, removed, secrets []string) error {
	unsafe := func(msg string) error { return newError(p.where, 0, ErrUnsafe, "%s", msg) }
	q, err := parseFile(out, p.where)
	if err != nil {
		return unsafe("could not be rewritten so that it reads back: remove the secret by hand")
	}
	if s := q.text(keyClientSecret); strings.TrimSpace(s) != "" {
		return unsafe("still holds a client secret after rewriting: remove it by hand")
	}
	if k := q.text(keyPrivateKey); strings.TrimSpace(k) != "" && classifyKey(k) != keyPath {
		return unsafe("still holds a private key after rewriting: remove it by hand")
	}
	want, got := canonical(p.all, removed), canonical(q.all, nil)
	if want == nil || got == nil || !bytes.Equal(want, got) {
		return unsafe("could not be rewritten without changing other settings: remove the secret by hand")
	}
	for _, s := range secrets {
		if holdsSecret(out, q.doc, s) {
			return unsafe("holds the secret in another place too (a comment or another setting): remove it by hand")
		}
	}
	return nil
}

// canonical deletes the removed keys from zscaler.client in a decoded
// document and encodes the rest, keys sorted, for comparison. It returns
// nil when the value cannot be encoded.
func canonical(all any, removed []string) (b []byte) {
	defer func() {
		if recover() != nil {
			b = nil
		}
	}()
	if len(removed) > 0 {
		if client, ok := child(child(all, "zscaler"), "client").(map[string]any); ok {
			for _, k := range removed {
				delete(client, k)
			}
		}
	}
	b, err := yaml.Marshal(all)
	if err != nil {
		return nil
	}
	return b
}

// child returns m[key] for the map types yaml.v3 decodes into.
func child(m any, key string) any {
	switch m := m.(type) {
	case map[string]any:
		return m[key]
	case map[any]any:
		return m[key]
	}
	return nil
}

// holdsSecret reports whether out still holds the secret: any of its lines
// in the bytes (a PEM's base64 lines of 16 characters or more), or the
// whole value in any scalar or comment of the tree (a quoted scalar may
// hold it escaped). Aliases are not followed, so the walk is linear.
func holdsSecret(out []byte, doc *yaml.Node, secret string) bool {
	whole := strings.TrimSpace(secret)
	lines := strings.Split(whole, "\n")
	for _, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "-----") || (len(lines) > 1 && len(t) < 16) {
			continue
		}
		if bytes.Contains(out, []byte(t)) {
			return true
		}
	}
	if doc == nil || whole == "" {
		return false
	}
	stack := []*yaml.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if strings.Contains(n.Value, whole) || strings.Contains(n.HeadComment, whole) ||
			strings.Contains(n.LineComment, whole) || strings.Contains(n.FootComment, whole) {
			return true
		}
		stack = append(stack, n.Content...)
	}
	return false
}
