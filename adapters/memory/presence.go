package memory

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/shop"
)

var (
	_ application.PresenceStore  = (*Presence)(nil)
	_ application.ScreenPresence = (*Presence)(nil)
)

// Presence keeps the screens of every instance in memory. now is its clock, the "database's":
// heartbeats are stamped and compared with it, as the databases do with theirs.
type Presence struct {
	now   func() time.Time
	names func(employeeID int64) string

	mu        sync.Mutex
	instances map[string]time.Time // instance → its last heartbeat
	rows      map[presenceKey]presenceRow
}

type presenceKey struct {
	instance string
	employee int64
	sid      string
}

type presenceRow struct {
	screen         application.Screen
	disconnectedAt *time.Time
}

// NewPresence returns an empty presence; names gives an employee's name, as the databases read
// it from the employee's record.
func NewPresence(now func() time.Time, names func(employeeID int64) string) *Presence {
	return &Presence{now: now, names: names, instances: map[string]time.Time{}, rows: map[presenceKey]presenceRow{}}
}

// Heartbeat implements application.PresenceStore.
func (p *Presence) Heartbeat(_ context.Context, instance string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.instances[instance] = p.now()
	return nil
}

// Silence makes instance's last heartbeat ago old, as a killed instance's becomes.
func (p *Presence) Silence(instance string, ago time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.instances[instance]; ok {
		p.instances[instance] = p.now().Add(-ago)
	}
}

// Apply implements application.PresenceStore.
func (p *Presence) Apply(_ context.Context, instance string, changes []application.PresenceChange) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range changes {
		s := c.Screen
		s.EmployeeName, s.Instance = p.names(s.EmployeeID), instance
		s.ShopIDs = slices.Clone(s.ShopIDs)
		p.rows[presenceKey{instance, s.EmployeeID, s.SID}] = presenceRow{screen: s, disconnectedAt: c.DisconnectedAt}
	}
	return nil
}

// Screens implements application.PresenceStore.
func (p *Presence) Screens(_ context.Context, scope shop.Scope, staleAfter time.Duration) ([]application.Screen, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	alive := p.now().Add(-staleAfter)
	var screens []application.Screen
	for k, r := range p.rows {
		seen, ok := p.instances[k.instance]
		if r.disconnectedAt != nil || !ok || seen.Before(alive) || !watchesAny(r.screen, scope) {
			continue
		}
		s := r.screen
		s.ShopIDs = slices.Clone(s.ShopIDs)
		screens = append(screens, s)
	}
	slices.SortFunc(screens, func(a, b application.Screen) int {
		return cmp.Or(a.ConnectedAt.Compare(b.ConnectedAt), cmp.Compare(a.Instance, b.Instance),
			cmp.Compare(a.EmployeeID, b.EmployeeID), cmp.Compare(a.SID, b.SID))
	})
	return screens, nil
}

// watchesAny reports whether s watches a shop of scope: a shop's screen watches its shop, a
// platform screen the shops it named, or every shop.
func watchesAny(s application.Screen, scope shop.Scope) bool {
	switch {
	case scope.All():
		return true
	case s.ShopID != 0:
		return scope.Includes(s.ShopID)
	case len(s.ShopIDs) == 0:
		return len(scope.Shops()) > 0
	}
	return slices.ContainsFunc(s.ShopIDs, scope.Includes)
}

// HadScreen implements application.ScreenPresence.
func (p *Presence) HadScreen(_ context.Context, shopID int64, from, to time.Time, staleAfter time.Duration) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, r := range p.rows {
		s := r.screen
		seen, ok := p.instances[k.instance]
		switch {
		case !ok || seen.Before(from.Add(-staleAfter)):
		case shopID == 0 && (s.ShopID != 0 || len(s.ShopIDs) > 0):
		case shopID != 0 && s.ShopID != shopID && (s.ShopID != 0 || !slices.Contains(s.ShopIDs, shopID)):
		case s.Audio != nil && !*s.Audio:
		case s.ConnectedAt.After(to) || r.disconnectedAt != nil && r.disconnectedAt.Before(from):
		default:
			return true, nil
		}
	}
	return false, nil
}

// Forget implements application.PresenceStore.
func (p *Presence) Forget(_ context.Context, instance string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.instances, instance)
	for k := range p.rows {
		if k.instance == instance {
			delete(p.rows, k)
		}
	}
	return nil
}

// Prune implements application.PresenceStore.
func (p *Presence) Prune(_ context.Context, olderThan time.Duration) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	cutoff := p.now().Add(-olderThan)
	silent := map[string]bool{}
	for id, seen := range p.instances {
		if seen.Before(cutoff) {
			silent[id] = true
			delete(p.instances, id)
		}
	}
	for k, r := range p.rows {
		_, known := p.instances[k.instance]
		gone := r.disconnectedAt != nil && r.disconnectedAt.Before(cutoff)
		if gone || silent[k.instance] || !known && r.screen.ConnectedAt.Before(cutoff) {
			delete(p.rows, k)
		}
	}
	return nil
}
