package bootstrap

import (
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/publishrate"
	"github.com/orderalert/orderalert/application"
)

// publishing is what POST /api/alerts and /api/alerts/ack (DESIGN §13, §20.5) call: the rate
// limit and the use cases.
func publishing(cfg Config) fx.Option {
	return fx.Options(
		fx.Provide(
			fx.Annotate(func(clock application.Clock) *publishrate.Limiter {
				return publishrate.New(cfg.PublishRate.N, cfg.PublishRate.Per, clock.Now)
			}, fx.As(new(application.PublishLimiter))),
			func(i application.IntegrationRepository, s application.ShopRepository, k application.AlertKindRepository,
				a application.AlertPublisher, l application.PublishLimiter, f application.AlertFeedWaker, c application.Clock,
			) application.PublishAlert {
				return application.PublishAlert{Integrations: i, Shops: s, Kinds: k, Alerts: a, Limiter: l, Feed: f, Clock: c}
			},
			func(i application.IntegrationRepository, p application.AlertPublisher, a application.AlertAcker,
				f application.AlertFeedWaker, o application.AckObserver, c application.Clock,
			) application.AckPublished {
				return application.AckPublished{Integrations: i, Published: p, Acks: a, Feed: f, Observer: o, Clock: c}
			},
		),
	)
}
