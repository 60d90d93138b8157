package application

import (
	"context"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/shop"
)

// Acked is one alert after an acknowledgement: the alert with the ack that holds (Alert.Ack), and
// the event appended to the log for it, nil when an earlier ack already held.
type Acked struct {
	Alert alert.Alert
	Event *alert.Alert
}

// OpenAlerts selects alerts to acknowledge together: the open alerts of the scope's shops from
// Source (empty: orderalert's own orders) for OrderID.
type OpenAlerts struct {
	Shops   shop.Scope
	Source  string
	OrderID int64
}

// AlertAcker records acknowledgements. Each ack sets the alert's ack and appends its event to the
// log in one transaction, through the same ordered path as an alert, so that every instance's
// feed delivers it in id order and a resuming dashboard replays it.
//
// The first ack wins: of any number of concurrent acks of one alert, on any number of instances,
// exactly one sets it and appends an event; the others see that ack, unchanged.
type AlertAcker interface {
	// Ack acknowledges alert id if it is an alert of a shop in scope. It returns the alert with
	// the ack that holds and, if this call set it, the event. An unknown id, an event's id,
	// another shop's alert or one pruned since: alert.ErrNotFound.
	Ack(ctx context.Context, id int64, scope shop.Scope, ack alert.Ack) (Acked, error)

	// AckOpen acknowledges every alert that sel selects and is still open, and returns them in
	// id order, each with its event. None open is no error.
	AckOpen(ctx context.Context, sel OpenAlerts, ack alert.Ack) ([]Acked, error)
}

// AckObserver is told of every acknowledgement this instance made, after its commit (metrics:
// how long alerts wait for a person).
type AckObserver interface {
	Acknowledged(a alert.Alert)
}
