package application

import (
	"context"
	"errors"
	"fmt"

	"github.com/orderalert/orderalert/domain/order"
)

// ApplyPayment applies what the payment provider vouches for about an order, a verified
// notification or its signed answer to a query, with the same checks either way: our merchant
// and app, an order of ours, its amount.
type ApplyPayment struct {
	Orders  OrderRepository
	Confirm ConfirmPayment
	// MchID and AppID, when set, are the only merchant and app whose payments are accepted.
	MchID, AppID string
}

// Execute applies n. Errors: ErrNotificationRejected (not ours: a person must reconcile it);
// any other error is temporary.
func (uc ApplyPayment) Execute(ctx context.Context, n PaymentNotice) (NotificationOutcome, error) {
	switch {
	case uc.MchID != "" && n.MchID != uc.MchID:
		return 0, fmt.Errorf("%w: mchid %q is not ours", ErrNotificationRejected, n.MchID)
	case uc.AppID != "" && n.AppID != uc.AppID:
		return 0, fmt.Errorf("%w: appid %q is not ours", ErrNotificationRejected, n.AppID)
	}
	o, err := uc.Orders.Get(ctx, ByNumber(n.OutTradeNo))
	if errors.Is(err, order.ErrNotFound) {
		return 0, fmt.Errorf("%w: no order numbered %q", ErrNotificationRejected, n.OutTradeNo)
	}
	if err != nil {
		return 0, fmt.Errorf("payment of %s: %w", n.OutTradeNo, err)
	}
	if n.TotalFen != int64(o.Amount) {
		return 0, fmt.Errorf("%w: amount %d fen, order %s is %d fen", ErrNotificationRejected, n.TotalFen, o.Number, int64(o.Amount))
	}
	if n.TradeState != TradeStateSuccess {
		return PaymentNotSuccessful, nil
	}
	if o.PayStatus == order.PayStatusPaid {
		return PaymentAlreadyPaid, nil
	}
	_, err = uc.Confirm.Execute(ctx, n.OutTradeNo, order.PayMethodWeChat, n.TransactionID)
	switch {
	case errors.Is(err, order.ErrStatus):
		return PaymentAfterCancel, nil
	case err != nil:
		return 0, err
	}
	return PaymentConfirmed, nil
}
