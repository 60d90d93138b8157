package application

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// UnpaidOrders finds the orders whose payment timed out, for one instance at a time each.
type UnpaidOrders interface {
	// ClaimUnpaid leases, for lease, up to limit orders still waiting for payment that were
	// placed at least timeout ago (the database's clock) and that no other instance holds; it
	// returns them. A lease that runs out (an instance that died) lets another claim the order.
	ClaimUnpaid(ctx context.Context, timeout, lease time.Duration, limit int) ([]order.Order, error)
}

// PaymentCloser ends unpaid orders at the payment provider (WeChat Pay's close-order). With
// simulated payments there is nothing to close.
type PaymentCloser interface {
	// Close ends the order at the provider, so that it can no longer be paid there.
	// ErrProviderPaid says it was paid after all; any other error, that it may still be paid.
	Close(ctx context.Context, orderNumber string) error
	// Query returns the provider's record of the order, authenticated as a notification is.
	Query(ctx context.Context, orderNumber string) (PaymentNotice, error)
}

// CancelUnpaid is sky-take-out's order task: an order left unpaid for Timeout
// (ORDERALERT_ORDER_PAYMENT_TIMEOUT) is closed at the provider first, then cancelled (DESIGN
// §20.7). One the provider says is paid is confirmed from its record there, as its notification
// would; one that was never prepaid has nothing at the provider to close. A notification that
// comes after the cancel takes the "paid after cancel, refund needed" path.
type CancelUnpaid struct {
	Orders  UnpaidOrders
	Updates OrderRepository
	Closer  PaymentCloser
	Apply   ApplyPayment
	Clock   Clock
	Log     *slog.Logger
	Timeout time.Duration
	Lease   time.Duration
}

// unpaidBatch is how many orders one pass takes; the next pass takes the rest.
const unpaidBatch = 100

// Execute cancels the orders due now and returns how many it cancelled. An order whose close
// fails stays pending and is tried again once its lease runs out.
func (uc CancelUnpaid) Execute(ctx context.Context) (int, error) {
	due, err := uc.Orders.ClaimUnpaid(ctx, uc.Timeout, uc.Lease, unpaidBatch)
	if err != nil {
		return 0, fmt.Errorf("claim unpaid orders: %w", err)
	}
	cancelled := 0
	for _, o := range due {
		if o.Prepay.ID != "" && !uc.closed(ctx, o) {
			continue
		}
		_, _, err := uc.Updates.Update(ctx, ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
			return nil, o.CancelUnpaid(uc.Clock.Now())
		})
		switch {
		case err == nil:
			cancelled++
		case errors.Is(err, order.ErrStatus): // paid meanwhile: its payment stands
		default:
			return cancelled, fmt.Errorf("cancel unpaid order %s: %w", o.Number, err)
		}
	}
	return cancelled, nil
}

// closed closes o at the provider and reports whether it may be cancelled now. An order paid
// there is confirmed instead; any other failure leaves it for a later pass.
func (uc CancelUnpaid) closed(ctx context.Context, o order.Order) bool {
	err := uc.Closer.Close(ctx, o.Number)
	if err == nil {
		return true
	}
	if !errors.Is(err, ErrProviderPaid) {
		uc.Log.Warn("an unpaid order could not be closed at the payment provider; tried again later", "order", o.Number, "err", err)
		return false
	}
	n, err := uc.Closer.Query(ctx, o.Number)
	if err != nil {
		uc.Log.Warn("an order paid at the provider could not be read from it; tried again later", "order", o.Number, "err", err)
		return false
	}
	outcome, err := uc.Apply.Execute(ctx, n)
	switch {
	case errors.Is(err, ErrNotificationRejected):
		uc.Log.Error("the provider's record of an unpaid order does not match it: reconcile by hand", "order", o.Number, "err", err)
	case err != nil:
		uc.Log.Warn("an order paid at the provider could not be confirmed; tried again later", "order", o.Number, "err", err)
	case outcome == PaymentConfirmed:
		uc.Log.Info("an unpaid order was paid at the provider: confirmed from its record there", "order", o.Number, "transaction_id", n.TransactionID)
	}
	return false
}

// NoPaymentToClose is the PaymentCloser of simulated payments.
type NoPaymentToClose struct{}

// Close implements PaymentCloser.
func (NoPaymentToClose) Close(context.Context, string) error { return nil }

// Query implements PaymentCloser; with nothing closed as paid, nothing asks.
func (NoPaymentToClose) Query(context.Context, string) (PaymentNotice, error) {
	return PaymentNotice{}, fmt.Errorf("%w: simulated payments have no provider to query", ErrNotImplemented)
}
