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
		newOrder := alert.NewOrder(o.ShopID, o.ID, o.Number, now)
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
