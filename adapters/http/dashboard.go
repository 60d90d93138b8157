package http

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
)

// dashboardPolicy keeps the page to its own origin: its scripts, its API and its socket
// ('self' covers ws: and wss: to the page's own host), its service worker and its manifest
// (spelled out, though default-src covers them, so that a change to default-src cannot turn
// them off unseen). No CDN, no inline script, nothing else to load or connect to.
const dashboardPolicy = "default-src 'self'; connect-src 'self'; img-src 'self' data:; " +
	"worker-src 'self'; manifest-src 'self'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// manifestType is the web app manifest's media type, which neither Fiber's table nor every
// machine's mime.types knows.
const manifestType = "application/manifest+json"

// routeDashboard serves the embedded admin dashboard at /, after every API route. Its files are
// revalidated on each load (a new release replaces them) and send no Referer: a link in a
// customer's remark must not learn the dashboard's address.
func (s *Server) routeDashboard(files fs.FS) {
	if files == nil {
		return
	}
	s.App.Use("/", func(c *fiber.Ctx) error {
		if err := c.Next(); err != nil {
			return err // no such file: the error table answers, like any unknown path
		}
		c.Set(fiber.HeaderContentSecurityPolicy, dashboardPolicy)
		c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
		c.Set(fiber.HeaderCacheControl, "no-cache") // sw.js too: a new release's worker takes over on the next check
		if strings.HasSuffix(c.Path(), ".webmanifest") {
			c.Set(fiber.HeaderContentType, manifestType)
		}
		return nil
	}, filesystem.New(filesystem.Config{Root: http.FS(files), Index: "index.html"}))
}
