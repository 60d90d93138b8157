package bootstrap

import (
	"context"
	"log/slog"
	"time"

	"github.com/uptrace/bun"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	httpadapter "github.com/orderalert/orderalert/adapters/http"
	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/web"
)

// Lifecycle bounds. Connecting to and migrating the database happen while the graph is built,
// under their own timeouts (adapters/persistence).
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 15 * time.Second
)

// Serve is the whole service: database, credentials, payments, use cases and HTTP. On start it
// creates the first admin account if there is none. The HTTP module comes first: its invoke
// binds the port, so that a busy one stops start-up before the database is opened, migrated or
// given its first admin (fx runs invokes in order, the modules' first); the server is invoked
// last, so that it serves once everything else has started.
func Serve(cfg Config, log *slog.Logger) fx.Option {
	return fx.Options(
		common(cfg, log),
		httpadapter.Module,
		persistence.Module,
		fx.Provide(fx.Annotate(persistence.NewProbe, fx.As(new(httpadapter.Probe)), fx.ResultTags(`group:"readiness"`))),
		fx.Provide(openedDatabase, identity),
		credentials(),
		payments(cfg),
		realTime(cfg),
		presence(cfg),
		observability(),
		useCases(cfg),
		publishing(cfg),
		customers(cfg),
		escalating(cfg),
		pushing(cfg),
		paymentTimeout(cfg),
		fx.Provide(func(uc application.SyncChanges) application.ChangeSync { return uc }),
		alertRetention(),
		fx.Invoke(ensureFirstAdmin),
		followChanges(),
		// Serving starts after every hook above (the access copy's first load included) and
		// stops after the hub has closed the sockets, before those hooks stop.
		fx.Invoke(func(*httpadapter.Server) {}),
		fx.Invoke(closeSocketsFirst),
		debugServer(cfg),
	)
}

// closeSocketsFirst stops the hub before the HTTP server drains (fx runs stop hooks in the
// reverse order of their registration): every dashboard gets its 1001 at once and moves to
// another instance, instead of waiting for the in-flight calls (DESIGN §6's shutdown order).
func closeSocketsFirst(lc fx.Lifecycle, h *hub.Hub) {
	lc.Append(fx.StopHook(h.Stop))
}

// Migrate connects to the database and brings its schema up to date.
func Migrate(cfg Config, log *slog.Logger) fx.Option {
	return fx.Options(
		common(cfg, log),
		persistence.Module,
		fx.Invoke(func(*bun.DB) {}),
	)
}

// Tools is the graph of the one-shot commands (token, admin): the database, credentials and use
// cases, without HTTP; invoke says what to do with them.
func Tools(cfg Config, log *slog.Logger, invoke any) fx.Option {
	return fx.Options(
		common(cfg, log),
		persistence.Module,
		credentials(),
		payments(cfg),
		// Tools ring no dashboard of their own: the serving instances' feeds find their alerts.
		fx.Provide(fx.Annotate(func() *memory.CommitRecorder { return &memory.CommitRecorder{} }, fx.As(new(application.AlertFeedWaker)))),
		// Nor do they hold copies or sockets: the serving instances poll the change counter.
		fx.Provide(func() application.ChangeSync { return noSync{} }),
		useCases(cfg),
		fx.Invoke(invoke),
	)
}

// noSync is the ChangeSync of a one-shot command, which keeps nothing to bring up to date.
type noSync struct{}

func (noSync) Sync(context.Context) error { return nil }

func common(cfg Config, log *slog.Logger) fx.Option {
	return fx.Options(
		fx.Supply(cfg, log),
		fx.Supply(persistence.Config{URL: cfg.DatabaseURL}, httpadapter.Config{
			Addr: cfg.HTTPAddr, Dashboard: web.Dashboard(), SDK: web.SDK(), ReadTimeout: cfg.HTTPReadTimeout, TrustedProxies: cfg.TrustedProxies,
			ReringInterval: cfg.ReringInterval,
			Compat:         httpadapter.ClientCompat{SkyTakeOut: cfg.ClientCompat == CompatSkyTakeOut, Zone: cfg.Timezone.Location},
		}),
		fx.Supply(httpadapter.WSConfig{
			PingInterval: cfg.WSPingInterval, WriteTimeout: cfg.WSWriteTimeout, AllowedOrigins: cfg.AllowedOrigins,
			MaxConnections: cfg.WSMaxConnections, MaxPerAdmin: cfg.WSMaxPerAdmin,
		}),
		quietFx(),
		fx.StartTimeout(startTimeout),
		fx.StopTimeout(stopTimeout),
	)
}

// quietFx logs fx's own events at debug level: they are for debugging the wiring; start-up
// failures are logged once by the command, with the root cause.
func quietFx() fx.Option {
	return fx.WithLogger(func(l *slog.Logger) fxevent.Logger {
		fl := &fxevent.SlogLogger{Logger: l}
		fl.UseLogLevel(slog.LevelDebug)
		fl.UseErrorLevel(slog.LevelDebug)
		return fl
	})
}

// Standalone is the graph of a command that needs no database nor configuration, only the
// logger and what invoke starts (orderalert webhook listen).
func Standalone(log *slog.Logger, invoke any) fx.Option {
	return fx.Options(fx.Supply(log), quietFx(), fx.Invoke(invoke))
}
