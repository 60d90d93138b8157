package http

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/integration"
)

// POST /api/alerts (DESIGN §13): a backend that keeps its own orders rings its shop's dashboards
// with an integration key. The limiter behind it is adapters/publishrate.

// publishRequest is POST /api/alerts' body. Pointers tell an absent field from a zero one.
type publishRequest struct {
	Type           *int    `json:"type"`
	ShopID         *int64  `json:"shopId"`
	OrderID        *int64  `json:"orderId"`
	OrderNumber    *string `json:"orderNumber"`
	Content        *string `json:"content"`
	IdempotencyKey *string `json:"idempotencyKey"`
}

func (r publishRequest) publication(key string) (application.Publication, error) {
	if r.Type == nil {
		return application.Publication{}, badRequestf("type 为必填项")
	}
	if r.ShopID != nil && *r.ShopID <= 0 {
		return application.Publication{}, badRequestf("shopId 必须是正整数")
	}
	p := application.Publication{Key: key, Type: alert.Type(*r.Type)}
	if r.ShopID != nil {
		p.ShopID = *r.ShopID
	}
	if r.OrderID != nil {
		if *r.OrderID <= 0 {
			return application.Publication{}, badRequestf("orderId 必须是正整数，或不填")
		}
		p.OrderID = *r.OrderID
	}
	if r.OrderNumber != nil {
		p.OrderNumber = *r.OrderNumber
	}
	if r.Content != nil {
		if *r.Content == "" {
			return application.Publication{}, badRequestf("content 不能为空字符串：不填则按提醒类型的模板生成")
		}
		p.Content = *r.Content
	}
	if r.IdempotencyKey != nil {
		if *r.IdempotencyKey == "" {
			return application.Publication{}, badRequestf("idempotencyKey 不能为空字符串")
		}
		p.IdempotencyKey = *r.IdempotencyKey
	}
	return p, nil
}

func (h *handlers) publishAlert(c *fiber.Ctx) error {
	key := authorizationBearer(c)
	if !integration.LooksLikeKey(key) { // 401 before anything about the body is told
		return refuseKey(c, application.ErrBadKey)
	}
	var req publishRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := req.publication(key)
	if err != nil {
		return err
	}
	a, created, err := h.Publish.Execute(c.UserContext(), p)
	if errors.Is(err, application.ErrBadKey) {
		return refuseKey(c, err)
	}
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(envelope{Code: 1, Data: wire.Alert(a)})
}

// refuseKey answers a missing, unknown or revoked key with 401 and the challenge RFC 6750 asks
// of a bearer-protected resource.
func refuseKey(c *fiber.Ctx, err error) error {
	c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="orderalert"`)
	return err
}

// authorizationBearer is the credential of "Authorization: Bearer …", or "".
func authorizationBearer(c *fiber.Ctx) string {
	scheme, value, found := strings.Cut(c.Get(fiber.HeaderAuthorization), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(value)
}
