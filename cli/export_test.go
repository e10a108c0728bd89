package cli

// KeychainTimeout exposes keychainTimeout to the tests.
var KeychainTimeout = keychainTimeout
