package memory

import (
	"context"
	"sort"

	"github.com/orderalert/orderalert/domain/alert"
)

// After implements application.AlertLog.
func (s *Store) After(_ context.Context, afterID int64, limit int) ([]alert.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from := sort.Search(len(s.alerts), func(i int) bool { return s.alerts[i].ID > afterID })
	return copyAlerts(s.alerts[from:min(from+limit, len(s.alerts))]), nil
}

// Latest implements application.AlertLog.
func (s *Store) Latest(_ context.Context, limit int) ([]alert.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copyAlerts(s.alerts[max(0, len(s.alerts)-limit):]), nil
}

func copyAlerts(as []alert.Alert) []alert.Alert {
	return append([]alert.Alert{}, as...)
}
