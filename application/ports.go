package application

import (
	"context"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// OrderKey names one order, by id or by number (payment providers know only the number).
type OrderKey struct {
	ID     int64
	Number string
}

// ByID names the order with this id.
func ByID(id int64) OrderKey { return OrderKey{ID: id} }

// ByNumber names the order with this number.
func ByNumber(number string) OrderKey { return OrderKey{Number: number} }

// String is for error messages.
func (k OrderKey) String() string {
	if k.Number != "" {
		return "number " + k.Number
	}
	return "id " + itoa(k.ID)
}

// OrderChange decides, on the current state of one order, what happens to it. It may modify the
// order and may return an alert to append; returning an error aborts the change.
type OrderChange func(o *order.Order) (*alert.Alert, error)

// ReminderCheck decides whether a reminder is allowed and returns the alert to append.
type ReminderCheck func(o order.Order) (alert.Alert, error)

// OrderRepository stores orders. Writing an order and appending its alert happen in one
// transaction: either both are committed or neither.
type OrderRepository interface {
	// Add stores a new order and returns it with its id. A number already used gives
	// order.ErrDuplicateNumber.
	Add(ctx context.Context, o order.Order) (order.Order, error)

	// Get returns the order with this id, or order.ErrNotFound.
	Get(ctx context.Context, key OrderKey) (order.Order, error)

	// Update loads the order inside a transaction that excludes every other Update or Remind of it
	// until commit, and calls change once. If change fails nothing is written and its error is
	// returned. Otherwise the order as change left it is saved, the alert change returned (if any)
	// is appended to the alert log, and both are committed together. It returns the saved order
	// and the stored alert with its id (nil when change returned none). Unknown key:
	// order.ErrNotFound.
	Update(ctx context.Context, key OrderKey, change OrderChange) (order.Order, *alert.Alert, error)

	// UpdateAndAck is Update that, in the same transaction and after change, acknowledges with
	// ack every open alert of the order's own (not published by an integration), appending their
	// events. It returns the saved order and the alerts it acknowledged, in id order.
	UpdateAndAck(ctx context.Context, key OrderKey, change OrderChange, ack alert.Ack) (order.Order, []Acked, error)

	// Remind records a reminder of the order with this id. In one transaction it loads the order,
	// lets check refuse it, then claims the reminder with one conditional update decided by the
	// store's own clock: if the order was reminded less than cooldown ago it returns
	// order.ErrReminderTooFrequent and writes nothing. Otherwise last_reminded_at becomes now
	// and check's alert is appended. Of many concurrent reminders, on any number of instances,
	// exactly one within a cooldown succeeds.
	Remind(ctx context.Context, id int64, cooldown time.Duration, check ReminderCheck) (alert.Alert, error)
}

// AlertFilter selects rows of the log: alerts of the scope's shops and, unless AllKinds, only
// of the built-in kinds 1 and 2 (what the original front ends understand); events (acks) only
// with Events; only open alerts with OpenOnly. The filter is applied where the data is, in the
// query, so that a page is full of rows the reader wants.
type AlertFilter struct {
	Shops    shop.Scope
	AllKinds bool
	Events   bool
	OpenOnly bool
}

// EveryAlert is the filter of the instance's feed, which reads every shop's alerts of every kind
// and every event.
func EveryAlert() AlertFilter {
	return AlertFilter{Shops: shop.Everything(), AllKinds: true, Events: true}
}

// Admits reports whether the filter selects a.
func (f AlertFilter) Admits(a alert.Alert) bool {
	if !f.Shops.Includes(a.ShopID) {
		return false
	}
	if a.IsEvent() {
		return f.Events && !f.OpenOnly
	}
	return (f.AllKinds || a.Type.Builtin()) && (!f.OpenOnly || a.Open())
}

// AlertLog reads the log of alerts, the replay source of dashboards that reconnect.
//
// Alert ids become visible in id order: once a reader has seen id K, no alert with an id below K
// can become visible later. A reader that resumes "after K" therefore never skips an alert, and
// one that reads with a filter never skips an alert the filter selects.
type AlertLog interface {
	// After returns at most limit alerts that f selects with an id above afterID, in ascending id
	// order. Fewer than limit means none is left for now.
	After(ctx context.Context, f AlertFilter, afterID int64, limit int) ([]alert.Alert, error)

	// Latest returns the newest limit alerts that f selects, in ascending id order.
	Latest(ctx context.Context, f AlertFilter, limit int) ([]alert.Alert, error)

	// LastAssignedID returns the highest id the log has ever assigned, 0 if none: at least the
	// id of every alert a reader has seen, including alerts pruned since (and, on PostgreSQL,
	// ids drawn by transactions still open or rolled back). Unlike the newest stored alert it
	// does not fall when alerts are pruned, so a client's id above it can only come from
	// another database.
	LastAssignedID(ctx context.Context) (int64, error)

	// Prune deletes the alerts created before before and returns how many it deleted. It
	// deletes in short batches, so it never holds the log for long nor delays appends; it does
	// not change the ids of the alerts kept, and no id it frees is ever assigned again (ids
	// keep growing past LastAssignedID). Concurrent Prunes, on any number of instances, are
	// harmless: each alert is deleted once, and the counts add up to the alerts deleted.
	Prune(ctx context.Context, before time.Time) (int64, error)
}

// AlertFeedWaker is told of every alert this instance has committed, right after the commit. It
// only wakes the instance's ordered feed, which re-reads the log after its cursor and delivers
// what it finds in id order, with every other instance's alerts: the alert passed is for counting,
// never delivered from here, so a filter or a change made here would reach nobody.
type AlertFeedWaker interface {
	// Committed returns at once and never blocks on a socket.
	Committed(a alert.Alert)
}

// Clock tells the time; tests set it.
type Clock interface {
	Now() time.Time
}
