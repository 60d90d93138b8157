package bootstrap

import (
	"log/slog"
	"time"

	"github.com/uptrace/bun"
	"go.uber.org/fx"

	httpadapter "github.com/orderalert/orderalert/adapters/http"
	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/adapters/metrics"
	"github.com/orderalert/orderalert/adapters/notify"
	"github.com/orderalert/orderalert/adapters/persistence"
)

// Real-time delivery bounds that are not configuration: how long the feed may sleep without a
// wake-up (DESIGN §7: a lost NOTIFY costs at most this) and the page size of a socket's replay.
const (
	feedInterval   = time.Second
	replayPageSize = 200
)

// realTime provides the hub that delivers alerts to this instance's dashboards and, with
// PostgreSQL, the listener that wakes it for alerts committed by other instances, which is also
// a readiness check.
func realTime(cfg Config) fx.Option {
	base := hub.Config{
		PingInterval: cfg.WSPingInterval, QueueLimit: cfg.WSQueueLimit,
		ReplayPageSize: replayPageSize, FeedInterval: feedInterval,
	}
	if !persistence.IsPostgresURL(cfg.DatabaseURL) {
		// The embedded database serves one instance: no listener.
		return fx.Options(
			fx.Provide(func(m *metrics.Metrics) hub.Config {
				withObserver := base
				withObserver.Observer = m
				return withObserver
			}),
			hub.Module,
		)
	}
	return fx.Options(
		fx.Provide(func(lc fx.Lifecycle, db *bun.DB, m *metrics.Metrics, log *slog.Logger) (hub.Config, *notify.Listener) {
			l := notify.NewListener(db, notify.Config{Channel: persistence.AlertChannel, Observer: m.Listener()}, log)
			lc.Append(fx.Hook{OnStart: l.Start, OnStop: l.Stop})
			withRemote := base
			withRemote.RemoteWakeups, withRemote.Observer = l.Wakeups(), m
			return withRemote, l
		}),
		fx.Provide(fx.Annotate(func(l *notify.Listener) *notify.Listener { return l },
			fx.As(new(httpadapter.Probe)), fx.ResultTags(`group:"readiness"`))),
		hub.Module,
	)
}
