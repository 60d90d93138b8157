package persistence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// probeTimeout bounds one readiness check of the database.
const probeTimeout = 2 * time.Second

// errReadOnly is a PostgreSQL whose new sessions may not write.
var errReadOnly = errors.New("PostgreSQL is read-only")

// Probe tells readiness checks whether the database can serve: it answers, it takes writes
// (Health), and, on PostgreSQL, it is neither a standby nor read-only by default. It logs each
// change between ready and not ready, with the reason, for the operator.
type Probe struct {
	db     *bun.DB
	health *Health
	log    *slog.Logger

	mu       sync.Mutex
	notReady bool
}

// NewProbe returns a probe of db and its health.
func NewProbe(db *bun.DB, health *Health, log *slog.Logger) *Probe {
	return &Probe{db: db, health: health, log: log.With("database", dialectName(db))}
}

// Name names the dependency in readiness reports.
func (p *Probe) Name() string { return "database" }

// Ready reports why the database cannot serve requests now, or nil.
func (p *Probe) Ready(ctx context.Context) error {
	err := p.check(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case err != nil && !p.notReady:
		p.log.Warn("database not ready", "err", err)
	case err == nil && p.notReady:
		p.log.Info("database ready again")
	}
	p.notReady = err != nil
	return err
}

func (p *Probe) check(ctx context.Context) error {
	if !isPostgres(p.db) {
		if err := Ping(ctx, p.db, probeTimeout); err != nil {
			return err
		}
		return p.health.check()
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	var standby, readOnly bool
	// A session's transaction_read_only starts from default_transaction_read_only, and is on in
	// every session of a standby: what this instance's new connections would meet.
	err := p.db.QueryRowContext(ctx, "SELECT pg_is_in_recovery(), current_setting('transaction_read_only') = 'on'").Scan(&standby, &readOnly)
	switch {
	case err != nil:
		return fmt.Errorf("PostgreSQL database does not answer: %w", err)
	case standby:
		return fmt.Errorf("%w: it is a standby (in recovery)", errReadOnly)
	case readOnly:
		return fmt.Errorf("%w: default_transaction_read_only is on", errReadOnly)
	}
	return p.health.check()
}
