package http

import "github.com/gofiber/fiber/v2"

// logout is sky-take-out's POST /admin/employee/logout: it ends the token it is called with, on
// every instance, and the dashboard sockets opened with it. The account's other tokens — other
// screens of the shop — keep working.
func (h *handlers) logout(c *fiber.Ctx) error {
	if err := h.Logout.Execute(c.UserContext(), adminClaims(c)); err != nil {
		return err
	}
	return ok(c, nil)
}
