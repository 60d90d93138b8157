package application

import (
	"context"
	"errors"
	"net/http"
)

// PaymentNotice is a payment provider's notification after it has been authenticated and
// decrypted: WeChat Pay's transaction fields.
type PaymentNotice struct {
	OutTradeNo    string // our order number
	TransactionID string // the provider's
	TradeState    string // SUCCESS, REFUND, NOTPAY, CLOSED, …
	MchID         string
	AppID         string
	TotalFen      int64 // amount.total
}

// TradeStateSuccess is the trade state of a completed payment.
const TradeStateSuccess = "SUCCESS"

// PaymentNotifications authenticates a payment provider's notifications.
type PaymentNotifications interface {
	// Open verifies a notification exactly as received (its signature, the key serial, a
	// timestamp within five minutes) and returns its decrypted content. A notification that
	// fails verification gives an error wrapping ErrUnauthenticated; a verified one that cannot be
	// decrypted or read gives one wrapping ErrInvalidInput.
	Open(ctx context.Context, header http.Header, body []byte) (PaymentNotice, error)
}

// ErrNotificationRejected is a verified notification that cannot be ours (another merchant or
// app, an unknown order, an amount that does not match): retrying it cannot help, a person
// must reconcile it.
var ErrNotificationRejected = errors.New("payment notification rejected")

// ErrNotImplemented is a feature not available in the configured mode.
var ErrNotImplemented = errors.New("not implemented")
