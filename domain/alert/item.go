package alert

import (
	"reflect"
	"slices"
)

// Item is one line of what was ordered, as a new-order alert lists it for the shop. It is a
// copy of the order's line taken when the order was paid, so that the log replays what rang
// without reading orders, and it is its own type so that this package, the engine of every
// kind of alert and of alerts published for orders kept elsewhere, does not depend on
// orderalert's own order model.
type Item struct {
	Name   string
	Number int
	Amount int64 // fen (1/100 yuan), as order.Money
}

// Equal reports whether a and b hold the same values, as == did before an Alert held a slice
// of items (an Ack is compared by what it holds): no items and an empty list are the same.
func (a Alert) Equal(b Alert) bool {
	if !slices.Equal(a.Items, b.Items) || (a.Ack == nil) != (b.Ack == nil) || (a.Ack != nil && *a.Ack != *b.Ack) {
		return false
	}
	a.Items, b.Items, a.Ack, b.Ack = nil, nil, nil, nil
	return reflect.DeepEqual(a, b)
}
