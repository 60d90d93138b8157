package hub

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// Module provides the hub as the application's Dashboards and AlertFeedWaker, started and
// stopped with the application. It needs a Config.
var Module = fx.Module("hub",
	fx.Provide(
		NewManaged,
		func(h *Hub) application.Dashboards { return h },
		func(h *Hub) application.AlertFeedWaker { return h },
	),
)

// NewManaged builds the hub and ties it to the lifecycle.
func NewManaged(lc fx.Lifecycle, cfg Config, alerts application.AlertLog, log *slog.Logger) *Hub {
	h := New(cfg, alerts, log)
	lc.Append(fx.Hook{OnStart: h.Start, OnStop: h.Stop})
	return h
}
