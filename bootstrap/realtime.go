package bootstrap

import (
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/hub"
)

// Real-time delivery bounds that are not configuration: how long the feed may sleep without a
// wake-up (DESIGN §7: a lost NOTIFY costs at most this) and the page size of a socket's replay.
const (
	feedInterval   = time.Second
	replayPageSize = 200
)

// realTime provides the hub that delivers alerts to this instance's dashboards.
func realTime(cfg Config) fx.Option {
	return fx.Options(
		fx.Supply(hub.Config{
			PingInterval: cfg.WSPingInterval, QueueLimit: cfg.WSQueueLimit,
			ReplayPageSize: replayPageSize, FeedInterval: feedInterval,
		}),
		hub.Module,
	)
}
