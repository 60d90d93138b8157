package application

import (
	"context"
	"net/http"
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
	Apply         ApplyPayment
}

// Execute verifies and applies one notification. Errors: ErrUnauthenticated (forged, stale or
// signed with another key), ErrInvalidInput (verified but unreadable), ErrNotificationRejected
// (not ours); any other error is temporary and the provider should retry.
func (uc HandlePaymentNotification) Execute(ctx context.Context, header http.Header, body []byte) (NotificationOutcome, PaymentNotice, error) {
	n, err := uc.Notifications.Open(ctx, header, body)
	if err != nil {
		return 0, n, err
	}
	outcome, err := uc.Apply.Execute(ctx, n)
	return outcome, n, err
}
