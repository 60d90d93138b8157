// Package alert is what rings a shop's dashboard: a new paid order (来单提醒, type 1), a
// customer's reminder (客户催单, type 2), or any kind an operator created (客房服务, 叫号…), for an
// order of orderalert's own or one that an integrated backend keeps. The alert's shape is the
// same for every kind; a kind (kind.go) only names it and says how it reads and sounds.
package alert

import (
	"fmt"
	"slices"
	"time"
)

// Type is an alert kind's code on the wire; the original dashboard checks type === 1 / 2
// strictly, so those two keep their meaning.
type Type int

// The built-in kinds.
const (
	TypeNewOrder Type = 1 // 来单提醒
	TypeReminder Type = 2 // 客户催单
)

// Builtin reports whether t is one of the two kinds every front end knows; sockets that did not
// opt in to more (?events=1) receive only these.
func (t Type) Builtin() bool { return t == TypeNewOrder || t == TypeReminder }

// MaxContentLength is the longest content kept, in characters.
const MaxContentLength = 100

// Alert is one stored alert. ID is assigned by the alert log, increases with every alert and
// orders delivery: a dashboard resumes "after the last id it saw".
type Alert struct {
	ID     int64
	Type   Type
	ShopID int64
	// Source is the integration that published the alert, or empty for orderalert's own
	// orders. A published alert's OrderID and OrderNumber are the caller's, not rows of orders.
	Source string
	// IdempotencyKey is the publisher's key, unique per source and shop; empty for own orders.
	IdempotencyKey string
	OrderID        int64
	OrderNumber    string
	Content        string
	CreatedAt      time.Time
	// Event is empty for an alert and EventAck for the log's record of an acknowledgement,
	// which shares the alerts' id sequence so that one cursor resumes both (ack.go).
	Event string
	// Ack is nil while an alert is open; on an event it is what the event records.
	Ack *Ack
	// Items is what was ordered, on a new-order alert of orderalert's own orders whose
	// customer listed it (NewOrder); nil on every other alert and on events.
	Items []Item
}

// Content is the text of a built-in alert for an order number.
func Content(orderNumber string) string { return "订单号:" + orderNumber }

// NewOrder is the alert for a freshly paid order of shopID, listing what was ordered (nothing
// when no items are given); its ID is set when it is stored.
func NewOrder(shopID, orderID int64, orderNumber string, at time.Time, items ...Item) Alert {
	a := newAlert(TypeNewOrder, shopID, orderID, orderNumber, at)
	if len(items) > 0 {
		a.Items = slices.Clone(items) // the log's copy: the caller's slice is not ours to keep
	}
	return a
}

// Reminder is the alert for a customer's reminder; its ID is set when it is stored.
func Reminder(shopID, orderID int64, orderNumber string, at time.Time) Alert {
	return newAlert(TypeReminder, shopID, orderID, orderNumber, at)
}

func newAlert(t Type, shopID, orderID int64, orderNumber string, at time.Time) Alert {
	return Alert{Type: t, ShopID: shopID, OrderID: orderID, OrderNumber: orderNumber, Content: Content(orderNumber), CreatedAt: at}
}

// String is for logs.
func (a Alert) String() string {
	if a.IsEvent() && a.Ack != nil {
		return fmt.Sprintf("%s event %d of alert %d shop %d", a.Event, a.ID, a.Ack.AlertID, a.ShopID)
	}
	return fmt.Sprintf("alert %d type %d shop %d order %d (%s)", a.ID, a.Type, a.ShopID, a.OrderID, a.OrderNumber)
}
