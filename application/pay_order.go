package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/order"
)

// PayOrder is the customer's payment call (PUT /user/order/payment). With simulated payments
// it confirms the customer's own order at once, like sky-take-out's "skip WeChat Pay" variant;
// with real payments it creates WeChat Pay's prepay (Prepay), and the provider's notification
// confirms the order later.
type PayOrder struct {
	Orders    OrderRepository
	Confirm   ConfirmPayment
	Simulated bool
	Prepay    PrepayOrder
}

// Payment is the outcome of PayOrder: the paid order when payments are simulated, or what
// wx.requestPayment takes when they are real.
type Payment struct {
	Order   order.Order     // simulated: the order, paid
	Request *PaymentRequest // real: the signed prepay
}

// Execute pays order number for userID; another user's order is order.ErrNotFound.
func (uc PayOrder) Execute(ctx context.Context, userID int64, number string, method order.PayMethod) (Payment, error) {
	if !method.Valid() {
		return Payment{}, fmt.Errorf("%w: pay method %d is neither 1 (WeChat) nor 2 (Alipay)", order.ErrInvalid, method)
	}
	if !uc.Simulated {
		if method != order.PayMethodWeChat {
			return Payment{}, fmt.Errorf("%w: pay method %d: only WeChat Pay (1) is offered", order.ErrInvalid, method)
		}
		req, err := uc.Prepay.Execute(ctx, userID, number)
		if err != nil {
			return Payment{}, err
		}
		return Payment{Request: &req}, nil
	}
	o, err := uc.Orders.Get(ctx, ByNumber(number))
	if err == nil && !o.VisibleTo(userID) {
		err = order.ErrNotFound
	}
	if err != nil {
		return Payment{}, fmt.Errorf("pay order %s: %w", number, err)
	}
	paid, err := uc.Confirm.Execute(ctx, number, method, "simulated-"+number)
	return Payment{Order: paid}, err
}
