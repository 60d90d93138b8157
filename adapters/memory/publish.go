package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/integration"
)

var (
	_ application.AlertPublisher        = (*Store)(nil)
	_ application.IntegrationRepository = (*Integrations)(nil)
)

// Existing implements application.AlertPublisher.
func (s *Store) Existing(_ context.Context, source string, shopID int64, key string) (alert.Alert, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, found := s.published(source, shopID, key)
	return a, found, nil
}

func (s *Store) published(source string, shopID int64, key string) (alert.Alert, bool) {
	for _, a := range s.alerts {
		if a.Source == source && a.ShopID == shopID && a.IdempotencyKey == key {
			return a, true
		}
	}
	return alert.Alert{}, false
}

// Publish implements application.AlertPublisher: the check and the append share the store's
// lock, as the database's unique index makes them one step.
func (s *Store) Publish(_ context.Context, a alert.Alert) (alert.Alert, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.IdempotencyKey != "" {
		if existing, found := s.published(a.Source, a.ShopID, a.IdempotencyKey); found {
			return existing, false, nil
		}
	}
	stored, err := s.appendAlert(a)
	return stored, err == nil, err
}

// Integrations keeps publishers in memory.
type Integrations struct {
	mu   sync.Mutex
	all  []integration.Integration // in id order
	last int64
}

// NewIntegrations returns an empty set.
func NewIntegrations() *Integrations { return &Integrations{} }

// Add implements application.IntegrationRepository.
func (r *Integrations) Add(_ context.Context, i integration.Integration) (integration.Integration, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, found := r.live(i.Name); found {
		return integration.Integration{}, fmt.Errorf("add integration %s: %w", i.Name, integration.ErrNameTaken)
	}
	r.last++
	i.ID = r.last
	r.all = append(r.all, i)
	return i, nil
}

func (r *Integrations) live(name string) (int, bool) {
	i := slices.IndexFunc(r.all, func(i integration.Integration) bool { return i.Name == name && i.Live() })
	return i, i >= 0
}

// ByKeyHash implements application.IntegrationRepository.
func (r *Integrations) ByKeyHash(_ context.Context, hash string) (integration.Integration, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, i := range r.all {
		if i.KeyHash == hash && i.Live() {
			return i, nil
		}
	}
	return integration.Integration{}, fmt.Errorf("integration by key: %w", integration.ErrNotFound)
}

// List implements application.IntegrationRepository.
func (r *Integrations) List(context.Context) ([]integration.Integration, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.all), nil
}

// Revoke implements application.IntegrationRepository.
func (r *Integrations) Revoke(_ context.Context, name string, at time.Time) (integration.Integration, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	i, found := r.live(name)
	if !found {
		return integration.Integration{}, fmt.Errorf("revoke integration %s: %w", name, integration.ErrNotFound)
	}
	r.all[i].RevokedAt = at
	return r.all[i], nil
}
