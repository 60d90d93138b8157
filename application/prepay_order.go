package application

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/customer"
	"github.com/orderalert/orderalert/domain/order"
)

// PrepayOrder creates, or hands out again, the WeChat Pay prepay of a customer's pending order.
//
// Racing calls for one order (a double tap, two instances) may each create a prepay at WeChat:
// no lock is held across the provider's call, which can take seconds. The store decides: the
// first prepay saved on the order wins, and every call, including those whose own prepay lost,
// answers that one, signed afresh. WeChat keys a prepay on out_trade_no and every call sends the
// same parameters (the same time_expire), so a losing prepay is at worst an unused one that
// expires with the order.
type PrepayOrder struct {
	Orders    OrderRepository
	Customers CustomerRepository
	Payments  Prepayments
	Clock     Clock
	// Timeout is the payment window after the order time (ORDERALERT_ORDER_PAYMENT_TIMEOUT).
	Timeout time.Duration
}

// Execute returns what wx.requestPayment takes for order number of userID: another user's
// order is order.ErrNotFound, one not awaiting payment order.ErrStatus.
func (uc PrepayOrder) Execute(ctx context.Context, userID int64, number string) (PaymentRequest, error) {
	o, err := uc.Orders.Get(ctx, ByNumber(number))
	if err == nil && !o.VisibleTo(userID) {
		err = order.ErrNotFound
	}
	if err == nil {
		err = awaitsPayment(o)
	}
	if err != nil {
		return PaymentRequest{}, fmt.Errorf("prepay order %s: %w", number, err)
	}
	now, margin := uc.Clock.Now(), order.PrepayMargin(uc.Timeout)
	if o.Prepay.Usable(now, margin) {
		return uc.Payments.RequestPayment(ctx, o.Prepay.ID)
	}
	deadline := o.PaymentDeadline(uc.Timeout)
	if !now.Before(deadline.Add(-margin)) {
		return PaymentRequest{}, fmt.Errorf("prepay order %s: %w: it had to be paid by %s", number, ErrPaymentExpired, deadline.Format(time.RFC3339))
	}
	payer, err := uc.Customers.ByID(ctx, userID)
	if errors.Is(err, customer.ErrNotFound) {
		err = ErrPayerUnknown
	}
	if err != nil {
		return PaymentRequest{}, fmt.Errorf("prepay order %s: %w", number, err)
	}
	created, err := uc.Payments.Prepay(ctx, PrepayRequest{OrderNumber: o.Number, Amount: o.Amount, OpenID: payer.OpenID, ExpiresAt: deadline})
	if err != nil {
		return PaymentRequest{}, fmt.Errorf("prepay order %s: %w", number, err)
	}
	return uc.keep(ctx, number, created, order.Prepay{ID: created.PrepayID, ExpiresAt: deadline}, now, margin)
}

// keep stores the prepay on the order unless a racing call stored a usable one first, and answers
// the stored one.
func (uc PrepayOrder) keep(ctx context.Context, number string, created PaymentRequest, p order.Prepay, now time.Time, margin time.Duration) (PaymentRequest, error) {
	saved, _, err := uc.Orders.Update(ctx, ByNumber(number), func(o *order.Order) (*alert.Alert, error) {
		if err := awaitsPayment(*o); err != nil {
			return nil, err // paid or cancelled meanwhile
		}
		if !o.Prepay.Usable(now, margin) {
			o.Prepay = p
		}
		return nil, nil
	})
	if err != nil {
		return PaymentRequest{}, fmt.Errorf("prepay order %s: keep the prepay: %w", number, err)
	}
	if saved.Prepay.ID != created.PrepayID {
		return uc.Payments.RequestPayment(ctx, saved.Prepay.ID)
	}
	return created, nil
}

func awaitsPayment(o order.Order) error {
	if o.Status != order.StatusPendingPayment || o.PayStatus != order.PayStatusUnpaid {
		return fmt.Errorf("%w: order %s is in status %d, pay status %d", order.ErrStatus, o.Number, o.Status, o.PayStatus)
	}
	return nil
}
