// Package web holds what the service serves to browsers: the admin dashboard (static/: plain
// HTML, CSS and ES modules, no build step) and the client library any admin front end can import
// (sdk/orderalert.js, docs/sdk.md), both embedded in the binary so that they work offline and
// need no CDN. The dashboard is built on the library: it rings (Web Audio), speaks each kind's
// sentence (Web Speech, zh-CN), shows a popup per alert until someone handles it, and the
// library reconnects with lastAlertId so that it misses nothing. It is installable (manifest,
// icons), and with 本设备通知 on its service worker (static/sw.js) shows each pushed alert as a
// system notification, with the tab closed too.
package web

// The app icons (static/icons/*.png) are drawn by a program, not by hand: edit web/icons/gen.
//go:generate go run ./icons/gen -out static/icons

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

//go:embed sdk/orderalert.js
var sdk []byte

// Dashboard is the dashboard's files, index.html at the root.
func Dashboard() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded folder exists at build time
	}
	return sub
}

// SDK is the client library, served at /sdk/orderalert.js.
func SDK() []byte { return sdk }
