// Command zconn creates, verifies and manages ZIdentity API connections.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "zconn: the app is being assembled; run go test ./... for what works")
	os.Exit(1)
}
