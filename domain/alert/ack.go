package alert

import (
	"errors"
	"fmt"
	"time"
)

// EventAck is the Event of the log's record that an alert was acknowledged.
const EventAck = "ack"

// TypeEvent is the Type stored with an event: no kind has it, so a reader that knows only kinds
// 1 and 2 (type IN (1,2)) never sees an event.
const TypeEvent Type = 0

// MaxSIDLength bounds the screen id an ack may name; it is the sid a dashboard connects with.
const MaxSIDLength = 64

// ErrNotFound is an alert that does not exist, or not for the reader: another shop's alert, an
// event, or one pruned since. The answer is the same for all, so a shop cannot probe another's.
var ErrNotFound = errors.New("alert not found")

// ErrInvalidAck is an acknowledgement that breaks a rule (a sid too long).
var ErrInvalidAck = errors.New("invalid acknowledgement")

// Actor is who acknowledged: an employee (ID > 0), or an integration (ID 0, Name its name). Both
// are zero on alerts that were open before acknowledgements existed, which the migration closed.
type Actor struct {
	ID   int64
	Name string
}

// Ack is the acknowledgement of one alert: a person saw it. The first one wins and never changes.
type Ack struct {
	AlertID int64
	By      Actor
	// SID is the screen the ack came from; empty for an ack by confirming the order, by an
	// integration or without a body.
	SID string
	At  time.Time
}

// Validate checks what the acknowledger chose.
func (k Ack) Validate() error {
	if len(k.SID) > MaxSIDLength {
		return fmt.Errorf("%w: a sid has at most %d bytes", ErrInvalidAck, MaxSIDLength)
	}
	return nil
}

// Open reports whether a is an alert nobody has acknowledged yet.
func (a Alert) Open() bool { return a.Event == "" && a.Ack == nil }

// IsEvent reports whether a is the log's record of something that happened to an alert.
func (a Alert) IsEvent() bool { return a.Event != "" }

// AckEvent is the event that records ack of a: a row of the log in a's shop, for a's order.
func AckEvent(a Alert, ack Ack) Alert {
	ack.AlertID = a.ID
	return Alert{
		Type: TypeEvent, ShopID: a.ShopID, OrderID: a.OrderID, OrderNumber: a.OrderNumber,
		CreatedAt: ack.At, Event: EventAck, Ack: &ack,
	}
}
