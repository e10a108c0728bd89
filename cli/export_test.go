package cli

// KeychainTimeout exposes keychainTimeout to the tests.
var KeychainTimeout = keychainTimeout

// ScanPaste and ReadHiddenText expose how a pasted key is read.
var (
	ScanPaste      = scanPaste
	ReadHiddenText = readHiddenText
)

// ErrPasteInterrupted is Ctrl-C during a paste.
var ErrPasteInterrupted = errPasteInterrupted
