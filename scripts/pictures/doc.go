// Package pictures draws the README's pictures of zconn from the real
// program. TestPictures builds zconn, runs it in a pseudo-terminal against
// the fake ZIdentity (reached through an intercepting HTTPS proxy, so the
// screens show real host names), drives its keys and draws each screen,
// with its colours, as an SVG.
//
// Draw them again into docs/images with
//
//	go test ./scripts/pictures -run TestPictures -update
//
// -size COLSxROWS (default 100x24) and -out DIR draw at another size or
// into another folder. Without -update the same run writes into a
// temporary folder and checks each picture, so `go test ./...` fails when
// the pictures can no longer be made.
package pictures
