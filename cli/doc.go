// Package cli is zconn's command line: the commands for people in a hurry
// and for scripts (list, add, test, token, env, exec, rm, use, rename, edit,
// doctor), and the entry to the terminal interface (zconn, zconn new).
//
// Every dependency comes in through Options, and each command builds only
// what it needs: list, use, rename, completion, --help and --version never
// open the keychain nor build an HTTP client.
package cli
