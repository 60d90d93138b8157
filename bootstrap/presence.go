package bootstrap

import (
	"go.uber.org/fx"

	presenceadapter "github.com/orderalert/orderalert/adapters/presence"
)

// presence records this instance's dashboards in the presence shared by every instance, under
// an id drawn at start (adapters/presence: nothing stable is also unique), and heartbeats it
// every ping interval.
func presence(cfg Config) fx.Option {
	return fx.Options(
		fx.Supply(presenceadapter.Config{Instance: presenceadapter.NewInstanceID(), PingInterval: cfg.WSPingInterval}),
		presenceadapter.Module,
	)
}
