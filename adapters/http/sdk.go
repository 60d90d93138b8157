package http

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/gofiber/fiber/v2"
)

// sdkPath is where admin front ends import the client library from (docs/sdk.md).
const sdkPath = "/sdk/orderalert.js"

// routeSDK serves the client library, before the dashboard's files:
//   - as JavaScript, which a module script requires (nosniff, set by edge, forbids guessing);
//   - to any origin: a front end on its own origin imports it, and a module script is fetched
//     with CORS. It is the same public file for everyone and no credential is involved;
//   - revalidated on each load against a strong ETag, so that a release reaches every front end
//     at once (the dashboard and the library change together) and an unchanged file costs a 304.
func (s *Server) routeSDK(file []byte) {
	if file == nil {
		return
	}
	sum := sha256.Sum256(file)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	s.App.Get(sdkPath, func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
		c.Set("Cross-Origin-Resource-Policy", "cross-origin")
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Set(fiber.HeaderETag, etag)
		c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
		if c.Get(fiber.HeaderIfNoneMatch) == etag {
			return c.SendStatus(fiber.StatusNotModified)
		}
		return c.Send(file)
	})
}
