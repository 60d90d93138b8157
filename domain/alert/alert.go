// Package alert is what rings the shop's dashboard: a new paid order (来单提醒, type 1) or a
// customer's reminder (催单, type 2). Its content is exactly "订单号:" + the order number with an
// ASCII colon, the text sky-take-out's dashboard shows.
package alert

import (
	"fmt"
	"time"
)

// Type is the alert type on the wire; the original dashboard checks type === 1 / 2 strictly.
type Type int

// The two alert types.
const (
	TypeNewOrder Type = 1 // 来单提醒
	TypeReminder Type = 2 // 客户催单
)

// Valid reports whether t is a known alert type.
func (t Type) Valid() bool { return t == TypeNewOrder || t == TypeReminder }

// Alert is one stored alert. ID is assigned by the alert log, increases with every alert and
// orders delivery: a dashboard resumes "after the last id it saw".
type Alert struct {
	ID          int64
	Type        Type
	OrderID     int64
	OrderNumber string
	Content     string
	CreatedAt   time.Time
}

// Content is the text of an alert for an order number.
func Content(orderNumber string) string { return "订单号:" + orderNumber }

// NewOrder is the alert for a freshly paid order; its ID is set when it is stored.
func NewOrder(orderID int64, orderNumber string, at time.Time) Alert {
	return newAlert(TypeNewOrder, orderID, orderNumber, at)
}

// Reminder is the alert for a customer's reminder; its ID is set when it is stored.
func Reminder(orderID int64, orderNumber string, at time.Time) Alert {
	return newAlert(TypeReminder, orderID, orderNumber, at)
}

func newAlert(t Type, orderID int64, orderNumber string, at time.Time) Alert {
	return Alert{Type: t, OrderID: orderID, OrderNumber: orderNumber, Content: Content(orderNumber), CreatedAt: at}
}

// String is for logs.
func (a Alert) String() string {
	return fmt.Sprintf("alert %d type %d order %d (%s)", a.ID, a.Type, a.OrderID, a.OrderNumber)
}
