package http

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/shop"
)

// shopView is a shop on the wire.
type shopView struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"createdAt"`
}

func newShopView(s shop.Shop) shopView {
	return shopView{ID: s.ID, Name: s.Name, CreatedAt: s.CreatedAt.UTC().Format(time.RFC3339)}
}

// kindView is an alert kind on the wire: what the dashboard shows for a type and how it speaks
// it.
type kindView struct {
	Code            alert.Type `json:"code"`
	Name            string     `json:"name"`
	ContentTemplate string     `json:"contentTemplate"`
	SpeechTemplate  string     `json:"speechTemplate"`
	Builtin         bool       `json:"builtin"`
}

type createShopRequest struct {
	Name *string `json:"name"`
}

func (h *handlers) listShops(c *fiber.Ctx) error {
	shops, err := h.ListShops.Execute(c.UserContext(), adminAccess(c))
	if err != nil {
		return err
	}
	views := make([]shopView, len(shops))
	for i, s := range shops {
		views[i] = newShopView(s)
	}
	return ok(c, views)
}

func (h *handlers) createShop(c *fiber.Ctx) error {
	var req createShopRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Name == nil {
		return badRequestf("name 为必填项")
	}
	s, err := h.CreateShop.Execute(c.UserContext(), adminAccess(c), *req.Name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(envelope{Code: 1, Data: newShopView(s)})
}

func (h *handlers) listAlertKinds(c *fiber.Ctx) error {
	kinds, err := h.ListAlertKinds.Execute(c.UserContext())
	if err != nil {
		return err
	}
	views := make([]kindView, len(kinds))
	for i, k := range kinds {
		views[i] = kindView{Code: k.Code, Name: k.Name, ContentTemplate: k.ContentTemplate, SpeechTemplate: k.SpeechTemplate, Builtin: k.Code.Builtin()}
	}
	return ok(c, views)
}
