// Package web holds the admin dashboard: plain HTML, CSS and ES modules, no build step, embedded
// in the binary so that it works offline and needs no CDN. It rings (Web Audio), speaks (Web
// Speech, zh-CN), shows a popup per alert until someone handles it, and reconnects with
// lastAlertId so that it misses nothing.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

// Dashboard is the dashboard's files, index.html at the root.
func Dashboard() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded folder exists at build time
	}
	return sub
}
