package memory

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/push"
)

var (
	_ application.PushSubscriptions = (*Push)(nil)
	_ application.PushQueue         = (*Push)(nil)
)

// Push keeps push subscriptions and the push queue of a Store's alerts and an Employees'
// staff, as the database does.
type Push struct {
	store     *Store
	employees *Employees

	mu         sync.Mutex
	subs       []push.Subscription
	lastSub    int64
	deliveries []*pushDelivery
	lastID     int64
	cursor     int64
}

type pushDelivery struct {
	application.PushDelivery
	renotify   bool
	createdAt  time.Time
	sendAt     time.Time
	leaseUntil time.Time
	ended      bool
}

// NewPush returns an empty queue over s's alert log and e's staff. Its cursor starts at the
// log's start: a memory store begins empty, as the migration's cursor begins past the log.
func NewPush(s *Store, e *Employees) *Push { return &Push{store: s, employees: e} }

// Save implements application.PushSubscriptions.
func (p *Push) Save(_ context.Context, sub push.Subscription) (push.Subscription, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, kept := range p.subs {
		if kept.Endpoint == sub.Endpoint {
			sub.ID, sub.CreatedAt = kept.ID, kept.CreatedAt
			p.subs[i] = sub
			return sub, nil
		}
	}
	p.lastSub++
	sub.ID = p.lastSub
	p.subs = append(p.subs, sub)
	return sub, nil
}

// Remove implements application.PushSubscriptions.
func (p *Push) Remove(_ context.Context, employeeID int64, endpoint string) error {
	p.removeWhere(func(s push.Subscription) bool { return s.EmployeeID == employeeID && s.Endpoint == endpoint })
	return nil
}

// RemoveToken implements application.PushSubscriptions.
func (p *Push) RemoveToken(_ context.Context, tokenID string) error {
	p.removeWhere(func(s push.Subscription) bool { return s.TokenID == tokenID })
	return nil
}

// removeWhere deletes the subscriptions del picks, and their deliveries.
func (p *Push) removeWhere(del func(push.Subscription) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.subs = slices.DeleteFunc(p.subs, del)
	p.deliveries = slices.DeleteFunc(p.deliveries, func(d *pushDelivery) bool {
		return !slices.ContainsFunc(p.subs, func(s push.Subscription) bool { return s.ID == d.Subscription.ID })
	})
}

// Enqueue implements application.PushQueue.
func (p *Push) Enqueue(ctx context.Context, limit int, payload application.PushPayload) (int, error) {
	cursor := p.cursorValue()
	p.store.mu.Lock()
	var rows []alert.Alert
	for _, a := range p.store.alerts {
		if a.ID > cursor && len(rows) < limit {
			rows = append(rows, a)
		}
	}
	p.store.mu.Unlock()
	if len(rows) == 0 {
		return 0, nil
	}
	var open []alert.Alert
	for _, a := range rows {
		if a.Open() {
			open = append(open, a)
		}
	}
	// Two passes at once may make the same deliveries: made() keeps them once.
	p.make(ctx, open, false, payload)
	p.mu.Lock()
	p.cursor = max(p.cursor, rows[len(rows)-1].ID)
	p.mu.Unlock()
	return len(rows), nil
}

func (p *Push) cursorValue() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cursor
}

// Repush implements application.PushQueue.
func (p *Push) Repush(ctx context.Context, alertID int64, payload application.PushPayload) error {
	p.store.mu.Lock()
	var found []alert.Alert
	for _, a := range p.store.alerts {
		if a.ID == alertID && a.Open() {
			found = append(found, a)
		}
	}
	p.store.mu.Unlock()
	p.make(ctx, found, true, payload)
	return nil
}

// make adds a delivery of each alert to each subscription of its shop's current staff.
func (p *Push) make(ctx context.Context, alerts []alert.Alert, renotify bool, payload application.PushPayload) {
	p.mu.Lock()
	subs := slices.Clone(p.subs)
	p.mu.Unlock()
	var audience []push.Subscription
	var shops []int64
	for _, s := range subs {
		e, err := p.employees.ByID(ctx, s.EmployeeID)
		if err == nil && e.Status == employee.StatusEnabled && e.TokenVersion == s.TokenVersion {
			audience, shops = append(audience, s), append(shops, e.ShopID)
		}
	}
	now := p.store.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range alerts {
		var body []byte // written only for an alert someone is subscribed to
		for i, s := range audience {
			if (shops[i] != 0 && shops[i] != a.ShopID) || p.made(s.ID, a.ID, renotify) {
				continue
			}
			if body == nil {
				body = payload(a, renotify)
			}
			p.lastID++
			p.deliveries = append(p.deliveries, &pushDelivery{
				PushDelivery: application.PushDelivery{ID: p.lastID, Subscription: s, AlertID: a.ID, Payload: body},
				renotify:     renotify, createdAt: now, sendAt: now,
			})
		}
	}
}

func (p *Push) made(subID, alertID int64, renotify bool) bool {
	return slices.ContainsFunc(p.deliveries, func(d *pushDelivery) bool {
		return d.Subscription.ID == subID && d.AlertID == alertID && d.renotify == renotify
	})
}

// Claim implements application.PushQueue.
func (p *Push) Claim(_ context.Context, lease, ttl time.Duration) (application.PushDelivery, bool, error) {
	now := p.store.now()
	p.store.mu.Lock()
	open := map[int64]bool{}
	for _, a := range p.store.alerts {
		open[a.ID] = a.Open()
	}
	p.store.mu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	var next *pushDelivery
	for _, d := range p.deliveries {
		switch {
		case d.ended || d.sendAt.After(now) || d.leaseUntil.After(now):
			continue
		case !open[d.AlertID] || !now.Before(d.createdAt.Add(ttl)):
			d.ended = true
			continue
		}
		if next == nil || d.sendAt.Before(next.sendAt) {
			next = d
		}
	}
	if next == nil {
		return application.PushDelivery{}, false, nil
	}
	next.Attempts++
	next.leaseUntil = now.Add(lease)
	claimed := next.PushDelivery
	claimed.Payload = slices.Clone(next.Payload)
	return claimed, true, nil
}

// Finish implements application.PushQueue.
func (p *Push) Finish(_ context.Context, d application.PushDelivery, a application.PushAttempt, retryIn time.Duration) error {
	if a.Outcome == application.PushGone {
		p.removeWhere(func(s push.Subscription) bool { return s.ID == d.Subscription.ID })
		return nil
	}
	now := p.store.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, x := range p.deliveries {
		if x.ID != d.ID || x.Attempts != d.Attempts || x.ended {
			continue
		}
		x.leaseUntil = time.Time{}
		if a.Outcome == application.PushRetry && retryIn > 0 {
			x.sendAt = now.Add(retryIn)
		} else {
			x.ended = true
		}
	}
	return nil
}
