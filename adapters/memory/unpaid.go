package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
)

var _ application.UnpaidOrders = (*Store)(nil)

// ClaimUnpaid implements application.UnpaidOrders on the store's clock.
func (s *Store) ClaimUnpaid(_ context.Context, timeout, lease time.Duration, limit int) ([]order.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.cancelLeases == nil {
		s.cancelLeases = map[int64]time.Time{}
	}
	var due []order.Order
	for _, o := range s.orders {
		if o.Status == order.StatusPendingPayment && !o.OrderTime.After(now.Add(-timeout)) && !s.cancelLeases[o.ID].After(now) {
			due = append(due, o)
		}
	}
	slices.SortFunc(due, func(a, b order.Order) int { return cmp.Or(a.OrderTime.Compare(b.OrderTime), cmp.Compare(a.ID, b.ID)) })
	if len(due) > limit {
		due = due[:limit]
	}
	for _, o := range due {
		s.cancelLeases[o.ID] = now.Add(lease)
	}
	return due, nil
}
