package http

import (
	"io/fs"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
)

// dashboardPolicy keeps the page to its own origin: its scripts, its API and its socket. No
// CDN, no inline script, nothing else to load.
const dashboardPolicy = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// routeDashboard serves the embedded admin dashboard at /, after every API route.
func (s *Server) routeDashboard(files fs.FS) {
	if files == nil {
		return
	}
	s.App.Use("/", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentSecurityPolicy, dashboardPolicy)
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.Next()
	}, filesystem.New(filesystem.Config{Root: http.FS(files), Index: "index.html"}))
}
