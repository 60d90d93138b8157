package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/application"
)

// screenView is one connected dashboard of GET /admin/presence (api/openapi.yaml).
type screenView struct {
	SID         string       `json:"sid"`
	Employee    employeeView `json:"employee"`
	ShopID      *int64       `json:"shopId"` // null for platform staff
	ConnectedAt string       `json:"connectedAt"`
	Audio       *bool        `json:"audio"`
	Visible     *bool        `json:"visible"`
}

type employeeView struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// listPresence answers the dashboards connected to every instance that watch the caller's
// shops, narrowed by ?shopId= as GET /admin/alerts is.
func (h *handlers) listPresence(c *fiber.Ctx) error {
	scope, err := requestScope(c, adminAccess(c).Scope())
	if err != nil {
		return err
	}
	screens, err := h.ListPresence.Execute(c.UserContext(), scope)
	if err != nil {
		return err
	}
	views := make([]screenView, 0, len(screens))
	for _, s := range screens {
		views = append(views, viewOfScreen(s))
	}
	return ok(c, views)
}

func viewOfScreen(s application.Screen) screenView {
	v := screenView{
		SID: s.SID, Employee: employeeView{ID: s.EmployeeID, Name: s.EmployeeName},
		ConnectedAt: s.ConnectedAt.UTC().Format(wire.AckTimeFormat), Audio: s.Audio, Visible: s.Visible,
	}
	if s.ShopID != 0 {
		v.ShopID = &s.ShopID
	}
	return v
}
