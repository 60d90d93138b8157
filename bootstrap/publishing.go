package bootstrap

import (
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/publishrate"
	"github.com/orderalert/orderalert/application"
)

// publishing is what POST /api/alerts (DESIGN §13) calls: its rate limit and its use case.
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
		),
	)
}
