package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// ConfirmPayment records a verified payment and rings the shop (来单提醒). It is called by the
// payment webhook, and in simulated mode by the customer's payment call; it never depends on a
// "current user", since a provider's callback has none.
type ConfirmPayment struct {
	Orders OrderRepository
	Feed   AlertFeedWaker
	Clock  Clock
}

// Execute marks the order numbered number paid. Repeated calls succeed and append no second
// alert; a cancelled order gives order.ErrStatus, an unknown number order.ErrNotFound.
func (uc ConfirmPayment) Execute(ctx context.Context, number string, method order.PayMethod, transactionID string) (order.Order, error) {
	now := uc.Clock.Now()
	saved, a, err := uc.Orders.Update(ctx, ByNumber(number), func(o *order.Order) (*alert.Alert, error) {
		changed, err := o.ConfirmPayment(order.Payment{Method: method, TransactionID: transactionID, At: now})
		if err != nil || !changed {
			return nil, err
		}
		newOrder := alert.NewOrder(o.ShopID, o.ID, o.Number, now, alertItems(o.Items)...)
		return &newOrder, nil
	})
	if err != nil {
		return order.Order{}, fmt.Errorf("confirm payment of order %s: %w", number, err)
	}
	if a != nil {
		uc.Feed.Committed(*a)
	}
	return saved, nil
}

// alertItems is the copy of what was ordered that the new-order alert keeps, so that the log
// replays it without reading orders.
func alertItems(items []order.Item) []alert.Item {
	if len(items) == 0 {
		return nil
	}
	out := make([]alert.Item, len(items))
	for i, it := range items {
		out[i] = alert.Item{Name: it.Name, Number: it.Number, Amount: int64(it.Amount)}
	}
	return out
}
