// Command gen draws the dashboard's app icons — the favicon's bell, white on its green — into
// PNG files, the same pixels on every run, so that the committed icons can be checked against
// their source (gen_test.go) and redrawn with `go generate ./web`.
//
//	go run ./web/icons/gen -out web/static/icons
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"log"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "web/static/icons", "the folder the icons are written to")
	flag.Parse()
	for _, icon := range icons {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, icon.draw()); err != nil {
			log.Fatal(err)
		}
		path := filepath.Join(*out, icon.file)
		// Served to anyone: nothing secret to keep from other users of the machine.
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil { //nolint:gosec // a public image
			log.Fatal(err)
		}
		fmt.Printf("%s %d×%d, %d bytes\n", path, icon.size, icon.size, buf.Len())
	}
}
