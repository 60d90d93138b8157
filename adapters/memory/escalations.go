package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/channel"
)

var (
	_ application.EscalationSchedule = (*Escalations)(nil)
	_ application.ChannelRepository  = (*Escalations)(nil)
)

// Escalations keeps the escalation channels and schedule beside a Store's alerts, on the
// store's clock. The store's lock may be taken while its own is held, never the other way.
type Escalations struct {
	store *Store

	mu          sync.Mutex
	channels    []channel.Channel
	lastChannel int64
	step        map[int64]int // alert id → 1 screened, 2 escalated
	deliveries  []*delivery
}

type delivery struct {
	application.Delivery
	shopID     int64
	sendAt     time.Time
	leaseUntil time.Time
	ended      bool
	outcome    string
}

// NewEscalations returns an empty schedule over the store's alerts.
func NewEscalations(s *Store) *Escalations { return &Escalations{store: s, step: map[int64]int{}} }

// Add implements application.ChannelRepository.
func (e *Escalations) Add(_ context.Context, c channel.Channel) (channel.Channel, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lastChannel++
	c.ID = e.lastChannel
	e.channels = append(e.channels, c)
	return c, nil
}

// List implements application.ChannelRepository.
func (e *Escalations) List(context.Context) ([]channel.Channel, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.channels), nil
}

// Remove implements application.ChannelRepository.
func (e *Escalations) Remove(_ context.Context, id int64) (channel.Channel, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	i := slices.IndexFunc(e.channels, func(c channel.Channel) bool { return c.ID == id })
	if i < 0 {
		return channel.Channel{}, fmt.Errorf("channel %d: %w", id, channel.ErrNotFound)
	}
	c := e.channels[i]
	e.channels = slices.Delete(e.channels, i, i+1)
	return c, nil
}

// openAlerts are the store's open alerts, read under its lock.
func (e *Escalations) openAlerts() []alert.Alert {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	var out []alert.Alert
	for _, a := range e.store.alerts {
		if a.Open() {
			out = append(out, a)
		}
	}
	return out
}

// DueForScreenCheck implements application.EscalationSchedule.
func (e *Escalations) DueForScreenCheck(_ context.Context, grace time.Duration, limit int) ([]alert.Alert, error) {
	return e.due(func(step int) bool { return step == 0 }, grace, limit), nil
}

// DueUnacknowledged implements application.EscalationSchedule.
func (e *Escalations) DueUnacknowledged(_ context.Context, after time.Duration, limit int) ([]alert.Alert, error) {
	return e.due(func(step int) bool { return step < 2 }, after, limit), nil
}

func (e *Escalations) due(wanted func(int) bool, age time.Duration, limit int) []alert.Alert {
	open, now := e.openAlerts(), e.store.now()
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []alert.Alert
	for _, a := range open {
		if len(out) < limit && wanted(e.step[a.ID]) && !a.CreatedAt.After(now.Add(-age)) {
			out = append(out, a)
		}
	}
	return out
}

// Screened implements application.EscalationSchedule.
func (e *Escalations) Screened(_ context.Context, id int64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.step[id] == 0 {
		e.step[id] = 1
	}
	return nil
}

// Escalate implements application.EscalationSchedule.
func (e *Escalations) Escalate(_ context.Context, id int64, reason string, compose application.Composer, rate application.Rate) (bool, error) {
	open, now := e.openAlerts(), e.store.now()
	i := slices.IndexFunc(open, func(a alert.Alert) bool { return a.ID == id })
	e.mu.Lock()
	defer e.mu.Unlock()
	if i < 0 || e.step[id] == 2 {
		return false, nil
	}
	a := open[i]
	for _, ch := range e.channels {
		if ch.ShopID == a.ShopID {
			if err := e.deliver(ch, a, reason, compose, rate, now); err != nil {
				return false, err
			}
		}
	}
	e.step[id] = 2
	return true, nil
}

func (e *Escalations) deliver(ch channel.Channel, a alert.Alert, reason string, compose application.Composer, rate application.Rate, now time.Time) error {
	sent, first := 0, time.Time{}
	for _, d := range e.deliveries {
		if d.Channel.ID != ch.ID {
			continue
		}
		if !d.ended && d.Attempts == 0 && d.sendAt.After(now) { // waiting for the window: join it
			d.AlertIDs = append(d.AlertIDs, a.ID)
			body, err := compose.Body(ch.Kind, d.Reason, e.alertsOf(d.AlertIDs))
			d.Body = body
			return err
		}
		if d.sendAt.After(now.Add(-rate.Per)) && !d.sendAt.After(now) {
			if sent++; first.IsZero() || d.sendAt.Before(first) {
				first = d.sendAt
			}
		}
	}
	body, err := compose.Body(ch.Kind, reason, []alert.Alert{a})
	if err != nil {
		return err
	}
	sendAt := now
	if sent >= rate.N {
		sendAt = first.Add(rate.Per)
	}
	e.deliveries = append(e.deliveries, &delivery{
		Delivery: application.Delivery{ID: int64(len(e.deliveries) + 1), Channel: ch, Reason: reason, AlertIDs: []int64{a.ID}, Body: body},
		shopID:   a.ShopID, sendAt: sendAt,
	})
	return nil
}

// alertsOf reads the store's alerts with these ids; the caller holds e.mu, never the store's.
func (e *Escalations) alertsOf(ids []int64) []alert.Alert {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	var out []alert.Alert
	for _, a := range e.store.alerts {
		if slices.Contains(ids, a.ID) {
			out = append(out, a)
		}
	}
	return out
}

// Claim implements application.EscalationSchedule.
func (e *Escalations) Claim(_ context.Context, lease time.Duration) (application.Delivery, bool, error) {
	open, now := e.openAlerts(), e.store.now()
	e.mu.Lock()
	defer e.mu.Unlock()
	var next *delivery
	for _, d := range e.deliveries {
		if d.ended || d.sendAt.After(now) || d.leaseUntil.After(now) {
			continue
		}
		if !slices.ContainsFunc(open, func(a alert.Alert) bool { return slices.Contains(d.AlertIDs, a.ID) }) {
			d.ended, d.outcome = true, "acknowledged"
			continue
		}
		if !slices.ContainsFunc(e.channels, func(c channel.Channel) bool { return c.ID == d.Channel.ID }) {
			d.ended, d.outcome = true, "channel_removed"
			continue
		}
		if next == nil || d.sendAt.Before(next.sendAt) {
			next = d
		}
	}
	if next == nil {
		return application.Delivery{}, false, nil
	}
	next.Attempts++
	next.leaseUntil = now.Add(lease)
	claimed := next.Delivery
	claimed.AlertIDs, claimed.Body = slices.Clone(next.AlertIDs), slices.Clone(next.Body)
	return claimed, true, nil
}

// Finish implements application.EscalationSchedule.
func (e *Escalations) Finish(_ context.Context, d application.Delivery, a application.Attempt, retryIn time.Duration) error {
	now := e.store.now()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, x := range e.deliveries {
		if x.ID != d.ID || x.Attempts != d.Attempts || x.ended {
			continue
		}
		x.leaseUntil = time.Time{}
		switch {
		case a.Outcome == application.AttemptSent:
			x.ended, x.outcome = true, "sent"
		case a.Outcome == application.AttemptFailed || retryIn <= 0:
			x.ended, x.outcome = true, "failed"
		default:
			x.sendAt = now.Add(retryIn)
		}
	}
	return nil
}
