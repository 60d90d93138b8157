package order

import (
	"fmt"
	"time"
)

// Payment is a confirmed payment as the payment provider reports it.
type Payment struct {
	Method        PayMethod
	TransactionID string
	At            time.Time
}

// ConfirmPayment marks a pending order paid and due for the shop (待接单). It reports whether the
// order changed: a repeated confirmation of a paid order is a success that changes nothing, because
// payment providers retry their callbacks and each retry must not ring the shop again. A cancelled
// order, or one in any other state, is refused with ErrStatus.
func (o *Order) ConfirmPayment(p Payment) (changed bool, err error) {
	if o.PayStatus == PayStatusPaid {
		return false, nil
	}
	if o.Status != StatusPendingPayment || o.PayStatus != PayStatusUnpaid {
		return false, fmt.Errorf("%w: order %s is in status %d, pay status %d", ErrStatus, o.Number, o.Status, o.PayStatus)
	}
	if p.Method.Valid() {
		o.PayMethod = p.Method
	}
	o.Status = StatusToBeConfirmed
	o.PayStatus = PayStatusPaid
	o.CheckoutTime = p.At
	o.TransactionID = p.TransactionID
	return true, nil
}

// Confirm is the shop taking a paid order (接单): 待接单 → 已接单.
func (o *Order) Confirm() error {
	if o.Status != StatusToBeConfirmed {
		return fmt.Errorf("%w: order %s is in status %d, not waiting to be taken", ErrStatus, o.Number, o.Status)
	}
	o.Status = StatusConfirmed
	return nil
}

// CheckReminder decides whether userID may remind the shop of this order. Another user's order
// is reported as ErrNotFound so that order ids reveal nothing; an order not yet paid, or already
// completed or cancelled, is ErrStatus. The cooldown is not checked here (see package doc).
func (o Order) CheckReminder(userID int64) error {
	if o.UserID != userID {
		return ErrNotFound
	}
	if !o.Status.Remindable() {
		return fmt.Errorf("%w: order %s is in status %d", ErrStatus, o.Number, o.Status)
	}
	return nil
}

// VisibleTo reports whether the customer userID may see the order.
func (o Order) VisibleTo(userID int64) bool { return o.UserID == userID }

// PaymentTimeoutReason is sky-take-out's cancel reason for an order left unpaid (its order
// task's text).
const PaymentTimeoutReason = "订单超时，自动取消"

// CancelUnpaid cancels an order still waiting for its payment past the payment timeout. An order
// paid meanwhile, or in any other state, is refused with ErrStatus and left as it is.
func (o *Order) CancelUnpaid(at time.Time) error {
	if o.Status != StatusPendingPayment || o.PayStatus != PayStatusUnpaid {
		return fmt.Errorf("%w: order %s is in status %d, pay status %d, not waiting for payment", ErrStatus, o.Number, o.Status, o.PayStatus)
	}
	o.Status = StatusCancelled
	o.CancelReason = PaymentTimeoutReason
	o.CancelTime = at
	return nil
}
