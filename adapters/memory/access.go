package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

var (
	_ application.AccessStore   = (*Employees)(nil)
	_ application.TokenDenylist = (*Employees)(nil)
)

type deniedToken struct {
	empID     int64
	expiresAt time.Time
}

// Changes implements application.AccessStore.
func (s *Employees) Changes(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changes, nil
}

// LoadAccess implements application.AccessStore.
func (s *Employees) LoadAccess(_ context.Context, now time.Time) (application.AccessRecords, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := application.AccessRecords{Employees: map[int64]employee.Access{}, Denied: map[string]struct{}{}}
	for _, e := range s.byName {
		r.Employees[e.ID] = e.Access()
	}
	for id := range s.deleted {
		r.Employees[id] = employee.Access{Deleted: true}
	}
	for id, d := range s.denied {
		if d.expiresAt.After(now) {
			r.Denied[id] = struct{}{}
		}
	}
	return r, nil
}

// CurrentAccess implements application.AccessStore.
func (s *Employees) CurrentAccess(_ context.Context, empID int64, tokenID string) (employee.Access, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, denied := s.denied[tokenID]
	for _, e := range s.byName {
		if e.ID == empID {
			return e.Access(), denied, nil
		}
	}
	return employee.Access{}, false, fmt.Errorf("employee %d: %w", empID, employee.ErrNotFound)
}

// Deny implements application.TokenDenylist.
func (s *Employees) Deny(_ context.Context, id string, empID int64, expiresAt time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.denied == nil {
		s.denied = map[string]deniedToken{}
	}
	now := time.Now()
	for old, d := range s.denied {
		if !d.expiresAt.After(now) {
			delete(s.denied, old)
		}
	}
	if _, seen := s.denied[id]; !seen {
		s.denied[id] = deniedToken{empID: empID, expiresAt: expiresAt}
	}
	s.changes++
	return nil
}
