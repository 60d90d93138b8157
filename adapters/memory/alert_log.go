package memory

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// After implements application.AlertLog.
func (s *Store) After(_ context.Context, f application.AlertFilter, afterID int64, limit int) ([]alert.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from := sort.Search(len(s.alerts), func(i int) bool { return s.alerts[i].ID > afterID })
	var out []alert.Alert
	for _, a := range s.alerts[from:] {
		if len(out) == limit {
			break
		}
		if f.Admits(a) {
			out = append(out, ownAlert(a))
		}
	}
	return out, nil
}

// Latest implements application.AlertLog.
func (s *Store) Latest(_ context.Context, f application.AlertFilter, limit int) ([]alert.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []alert.Alert
	for i := len(s.alerts) - 1; i >= 0 && len(out) < limit; i-- {
		if f.Admits(s.alerts[i]) {
			out = append(out, ownAlert(s.alerts[i]))
		}
	}
	slices.Reverse(out)
	return out, nil
}

// LastAssignedID implements application.AlertLog.
func (s *Store) LastAssignedID(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastAlertID, nil
}

// Prune implements application.AlertLog. It holds the store's lock for one pass over the
// alerts, which in memory is short at any size a test or tool keeps.
func (s *Store) Prune(ctx context.Context, before time.Time) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("prune alerts: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.alerts)
	s.alerts = slices.DeleteFunc(s.alerts, func(a alert.Alert) bool { return a.CreatedAt.Before(before) })
	return int64(n - len(s.alerts)), nil
}
