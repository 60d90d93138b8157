package bootstrap

import (
	"time"

	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/hub"
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
// PostgreSQL, the listener that wakes it for alerts committed by other instances.
func realTime(cfg Config) fx.Option {
	base := hub.Config{
		PingInterval: cfg.WSPingInterval, QueueLimit: cfg.WSQueueLimit,
		ReplayPageSize: replayPageSize, FeedInterval: feedInterval,
	}
	if !persistence.IsPostgresURL(cfg.DatabaseURL) {
		return fx.Options(fx.Supply(base), hub.Module) // the embedded database serves one instance
	}
	return fx.Options(
		fx.Provide(func(lc fx.Lifecycle, db *bun.DB) (hub.Config, *notify.Listener) {
			l := notify.NewListener(db, persistence.AlertChannel)
			lc.Append(fx.Hook{OnStart: l.Start, OnStop: l.Stop})
			withRemote := base
			withRemote.RemoteWakeups = l.Wakeups()
			return withRemote, l
		}),
		hub.Module,
	)
}
