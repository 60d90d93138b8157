package persistence

import (
	"context"
	"log/slog"
	"time"

	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// Config is what the persistence adapter needs from the service's configuration.
type Config struct {
	// URL is postgres://… or a SQLite file path / file: URL; empty means DefaultURL.
	URL string
	// Existing opens only a database that exists and is migrated, and never changes its
	// schema (ErrNoDatabase otherwise): for tools that act on a server's database.
	Existing bool
}

// Start-up bounds: an unreachable database, or a migration stuck behind another instance's,
// stops the service with a clear error rather than a hang.
const (
	startPingTimeout = 10 * time.Second
	migrateTimeout   = 2 * time.Minute
)

// Module provides the database, migrated when it is built and closed on stop, and binds the
// adapters to the application's ports.
var Module = fx.Module("persistence",
	fx.Provide(
		NewDB,
		fx.Annotate(NewOrderRepository, fx.As(new(application.OrderRepository)), fx.As(new(application.AlertAcker)), fx.As(new(application.UnpaidOrders))),
		fx.Annotate(NewAlertLog, fx.As(new(application.AlertLog)), fx.As(fx.Self())),
		fx.Annotate(NewEmployeeRepository, fx.As(new(application.EmployeeRepository))),
		fx.Annotate(NewShopRepository, fx.As(new(application.ShopRepository))),
		fx.Annotate(NewAlertKindRepository, fx.As(new(application.AlertKindRepository))),
		fx.Annotate(NewIntegrationRepository, fx.As(new(application.IntegrationRepository))),
		fx.Annotate(NewAlertPublisher, fx.As(new(application.AlertPublisher))),
		fx.Annotate(NewChannelRepository, fx.As(new(application.ChannelRepository))),
		fx.Annotate(NewCustomerRepository, fx.As(new(application.CustomerRepository))),
		fx.Annotate(NewEscalationSchedule, fx.As(new(application.EscalationSchedule))),
		fx.Annotate(NewTicketLedger, fx.As(new(application.TicketLedger))),
		fx.Annotate(NewAccessStore, fx.As(new(application.AccessStore)), fx.As(new(application.TokenDenylist))),
		fx.Annotate(NewPresence, fx.As(new(application.PresenceStore)), fx.As(new(application.ScreenPresence))),
		fx.Annotate(NewPushSubscriptions, fx.As(new(application.PushSubscriptions))),
		fx.Annotate(NewPushQueue, fx.As(new(application.PushQueue))),
		NewSecrets,
		NewProbe,
	),
)

// NewDB opens the configured database, checks that it answers and migrates its schema (or,
// with Existing, checks that it is migrated) before anything else is built, so that every
// constructor after it may read its tables; it is closed when the application stops. Health
// watches whether it can take writes.
func NewDB(lc fx.Lifecycle, cfg Config, log *slog.Logger) (*bun.DB, *Health, error) {
	open, ready := OpenWatched, func(db *bun.DB) error { return prepare(db, log.With("database", dialectName(db))) }
	if cfg.Existing {
		open, ready = openExisting, func(db *bun.DB) error { return prepareExisting(db, cfg.URL) }
	}
	db, health, err := open(cfg.URL, log)
	if err != nil {
		return nil, nil, err
	}
	if err := ready(db); err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	lc.Append(fx.StopHook(db.Close))
	return db, health, nil
}

func prepare(db *bun.DB, log *slog.Logger) error {
	if err := Ping(context.Background(), db, startPingTimeout); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), migrateTimeout)
	defer cancel()
	applied, err := Migrate(ctx, db)
	if err != nil {
		return err
	}
	logApplied(log, applied)
	return nil
}
