package bootstrap

import (
	"go.uber.org/fx"

	httpadapter "github.com/orderalert/orderalert/adapters/http"
	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/adapters/metrics"
	"github.com/orderalert/orderalert/adapters/notify"
	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
)

// The metrics adapter implements the observers the other adapters declare; they never import it.
var (
	_ hub.Observer         = (*metrics.Metrics)(nil)
	_ httpadapter.Observer = (*metrics.Metrics)(nil)
	_ notify.Observer      = (*metrics.Listener)(nil)
)

// observability provides the Prometheus metrics (served at /metrics by the HTTP adapter) and
// connects them to what they count: the alerts the use cases create, the HTTP requests and
// sockets, and the hub's open sockets. The hub and the listener get theirs in realTime.
func observability() fx.Option {
	return fx.Options(
		metrics.Module,
		fx.Provide(func(m *metrics.Metrics) httpadapter.Telemetry {
			return httpadapter.Telemetry{Observer: m, Metrics: m.Handler()}
		}),
		// Alerts are counted where the use cases hand them on after their commit: once per alert
		// fleet-wide, unlike the feed, which every instance runs.
		fx.Decorate(func(m *metrics.Metrics, b application.AlertFeedWaker) application.AlertFeedWaker {
			return m.CountCreated(b)
		}),
		fx.Decorate(func(m *metrics.Metrics, _ application.AckObserver) application.AckObserver { return m }),
		fx.Provide(func(m *metrics.Metrics) application.EscalationObserver { return m }),
		fx.Provide(func(m *metrics.Metrics) application.PushObserver { return m }),
		fx.Invoke(func(m *metrics.Metrics, h *hub.Hub) { m.CountSockets(h.Len) }),
		fx.Invoke(func(m *metrics.Metrics, l *persistence.AlertLog) { m.CountOpenAlerts(l.CountOpen) }),
	)
}
