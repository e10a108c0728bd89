package store

import "context"

// FailWrites makes every write of the metadata file fail with err.
func FailWrites(s *Store, err error) {
	s.write = func(string, []byte) error { return err }
}

// Seed writes exactly conns into the store's file.
func Seed(s *Store, conns []Connection) error {
	return s.modify(context.Background(), func(doc *document) error {
		doc.Connections = conns
		return nil
	})
}

// ReadSized is readSized, for tests.
var ReadSized = readSized
