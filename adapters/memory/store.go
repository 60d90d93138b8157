package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

var (
	_ application.OrderRepository = (*Store)(nil)
	_ application.AlertLog        = (*Store)(nil)
)

// Store keeps orders and alerts in memory. One mutex serialises every change, which is what makes
// alert ids visible in id order here: an id is assigned and published under the same lock.
type Store struct {
	now func() time.Time

	mu          sync.Mutex
	orders      map[int64]order.Order
	byNumber    map[string]int64
	alerts      []alert.Alert // in id order
	lastOrderID int64
	lastAlertID int64 // the highest id ever assigned: pruning never lowers it
	// cancelLeases hold unpaid orders for the instance cancelling them (unpaid.go).
	cancelLeases map[int64]time.Time
}

// NewStore returns an empty store whose reminder cooldown runs on now (the store's own clock,
// like a database's now()).
func NewStore(now func() time.Time) *Store {
	return &Store{now: now, orders: map[int64]order.Order{}, byNumber: map[string]int64{}}
}

// Add implements application.OrderRepository.
func (s *Store) Add(_ context.Context, o order.Order) (order.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.byNumber[o.Number]; taken {
		return order.Order{}, fmt.Errorf("add order %s: %w", o.Number, order.ErrDuplicateNumber)
	}
	s.lastOrderID++
	o.ID = s.lastOrderID
	s.orders[o.ID] = ownOrder(o)
	s.byNumber[o.Number] = o.ID
	return o, nil
}

// Get implements application.OrderRepository.
func (s *Store) Get(_ context.Context, key application.OrderKey) (order.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.find(key)
}

func (s *Store) find(key application.OrderKey) (order.Order, error) {
	id := key.ID
	if key.Number != "" {
		id = s.byNumber[key.Number]
	}
	o, ok := s.orders[id]
	if !ok {
		return order.Order{}, fmt.Errorf("order %s: %w", key, order.ErrNotFound)
	}
	return ownOrder(o), nil
}

// Update implements application.OrderRepository. change runs under the store's lock, so it must
// not call back into the store.
func (s *Store) Update(_ context.Context, key application.OrderKey, change application.OrderChange) (order.Order, *alert.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.update(key, change)
}

func (s *Store) update(key application.OrderKey, change application.OrderChange) (order.Order, *alert.Alert, error) {
	o, err := s.find(key)
	if err != nil {
		return order.Order{}, nil, err
	}
	id, number := o.ID, o.Number
	a, err := change(&o)
	if err != nil {
		return order.Order{}, nil, err
	}
	if a != nil {
		stored, err := s.appendAlert(*a)
		if err != nil {
			return order.Order{}, nil, err
		}
		a = &stored
	}
	o.ID, o.Number = id, number // an order's identity is not the change's to alter
	s.orders[id] = ownOrder(o)
	return o, a, nil
}

// Remind implements application.OrderRepository.
func (s *Store) Remind(_ context.Context, id int64, cooldown time.Duration, check application.ReminderCheck) (alert.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.find(application.ByID(id))
	if err != nil {
		return alert.Alert{}, err
	}
	a, err := check(o)
	if err != nil {
		return alert.Alert{}, err
	}
	now := s.now()
	if !o.LastRemindedAt.IsZero() && o.LastRemindedAt.After(now.Add(-cooldown)) {
		return alert.Alert{}, fmt.Errorf("order %d: %w", id, order.ErrReminderTooFrequent)
	}
	stored, err := s.appendAlert(a)
	if err != nil {
		return alert.Alert{}, err
	}
	o.LastRemindedAt = now
	s.orders[id] = o
	return stored, nil
}

// appendAlert assigns the alert's id under the store's lock. Like the databases' log, it holds
// no reference to orders: published alerts carry their caller's ids.
func (s *Store) appendAlert(a alert.Alert) (alert.Alert, error) {
	if a.ShopID <= 0 {
		return alert.Alert{}, fmt.Errorf("append %s: no shop", a)
	}
	s.lastAlertID++
	a.ID = s.lastAlertID
	s.alerts = append(s.alerts, ownAlert(a))
	return a, nil
}
