package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// SchemaVersion is the version of the metadata file this build writes.
const SchemaVersion = 1

// FileName is the metadata file's name in the config folder.
const FileName = "connections.json"

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

// clone copies a document deeply enough that changing the copy's
// connections leaves the original as it was.
func (d *document) clone() *document {
	c := *d
	c.Connections = slices.Clone(d.Connections)
	return &c
}

// readFileString reads a file into a string, without the copy that
// string(os.ReadFile(path)) makes: the connections read from it share
// its memory.
func readFileString(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	if info, err := f.Stat(); err == nil {
		b.Grow(int(info.Size()))
	}
	_, err = io.Copy(&b, f)
	return b.String(), err
}

func decodeDocument(path, data string) (*document, error) {
	if strings.TrimSpace(data) == "" {
		return nil, &CorruptError{Path: path, Err: errors.New("the file is empty")}
	}
	doc, err := decodeDocumentFast(data)
	if errors.Is(err, errFallback) {
		doc = new(document)
		err = json.Unmarshal([]byte(data), doc)
	}
	if err != nil {
		return nil, &CorruptError{Path: path, Err: err}
	}
	if doc.Version > SchemaVersion {
		return nil, &FutureVersionError{Path: path, Version: doc.Version}
	}
	if doc.Version < 1 {
		return nil, &CorruptError{Path: path, Err: errors.New("no schema version")}
	}
	return doc, nil
}

// writeFileAtomic replaces path with data: a temporary file in the same
// folder, written, synced and renamed over path, so a crash leaves either
// the old file or the new one. The file is created 0600.
func writeFileAtomic(path string, data []byte) (err error) {
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
	if err = rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}
