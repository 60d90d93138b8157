package persistence

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
)

var _ application.TicketLedger = (*TicketLedger)(nil)

type usedTicketRow struct {
	bun.BaseModel `bun:"table:used_tickets"`

	ID        string    `bun:"id,pk"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
}

// TicketLedger records used WebSocket tickets; the primary key makes the first use win.
type TicketLedger struct {
	db         *bun.DB
	lastPruned atomic.Int64 // unix seconds of the last removal of expired tickets
}

// pruneEvery spaces the removals of expired tickets: doing it on every use put a second
// statement on every socket's connect.
const pruneEvery = time.Minute

// NewTicketLedger returns the ledger in db.
func NewTicketLedger(db *bun.DB) *TicketLedger { return &TicketLedger{db: db} }

// Use implements application.TicketLedger. At most once a minute it also forgets tickets that
// expired an hour ago, which can no longer be replayed, so the table stays small without a
// separate job.
func (l *TicketLedger) Use(ctx context.Context, id string, expiresAt time.Time) error {
	_, err := l.db.NewInsert().Model(&usedTicketRow{ID: id, ExpiresAt: expiresAt.UTC()}).Exec(ctx)
	if isUniqueViolation(err) {
		return fmt.Errorf("%w: ticket already used", application.ErrUnauthenticated)
	}
	if err != nil {
		return failed(err, "record ticket use")
	}
	now := time.Now()
	last := l.lastPruned.Load()
	if now.Unix()-last < int64(pruneEvery/time.Second) || !l.lastPruned.CompareAndSwap(last, now.Unix()) {
		return nil
	}
	// Best effort: the ticket is recorded, and refusing its socket now would waste it for a
	// clean-up that the next use a minute later tries again.
	_, _ = l.db.NewDelete().Model((*usedTicketRow)(nil)).Where("expires_at < ?", now.UTC().Add(-time.Hour)).Exec(ctx)
	return nil
}
