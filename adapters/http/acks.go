package http

import (
	"bytes"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/integration"
)

// Acknowledgements (DESIGN §14): a person at a dashboard, or an integrated backend, says an alert
// was handled. The first ack wins; a repeat answers it unchanged.

// ackRequest is POST /admin/alerts/{id}/ack's optional body.
type ackRequest struct {
	SID *string `json:"sid"`
}

func (h *handlers) ackAlert(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req ackRequest
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	sid := ""
	if req.SID != nil {
		if sid = *req.SID; !validSID.MatchString(sid) {
			return badRequestf("sid 应为 1–64 个字母、数字、下划线或连字符")
		}
	}
	scope, err := requestScope(c, adminAccess(c).Scope())
	if err != nil {
		return err
	}
	ack, err := h.AckAlert.Execute(c.UserContext(), id, adminClaims(c).Subject, scope, sid)
	if err != nil {
		return err
	}
	return ok(c, wire.Ack(ack))
}

// publishedAckRequest is POST /api/alerts/ack's body: exactly one of idempotencyKey and orderId.
type publishedAckRequest struct {
	ShopID         *int64  `json:"shopId"`
	IdempotencyKey *string `json:"idempotencyKey"`
	OrderID        *int64  `json:"orderId"`
}

func (r publishedAckRequest) ack(key string) (application.PublishedAck, error) {
	p := application.PublishedAck{Key: key}
	if (r.IdempotencyKey == nil) == (r.OrderID == nil) {
		return p, badRequestf("idempotencyKey 和 orderId 必须且只能填一个")
	}
	if r.ShopID != nil {
		if *r.ShopID <= 0 {
			return p, badRequestf("shopId 必须是正整数")
		}
		p.ShopID = *r.ShopID
	}
	if r.IdempotencyKey != nil {
		if *r.IdempotencyKey == "" || len(*r.IdempotencyKey) > application.MaxIdempotencyKey {
			return p, badRequestf("idempotencyKey 应为 1–128 个字符")
		}
		p.IdempotencyKey = *r.IdempotencyKey
	}
	if r.OrderID != nil {
		if *r.OrderID <= 0 {
			return p, badRequestf("orderId 必须是正整数")
		}
		p.OrderID = *r.OrderID
	}
	return p, nil
}

func (h *handlers) ackPublished(c *fiber.Ctx) error {
	key := authorizationBearer(c)
	if !integration.LooksLikeKey(key) {
		return refuseKey(c, application.ErrBadKey)
	}
	var req publishedAckRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := req.ack(key)
	if err != nil {
		return err
	}
	acks, err := h.AckPublished.Execute(c.UserContext(), p)
	if errors.Is(err, application.ErrBadKey) {
		return refuseKey(c, err)
	}
	if err != nil {
		return err
	}
	out := make([]wire.AckJSON, len(acks))
	for i, k := range acks {
		out[i] = wire.Ack(k)
	}
	return ok(c, out)
}
