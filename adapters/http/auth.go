package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/application"
)

// Locals keys of the customer, and of the admin token's claims.
const (
	localUserID      = "userId"
	localAdminClaims = "adminClaims"
)

// requireRole admits only requests with a valid token of role, read from the header the
// original clients send (`token` for the admin front end, `authentication` for the
// mini-program) or from `Authorization: Bearer`. The subject is kept in Locals under key.
func requireRole(tokens application.Tokens, role application.Role, header, key, msg string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		claims, err := tokens.Verify(role, bearer(c, header))
		if err != nil {
			return fiber.NewError(fiber.StatusUnauthorized, msg)
		}
		c.Locals(key, claims.Subject)
		return c.Next()
	}
}

// requireAdmin is requireRole for admin routes, whose tokens can be revoked: the token's
// credential is also checked against the account's current record (application.AccessCheck), and
// one logged out, or of an account locked, deleted or given a new password since, is refused
// with the error table's 登录已失效 rather than a plain 401.
func requireAdmin(tokens application.Tokens, access *application.AccessCheck) fiber.Handler {
	return func(c *fiber.Ctx) error {
		claims, err := tokens.Verify(application.RoleAdmin, bearer(c, "token"))
		if err != nil {
			return fiber.NewError(fiber.StatusUnauthorized, "未登录或登录已过期")
		}
		acc, err := access.Check(c.UserContext(), claims.Credential())
		if err != nil {
			return err
		}
		c.Locals(localAdminClaims, claims)
		c.Locals(localAdminAccess, acc)
		return c.Next()
	}
}

func adminClaims(c *fiber.Ctx) application.Claims {
	claims, _ := c.Locals(localAdminClaims).(application.Claims)
	return claims
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
	return authorizationBearer(c)
}
