package application

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/orderalert/orderalert/domain/order"
)

// NotificationOutcome is what an accepted payment notification did.
type NotificationOutcome int

// The outcomes of an accepted notification; each is acknowledged to the provider.
const (
	PaymentConfirmed     NotificationOutcome = iota + 1 // the order is paid now; the shop was rung
	PaymentAlreadyPaid                                  // a retried notification; nothing changed
	PaymentNotSuccessful                                // trade_state is not SUCCESS; nothing changed
	PaymentAfterCancel                                  // paid but the order is cancelled: a refund is needed
)

// HandlePaymentNotification applies a payment provider's notification (POST /notify/paySuccess).
type HandlePaymentNotification struct {
	Notifications PaymentNotifications
	Orders        OrderRepository
	Confirm       ConfirmPayment
	// MchID and AppID, when set, are the only merchant and app whose notifications are accepted.
	MchID, AppID string
}

// Execute verifies and applies one notification. Errors: ErrUnauthenticated (forged, stale or
// signed with another key), ErrInvalidInput (verified but unreadable), ErrNotificationRejected
// (not ours); any other error is temporary and the provider should retry.
func (uc HandlePaymentNotification) Execute(ctx context.Context, header http.Header, body []byte) (NotificationOutcome, PaymentNotice, error) {
	n, err := uc.Notifications.Open(ctx, header, body)
	if err != nil {
		return 0, n, err
	}
	switch {
	case uc.MchID != "" && n.MchID != uc.MchID:
		return 0, n, fmt.Errorf("%w: mchid %q is not ours", ErrNotificationRejected, n.MchID)
	case uc.AppID != "" && n.AppID != uc.AppID:
		return 0, n, fmt.Errorf("%w: appid %q is not ours", ErrNotificationRejected, n.AppID)
	}
	o, err := uc.Orders.Get(ctx, ByNumber(n.OutTradeNo))
	if errors.Is(err, order.ErrNotFound) {
		return 0, n, fmt.Errorf("%w: no order numbered %q", ErrNotificationRejected, n.OutTradeNo)
	}
	if err != nil {
		return 0, n, fmt.Errorf("payment notification: %w", err)
	}
	if n.TotalFen != int64(o.Amount) {
		return 0, n, fmt.Errorf("%w: amount %d fen, order %s is %d fen", ErrNotificationRejected, n.TotalFen, o.Number, int64(o.Amount))
	}
	if n.TradeState != TradeStateSuccess {
		return PaymentNotSuccessful, n, nil
	}
	if o.PayStatus == order.PayStatusPaid {
		return PaymentAlreadyPaid, n, nil
	}
	_, err = uc.Confirm.Execute(ctx, n.OutTradeNo, order.PayMethodWeChat, n.TransactionID)
	switch {
	case errors.Is(err, order.ErrStatus):
		return PaymentAfterCancel, n, nil
	case err != nil:
		return 0, n, err
	}
	return PaymentConfirmed, n, nil
}
