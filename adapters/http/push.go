package http

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/domain/push"
)

// subscriptionRequest is a browser's PushSubscription.toJSON(); its expirationTime is not read
// (the push service answers 404/410 once the subscription ends).
type subscriptionRequest struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
}

type subscriptionView struct {
	Endpoint  string `json:"endpoint"`
	CreatedAt string `json:"createdAt"`
}

// pushKey answers the VAPID public key the dashboard subscribes with (applicationServerKey).
func (h *handlers) pushKey(c *fiber.Ctx) error {
	return ok(c, fiber.Map{"publicKey": h.SubscribePush.PublicKey})
}

// subscribePush keeps this browser's subscription for the employee and token (DESIGN §15).
func (h *handlers) subscribePush(c *fiber.Ctx) error {
	var req subscriptionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	saved, err := h.SubscribePush.Execute(c.UserContext(), adminClaims(c), push.Subscription{
		Endpoint: req.Endpoint, P256dh: req.Keys.P256dh, Auth: req.Keys.Auth,
	})
	if err != nil {
		return err
	}
	return ok(c, subscriptionView{Endpoint: saved.Endpoint, CreatedAt: saved.CreatedAt.UTC().Format(time.RFC3339)})
}

// unsubscribePush forgets the employee's subscription of the endpoint.
func (h *handlers) unsubscribePush(c *fiber.Ctx) error {
	var req struct {
		Endpoint string `json:"endpoint"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Endpoint == "" {
		return badRequestf("endpoint 不能为空")
	}
	if err := h.SubscribePush.Unsubscribe(c.UserContext(), adminClaims(c).Subject, req.Endpoint); err != nil {
		return err
	}
	return ok(c, nil)
}
