package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zconn/zconn/internal/regularfile"
)

// SchemaVersion is the version of the metadata file this build writes.
// Version 2 added private-key clients, the ZPA and partner IDs, the
// audience and unknown-cloud choices and the user-management check; a
// version 1 file reads as it is and is written as version 2 on the next
// save, so an older zconn, which would drop those fields, refuses it.
const SchemaVersion = 2

// FileName is the metadata file's name in the config folder.
const FileName = "connections.json"

// MaxFileSize is the largest metadata file or vault zconn reads: 16 MiB,
// far more than thousands of connections take, so that a file that grew
// by mistake (or a link to an endless device) cannot exhaust memory.
const MaxFileSize = 16 << 20

// document is the metadata file.
type document struct {
	Version int `json:"version"`
	// Secrets remembers the chosen secrets backend: "keychain" or "file".
	Secrets     string       `json:"secrets,omitempty"`
	Connections []Connection `json:"connections"`
}

// CorruptError means the metadata file does not parse. zconn never
// overwrites such a file.
type CorruptError struct {
	Path string
	Err  error
}

// Error names the file and the fix.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("cannot read %s (%v): fix the file or move it aside; zconn will not overwrite it", e.Path, e.Err)
}

// Unwrap returns the parse error.
func (e *CorruptError) Unwrap() error { return e.Err }

// FutureVersionError means the metadata file was written by a newer zconn.
type FutureVersionError struct {
	Path    string
	Version int
}

// Error names the file and the fix.
func (e *FutureVersionError) Error() string {
	return fmt.Sprintf("%s was written by a newer zconn (schema %d; this one knows %d): upgrade zconn; it will not overwrite the file", e.Path, e.Version, SchemaVersion)
}

// DuplicateError means two connections in the metadata file share an ID,
// or a name (ignoring case), as a hand edit can leave them: a command
// could then report one connection and change the other.
type DuplicateError struct {
	// Field is "ID" or "name".
	Field string
	// Value is the shared ID or name, as the second connection has it.
	Value string
	// Line is the line of the second connection, FirstLine that of the
	// first; 0 when it could not be found.
	Line, FirstLine int
}

// Error names the line to fix.
func (e *DuplicateError) Error() string {
	where := "a second connection"
	if e.Line > 0 {
		where = fmt.Sprintf("the connection on line %d", e.Line)
	}
	first := "another connection"
	if e.FirstLine > 0 {
		first = fmt.Sprintf("the one on line %d", e.FirstLine)
	}
	same := ""
	if e.Field == "name" {
		same = ", ignoring case"
	}
	return fmt.Sprintf("%s has the %s %s, as %s does%s: give it its own %s", where, e.Field, Quote(e.Value), first, same, e.Field)
}

// NotRegularFileError means a file zconn keeps in the config folder is not
// a regular file: a symbolic link, a named pipe, a device or a folder.
// zconn neither reads it nor replaces it.
type NotRegularFileError struct {
	Path string
	Mode fs.FileMode
}

// Error says what the file is and the fix.
func (e *NotRegularFileError) Error() string {
	if e.Mode&fs.ModeSymlink != 0 {
		return fmt.Sprintf("%s is a symbolic link, and zconn does not follow links to its files: replace the link with the file it points to", e.Path)
	}
	what := "not a regular file"
	switch {
	case e.Mode.IsDir():
		what = "a folder"
	case e.Mode&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case e.Mode&fs.ModeSocket != 0:
		what = "a socket"
	case e.Mode&fs.ModeDevice != 0:
		what = "a device"
	}
	return fmt.Sprintf("%s is %s, not a regular file: move it aside; zconn reads and writes only regular files", e.Path, what)
}

// FileTooLargeError means a file is larger than zconn reads.
type FileTooLargeError struct {
	Path  string
	Size  int64
	Limit int64
}

// Error names the limit and the fix.
func (e *FileTooLargeError) Error() string {
	return fmt.Sprintf("%s holds %d bytes, more than the %d MiB zconn reads: check that it is the right file, or move it aside", e.Path, e.Size, e.Limit>>20)
}

// encodeDocument returns the metadata file's text for doc.
func encodeDocument(doc *document) ([]byte, error) {
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// decodeDocument reads the metadata file's text. It refuses an empty file,
// one without a schema version or from a newer zconn, and one in which two
// connections share an ID or a name.
func decodeDocument(path string, data []byte) (*document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &CorruptError{Path: path, Err: errors.New("the file is empty")}
	}
	doc := new(document)
	if err := json.Unmarshal(data, doc); err != nil {
		return nil, &CorruptError{Path: path, Err: err}
	}
	if doc.Version > SchemaVersion {
		return nil, &FutureVersionError{Path: path, Version: doc.Version}
	}
	if doc.Version < 1 {
		return nil, &CorruptError{Path: path, Err: errors.New("no schema version")}
	}
	if err := duplicates(data, doc.Connections); err != nil {
		return nil, &CorruptError{Path: path, Err: err}
	}
	return doc, nil
}

