package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/orderalert/orderalert/application"
)

var _ application.TicketLedger = (*TicketLedger)(nil)

// TicketLedger records used tickets in memory.
type TicketLedger struct {
	mu   sync.Mutex
	used map[string]struct{}
}

// Use implements application.TicketLedger.
func (l *TicketLedger) Use(_ context.Context, id string, _ time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, seen := l.used[id]; seen {
		return fmt.Errorf("%w: ticket already used", application.ErrUnauthenticated)
	}
	if l.used == nil {
		l.used = map[string]struct{}{}
	}
	l.used[id] = struct{}{}
	return nil
}
