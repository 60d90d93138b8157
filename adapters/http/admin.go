package http

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/application"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// check refuses what is not worth a password check.
func (r loginRequest) check() error {
	if r.Username == "" || r.Password == "" {
		return badRequestf("username 和 password 为必填项")
	}
	if len(r.Username) > 64 || len(r.Password) > 128 {
		return badRequestf("username 或 password 过长")
	}
	return nil
}

func (h *handlers) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	res, err := h.Login.Execute(c.UserContext(), req.Username, req.Password, h.proxies.clientIP(c))
	if err != nil {
		return err
	}
	return ok(c, fiber.Map{"id": res.Employee.ID, "userName": res.Employee.Username, "name": res.Employee.Name, "token": res.Token.Value})
}

// alertQuery reads GET /admin/alerts' afterId, limit and state; "" is absent.
func alertQuery(afterID, limit, state string) (application.AlertQuery, error) {
	var q application.AlertQuery
	switch state {
	case "", "all":
	case "open":
		q.OpenOnly = true
	default:
		return q, badRequestf("state 只能是 open 或 all，收到 " + strconv.Quote(truncate(state, 32)))
	}
	if afterID != "" {
		id, err := strconv.ParseInt(afterID, 10, 64)
		if err != nil || id < 0 {
			return q, badRequestf("afterId 必须是非负整数，收到 " + strconv.Quote(truncate(afterID, 32)))
		}
		q.AfterID = &id
	}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > application.MaxAlertLimit {
			return q, badRequestf("limit 应为 1–1000 的整数，收到 " + strconv.Quote(truncate(limit, 32)))
		}
		q.Limit = n
	}
	return q, nil
}

func (h *handlers) listAlerts(c *fiber.Ctx) error {
	q, err := alertQuery(c.Query("afterId"), c.Query("limit"), c.Query("state"))
	if err != nil {
		return err
	}
	if q.Shops, err = requestScope(c, adminAccess(c).Scope()); err != nil {
		return err
	}
	alerts, err := h.ListAlerts.Execute(c.UserContext(), q)
	if err != nil {
		return err
	}
	return ok(c, wire.Alerts(alerts))
}

func (h *handlers) issueTicket(c *fiber.Ctx) error {
	t, err := h.IssueTicket.Execute(adminClaims(c))
	if err != nil {
		return err
	}
	return ok(c, fiber.Map{"ticket": t.Value, "expiresIn": int(time.Until(t.ExpiresAt).Round(time.Second).Seconds())})
}

func (h *handlers) adminOrderDetail(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	o, err := h.GetOrder.ForAdmin(c.UserContext(), id, adminAccess(c).Scope())
	if err != nil {
		return err
	}
	return ok(c, newAdminOrderView(o, h.style()))
}

type confirmRequest struct {
	ID *int64 `json:"id"`
}

func (r confirmRequest) check() error {
	if r.ID == nil || *r.ID <= 0 {
		return badRequestf("id 为必填项，且必须是正整数")
	}
	return nil
}

func (h *handlers) confirmOrder(c *fiber.Ctx) error {
	var req confirmRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	o, err := h.ConfirmOrder.Execute(c.UserContext(), *req.ID, adminClaims(c).Subject, adminAccess(c).Scope())
	if err != nil {
		return err
	}
	return ok(c, newAdminOrderView(o, h.style()))
}
