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

// PaymentCloser ends an unpaid order at the payment provider, so that it can no longer be paid
// there (WeChat Pay's close-order). ErrProviderPaid says it was paid after all: it is not
// cancelled, and its notification confirms it. With simulated payments there is nothing to close.
type PaymentCloser interface {
	Close(ctx context.Context, orderNumber string) error
}

// CancelUnpaid is sky-take-out's order task: an order left unpaid for Timeout
// (ORDERALERT_ORDER_PAYMENT_TIMEOUT) is closed at the provider first, then cancelled. A
// notification that comes after takes the "paid after cancel, refund needed" path.
type CancelUnpaid struct {
	Orders  UnpaidOrders
	Updates OrderRepository
	Closer  PaymentCloser
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
		if err := uc.Closer.Close(ctx, o.Number); errors.Is(err, ErrProviderPaid) {
			uc.Log.Info("an unpaid order was paid at the provider after all: not cancelled", "order", o.Number)
			continue
		} else if err != nil {
			uc.Log.Warn("an unpaid order could not be closed at the payment provider; tried again later", "order", o.Number, "err", err)
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

// NoPaymentToClose is the PaymentCloser of simulated payments.
type NoPaymentToClose struct{}

// Close implements PaymentCloser.
func (NoPaymentToClose) Close(context.Context, string) error { return nil }
