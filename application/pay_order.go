package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/order"
)

// PayOrder is the customer's payment call (PUT /user/order/payment). With simulated payments
// it confirms the customer's own order at once, like sky-take-out's "skip WeChat Pay" variant;
// with real payments the provider's notification confirms it instead.
type PayOrder struct {
	Orders    OrderRepository
	Confirm   ConfirmPayment
	Simulated bool
}

// Execute pays order number for userID; another user's order is order.ErrNotFound.
func (uc PayOrder) Execute(ctx context.Context, userID int64, number string, method order.PayMethod) (order.Order, error) {
	if !uc.Simulated {
		return order.Order{}, fmt.Errorf("%w: payments are confirmed by WeChat Pay's notification; JSAPI prepay is not built yet", ErrNotImplemented)
	}
	if !method.Valid() {
		return order.Order{}, fmt.Errorf("%w: pay method %d is neither 1 (WeChat) nor 2 (Alipay)", order.ErrInvalid, method)
	}
	o, err := uc.Orders.Get(ctx, ByNumber(number))
	if err == nil && !o.VisibleTo(userID) {
		err = order.ErrNotFound
	}
	if err != nil {
		return order.Order{}, fmt.Errorf("pay order %s: %w", number, err)
	}
	return uc.Confirm.Execute(ctx, number, method, "simulated-"+number)
}
