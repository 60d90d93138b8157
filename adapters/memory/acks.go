package memory

import (
	"context"
	"fmt"
	"sort"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

var _ application.AlertAcker = (*Store)(nil)

// Ack implements application.AlertAcker.
func (s *Store) Ack(_ context.Context, id int64, scope shop.Scope, ack alert.Ack) (application.Acked, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := sort.Search(len(s.alerts), func(i int) bool { return s.alerts[i].ID >= id })
	if i == len(s.alerts) || s.alerts[i].ID != id || s.alerts[i].IsEvent() || !scope.Includes(s.alerts[i].ShopID) {
		return application.Acked{}, fmt.Errorf("alert %d: %w", id, alert.ErrNotFound)
	}
	if !s.alerts[i].Open() {
		return application.Acked{Alert: s.alerts[i]}, nil
	}
	return s.ackAt(i, ack)
}

// AckOpen implements application.AlertAcker.
func (s *Store) AckOpen(_ context.Context, sel application.OpenAlerts, ack alert.Ack) ([]application.Acked, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ackOpen(sel, ack)
}

// UpdateAndAck implements application.OrderRepository.
func (s *Store) UpdateAndAck(_ context.Context, key application.OrderKey, change application.OrderChange, ack alert.Ack) (order.Order, []application.Acked, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	saved, _, err := s.update(key, change)
	if err != nil {
		return order.Order{}, nil, err
	}
	acked, err := s.ackOpen(application.OpenAlerts{Shops: shop.Only(saved.ShopID), OrderID: saved.ID}, ack)
	return saved, acked, err
}

func (s *Store) ackOpen(sel application.OpenAlerts, ack alert.Ack) ([]application.Acked, error) {
	var acked []application.Acked
	// Events appended here lie past the end this loop read, and are never alerts to ack anyway.
	for i, n := 0, len(s.alerts); i < n; i++ {
		a := s.alerts[i]
		if a.Open() && a.Source == sel.Source && a.OrderID == sel.OrderID && sel.Shops.Includes(a.ShopID) {
			one, err := s.ackAt(i, ack)
			if err != nil {
				return acked, err
			}
			acked = append(acked, one)
		}
	}
	return acked, nil
}

// ackAt acknowledges the open alert at index i. Alerts are copied out of the store by value, so
// the ack is a new value behind a new pointer: nothing a reader holds changes.
func (s *Store) ackAt(i int, ack alert.Ack) (application.Acked, error) {
	ack.AlertID = s.alerts[i].ID
	s.alerts[i].Ack = &ack
	event, err := s.appendAlert(alert.AckEvent(s.alerts[i], ack))
	if err != nil {
		return application.Acked{}, err
	}
	return application.Acked{Alert: s.alerts[i], Event: &event}, nil
}
