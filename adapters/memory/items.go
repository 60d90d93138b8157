package memory

import (
	"slices"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// The store keeps its own copy of what was ordered and hands out copies, as a database does:
// a slice shared with a caller would let the caller change a stored order or a logged alert
// without a transaction.

func ownOrder(o order.Order) order.Order {
	o.Items = slices.Clone(o.Items)
	return o
}

func ownAlert(a alert.Alert) alert.Alert {
	a.Items = slices.Clone(a.Items)
	return a
}
