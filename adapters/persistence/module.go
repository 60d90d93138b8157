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
}

// startPingTimeout bounds the connection check at start-up: an unreachable database stops the
// service with a clear error rather than a hang.
const startPingTimeout = 10 * time.Second

// Module provides the database, migrated on start and closed on stop, and binds the adapters to
// the application's ports.
var Module = fx.Module("persistence",
	fx.Provide(
		NewDB,
		fx.Annotate(NewOrderRepository, fx.As(new(application.OrderRepository))),
		fx.Annotate(NewAlertLog, fx.As(new(application.AlertLog))),
		NewProbe,
	),
)

// NewDB opens the configured database; on start it checks the connection and migrates the
// schema, on stop it closes the pool.
func NewDB(lc fx.Lifecycle, cfg Config, log *slog.Logger) (*bun.DB, error) {
	db, err := Open(cfg.URL)
	if err != nil {
		return nil, err
	}
	log = log.With("database", dialectName(db))
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			if err := Ping(ctx, db, startPingTimeout); err != nil {
				return err
			}
			applied, err := Migrate(ctx, db)
			if err != nil {
				return err
			}
			logApplied(log, applied)
			return nil
		},
		OnStop: func(context.Context) error { return db.Close() },
	})
	return db, nil
}

// Probe tells readiness checks whether the database answers.
type Probe struct{ db *bun.DB }

// NewProbe returns a probe of db.
func NewProbe(db *bun.DB) *Probe { return &Probe{db: db} }

// Name names the dependency in readiness reports.
func (p *Probe) Name() string { return "database" }

// Ready reports an error when the database does not answer within two seconds.
func (p *Probe) Ready(ctx context.Context) error { return Ping(ctx, p.db, 2*time.Second) }
