package http

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/shop"
)

// localAdminAccess is the Locals key of the admin's current access (requireAdmin).
const localAdminAccess = "adminAccess"

// maxNamedShops bounds ?shopId= on one request.
const maxNamedShops = 100

func adminAccess(c *fiber.Ctx) employee.Access {
	a, _ := c.Locals(localAdminAccess).(employee.Access)
	return a
}

// requestScope is what an admin request sees: the employee's shop, or for platform staff every
// shop or those named with ?shopId= (repeatable). A shop's employee naming another shop gets 403.
func requestScope(c *fiber.Ctx, own shop.Scope) (shop.Scope, error) {
	named, err := namedShops(c)
	if err != nil {
		return shop.Scope{}, err
	}
	return own.Narrow(named)
}

// namedShops reads every ?shopId= of the request.
func namedShops(c *fiber.Ctx) ([]int64, error) {
	values := c.Context().QueryArgs().PeekMulti("shopId")
	if len(values) > maxNamedShops {
		return nil, badRequestf("shopId 最多 " + strconv.Itoa(maxNamedShops) + " 个")
	}
	ids := make([]int64, 0, len(values))
	for _, v := range values {
		id, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil || id <= 0 {
			return nil, badRequestf("shopId 必须是正整数，收到 " + strconv.Quote(truncate(string(v), 32)))
		}
		ids = append(ids, id)
	}
	return ids, nil
}
