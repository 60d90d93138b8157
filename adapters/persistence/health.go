package persistence

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// failedWriteHold is how long a statement the storage refused keeps readiness down. Long enough
// to span a few probes of a load balancer; short enough that an instance the balancer stopped
// sending writes to is tried again soon after the cause is gone.
const failedWriteHold = 5 * time.Second

// Health is what the adapter knows about whether its database can take writes now, for the
// readiness probe: on SQLite whether the path still names the file opened, and on both
// databases whether a statement failed in the last failedWriteHold because the storage refused
// it (storageRefused: disk full, read-only, I/O error). It learns the latter from a Bun query
// hook, which sees every statement, commits included.
//
// Readiness follows the outcome of the service's own statements rather than a write probe of
// its own: a probe's small write can succeed where the service's fail (SQLite reuses free space
// inside a page, PostgreSQL may not need to extend a file), and it would add a write a second
// to every instance. A PostgreSQL that is read-only for every session (a standby, or
// default_transaction_read_only) is seen by the probe itself, before any write fails.
type Health struct {
	guard *fileGuard // nil on PostgreSQL and for an in-memory SQLite
	hold  time.Duration
	now   func() time.Time

	mu       sync.Mutex
	failedAt time.Time // when the storage last refused a statement
	failure  error
}

func newHealth(guard *fileGuard) *Health {
	return &Health{guard: guard, hold: failedWriteHold, now: time.Now}
}

// check returns why the database cannot take writes now, or nil.
func (h *Health) check() error {
	if h.guard != nil {
		if err := h.guard.check(); err != nil {
			return err
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if ago := h.now().Sub(h.failedAt); !h.failedAt.IsZero() && ago < h.hold {
		return fmt.Errorf("the storage refused a statement %s ago: %w", ago.Round(time.Millisecond), h.failure)
	}
	return nil
}

func (h *Health) refused(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failedAt, h.failure = h.now(), err
}

// healthHook tells Health about the statements its storage refused. The file guard's own
// refusals are left out: the guard answers for itself, and the moment the file is back.
type healthHook struct{ health *Health }

var _ bun.QueryHook = healthHook{}

// BeforeQuery implements bun.QueryHook.
func (healthHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

// AfterQuery implements bun.QueryHook.
func (k healthHook) AfterQuery(_ context.Context, event *bun.QueryEvent) {
	if event.Err != nil && storageRefused(event.Err) && !refusedByGuard(event.Err) {
		k.health.refused(event.Err)
	}
}
