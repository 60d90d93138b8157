package http

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/application"
)

// Locals keys of the authenticated subject.
const (
	localEmpID  = "empId"
	localUserID = "userId"
)

// requireRole admits only requests with a valid token of role, read from the header the
// original clients send (`token` for the admin front end, `authentication` for the
// mini-program) or from `Authorization: Bearer`. The subject is kept in Locals under key.
func requireRole(tokens application.Tokens, role application.Role, header, key, msg string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		subject, err := tokens.Verify(role, bearer(c, header))
		if err != nil {
			return fiber.NewError(fiber.StatusUnauthorized, msg)
		}
		c.Locals(key, subject)
		return c.Next()
	}
}

func empID(c *fiber.Ctx) int64 {
	id, _ := c.Locals(localEmpID).(int64)
	return id
}

func userID(c *fiber.Ctx) int64 {
	id, _ := c.Locals(localUserID).(int64)
	return id
}

// bearer reads a token from header, or from Authorization: Bearer.
func bearer(c *fiber.Ctx, header string) string {
	if v := c.Get(header); v != "" {
		return v
	}
	if scheme, value, found := strings.Cut(c.Get(fiber.HeaderAuthorization), " "); found && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(value)
	}
	return ""
}
