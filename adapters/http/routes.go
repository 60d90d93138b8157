package http

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// UseCases are what the handlers call, one each.
type UseCases struct {
	fx.In

	Submit       application.SubmitOrder
	Pay          application.PayOrder
	Remind       application.RemindOrder
	GetOrder     application.GetOrder
	ConfirmOrder application.ConfirmOrder
	ListAlerts   application.ListAlerts
	Login        application.Login
	IssueTicket  application.IssueTicket
	Notification application.HandlePaymentNotification
	Tokens       application.Tokens
	Logout       application.Logout
	Access       *application.AccessCheck

	ListShops      application.ListShops
	CreateShop     application.CreateShop
	ListAlertKinds application.ListAlertKinds
	Publish        application.PublishAlert
	AckAlert       application.AckAlert
	AckPublished   application.AckPublished
	ListPresence   application.ListPresence
	CustomerLogin  application.CustomerLogin
	SubscribePush  application.SubscribePush
}

type handlers struct {
	UseCases
	log       *slog.Logger
	proxies   trustedProxies
	dashboard dashboardConfig
	compat    ClientCompat
}

// dashboardConfig is what GET /admin/dashboard-config tells a dashboard page.
type dashboardConfig struct {
	ReringIntervalSeconds float64 `json:"reringIntervalSeconds"`
}

// routeAPI installs the REST API of DESIGN §5 (api/openapi.yaml).
func (s *Server) routeAPI(uc UseCases, log *slog.Logger, dashboard dashboardConfig, compat ClientCompat) {
	h := &handlers{UseCases: uc, log: log, proxies: s.proxies, dashboard: dashboard, compat: compat}

	// Before the group: the login is how a customer gets the token the group asks for.
	s.App.Post("/user/user/login", h.customerLogin)
	user := s.App.Group("/user", requireRole(uc.Tokens, application.RoleUser, "authentication", localUserID, "用户未登录"))
	user.Post("/order/submit", h.submitOrder)
	user.Put("/order/payment", h.payOrder)
	user.Get("/order/reminder/:id", h.remindOrder)
	user.Get("/order/orderDetail/:id", h.userOrderDetail)

	s.App.Post("/notify/paySuccess", h.paySuccess)
	s.App.Post("/api/alerts", h.publishAlert)
	s.App.Post("/api/alerts/ack", h.ackPublished)
	s.App.Post("/admin/employee/login", h.login)

	admin := s.App.Group("/admin", requireAdmin(uc.Tokens, uc.Access))
	admin.Post("/employee/logout", h.logout)
	admin.Get("/alerts", h.listAlerts)
	admin.Post("/alerts/:id/ack", h.ackAlert)
	admin.Get("/presence", h.listPresence)
	admin.Post("/ws/ticket", h.issueTicket)
	admin.Get("/order/details/:id", h.adminOrderDetail)
	admin.Put("/order/confirm", h.confirmOrder)
	admin.Get("/shops", h.listShops)
	admin.Post("/shops", h.createShop)
	admin.Get("/alert-kinds", h.listAlertKinds)
	admin.Get("/dashboard-config", func(c *fiber.Ctx) error { return ok(c, h.dashboard) })
	admin.Get("/push/key", h.pushKey)
	admin.Post("/push/subscriptions", h.subscribePush)
	admin.Delete("/push/subscriptions", h.unsubscribePush)
}
