// Package store keeps connections: their metadata in one JSON file under the
// config folder, and their secrets in a Secrets backend (the OS keychain or
// an encrypted vault). It never loses a connection and never writes a secret
// to the metadata file.
package store
