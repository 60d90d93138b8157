package bootstrap

import (
	"log/slog"
	"time"

	"github.com/uptrace/bun"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"github.com/orderalert/orderalert/adapters/clock"
	httpadapter "github.com/orderalert/orderalert/adapters/http"
	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
)

// Lifecycle bounds: start-up includes connecting to the database and migrating it.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 15 * time.Second
)

// Serve is the whole service: database, use cases and HTTP.
func Serve(cfg Config, log *slog.Logger) fx.Option {
	return fx.Options(
		common(cfg, log),
		persistence.Module,
		fx.Provide(fx.Annotate(persistence.NewProbe, fx.As(new(httpadapter.Probe)), fx.ResultTags(`group:"readiness"`))),
		useCases(cfg),
		httpadapter.Module,
	)
}

// Migrate connects to the database and brings its schema up to date on start.
func Migrate(cfg Config, log *slog.Logger) fx.Option {
	return fx.Options(
		common(cfg, log),
		persistence.Module,
		fx.Invoke(func(*bun.DB) {}),
	)
}

func common(cfg Config, log *slog.Logger) fx.Option {
	return fx.Options(
		fx.Supply(cfg, log),
		fx.Supply(persistence.Config{URL: cfg.DatabaseURL}, httpadapter.Config{Addr: cfg.HTTPAddr}),
		// fx's own events are for debugging the wiring; start-up failures are logged once by
		// the command, with the root cause.
		fx.WithLogger(func(l *slog.Logger) fxevent.Logger {
			fl := &fxevent.SlogLogger{Logger: l}
			fl.UseLogLevel(slog.LevelDebug)
			fl.UseErrorLevel(slog.LevelDebug)
			return fl
		}),
		fx.StartTimeout(startTimeout),
		fx.StopTimeout(stopTimeout),
	)
}

// useCases binds the application's use cases to the adapters behind their ports.
func useCases(cfg Config) fx.Option {
	return fx.Module("application",
		fx.Provide(
			fx.Annotate(func() clock.System { return clock.System{} }, fx.As(new(application.Clock))),
			// Until the real-time hub exists, alerts are only kept in the log for replay.
			fx.Annotate(func() *memory.Broadcaster { return &memory.Broadcaster{} }, fx.As(new(application.AlertBroadcaster))),
			func(o application.OrderRepository, c application.Clock) application.SubmitOrder {
				return application.SubmitOrder{Orders: o, Clock: c}
			},
			func(o application.OrderRepository, b application.AlertBroadcaster, c application.Clock) application.ConfirmPayment {
				return application.ConfirmPayment{Orders: o, Broadcaster: b, Clock: c}
			},
			func(o application.OrderRepository, b application.AlertBroadcaster, c application.Clock) application.RemindOrder {
				return application.RemindOrder{Orders: o, Broadcaster: b, Clock: c, Cooldown: cfg.ReminderCooldown}
			},
			func(o application.OrderRepository) application.GetOrder { return application.GetOrder{Orders: o} },
			func(o application.OrderRepository) application.ConfirmOrder {
				return application.ConfirmOrder{Orders: o}
			},
			func(a application.AlertLog) application.ListAlerts { return application.ListAlerts{Alerts: a} },
		),
	)
}