// duplicates returns a *DuplicateError for the first connection that
// shares its ID, or its name ignoring case, with one before it.
func duplicates(data []byte, conns []Connection) error {
	ids := make(map[string]int, len(conns))
	names := make(map[string]int, len(conns))
	for i, c := range conns {
		field, value, first := "", "", 0
		if j, ok := ids[c.ID]; ok {
			field, value, first = "ID", c.ID, j
		} else if j, ok := names[nameKey(c.Name)]; ok {
			field, value, first = "name", c.Name, j
		} else {
			ids[c.ID], names[nameKey(c.Name)] = i, i
			continue
		}
		lines := connectionLines(data)
		e := &DuplicateError{Field: field, Value: value}
		if i < len(lines) {
			e.Line, e.FirstLine = lines[i], lines[first]
		}
		return e
	}
	return nil
}

// connectionLines returns the line on which each connection of the
// metadata file begins, for messages that name the line to fix. It reads
// the last "connections" array, as json.Unmarshal keeps; nil when the text
// does not have the expected shape.
func connectionLines(data []byte) []int {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var offsets []int64
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil
		}
		if k, _ := key.(string); !strings.EqualFold(k, "connections") {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			offsets = nil
			continue
		}
		offsets = offsets[:0]
		for dec.More() {
			var raw json.RawMessage
			if dec.Decode(&raw) != nil {
				return nil
			}
			offsets = append(offsets, dec.InputOffset()-int64(len(raw)))
		}
		if _, err := dec.Token(); err != nil {
			return nil
		}
	}
	lines := make([]int, len(offsets))
	for i, off := range offsets {
		lines[i] = 1 + bytes.Count(data[:off], []byte{'\n'})
	}
	return lines
}

// readRegular reads the file at path, which must be a regular file (not a
// symbolic link, a named pipe or a device) of at most limit bytes. It
// never follows a link in the last element of path, and never waits for a
// writer of a named pipe. A missing file gives an error for which
// errors.Is(err, fs.ErrNotExist) holds.
func readRegular(path string, limit int64) ([]byte, error) {
	f, err := openNoFollow(path)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			return nil, &NotRegularFileError{Path: path, Mode: fi.Mode()}
		}
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &NotRegularFileError{Path: path, Mode: fi.Mode()}
	}
	if fi.Size() > limit {
		return nil, &FileTooLargeError{Path: path, Size: fi.Size(), Limit: limit}
	}
	data, err := readSized(f, fi.Size(), limit)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &FileTooLargeError{Path: path, Size: int64(len(data)), Limit: limit}
	}
	return data, nil
}

// readSized reads r, which holds size bytes as far as Stat knows, in one
// buffer of that size, rather than in the doubling ones of io.ReadAll that
// every command would pay for at start; what a writer added meanwhile is
// read after it, up to limit+1 bytes in all.
func readSized(r io.Reader, size, limit int64) ([]byte, error) {
	data := make([]byte, min(size, limit)+1)
	n, err := io.ReadFull(r, data)
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return data[:n], nil
	case err != nil:
		return nil, err
	}
	rest, err := io.ReadAll(io.LimitReader(r, limit+1-int64(n)))
	return append(data, rest...), err
}

// writeFileAtomic replaces path with data: a temporary file in the same
// folder, written, synced and renamed over path, so a crash leaves either
// the old file or the new one. The file is created 0600. Whatever is at
// path must be a regular file: a symbolic link, a named pipe or a device
// is refused, not replaced. Callers hold the config folder's lock, so
// that a temporary file found without it is one a crash left behind.
func writeFileAtomic(path string, data []byte) (err error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return &NotRegularFileError{Path: path, Mode: fi.Mode()}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("creating a temporary file in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("restricting %s: %w", tmp.Name(), err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", tmp.Name(), err)
	}
	if err = regularfile.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	regularfile.SyncDir(dir)
	return nil
}

// lockFileName is the cross-process lock's file in the config folder.
const lockFileName = ".lock"

// isTempName reports whether name is one of writeFileAtomic's temporary
// files for a file zconn keeps: ".connections.json.123.tmp".
func isTempName(name string) bool {
	for _, f := range []string{FileName, VaultFileName} {
		mid, ok := strings.CutPrefix(name, "."+f+".")
		if !ok {
			continue
		}
		mid, ok = strings.CutSuffix(mid, ".tmp")
		if ok && mid != "" && strings.Trim(mid, "0123456789") == "" {
			return true
		}
	}
	return false
}

// removeStaleTemps removes the temporary files that writers killed before
// they could rename them left in dir. The caller holds the folder's lock,
// and every writer holds it from creating its temporary file to renaming
// it, so any temporary file there now is stale: no grace period is
// needed. Only regular files of this user with zconn's names are removed.
func removeStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !isTempName(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && ownedByUser(fi) {
			_ = os.Remove(path)
		}
	}
}
