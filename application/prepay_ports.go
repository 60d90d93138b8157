package application

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/orderalert/orderalert/domain/order"
)

// PrepayRequest is what the payment provider is told to expect for one order.
type PrepayRequest struct {
	OrderNumber string      // out_trade_no
	Amount      order.Money // from the order, never from the client
	OpenID      string      // the payer, as WeChat knows them for the mini-program
	ExpiresAt   time.Time   // time_expire: the end of the order's payment window
}

// PaymentRequest is what the mini-program passes to wx.requestPayment: sky-take-out's
// OrderPaymentVO plus the appId. Package is "prepay_id=" + PrepayID.
type PaymentRequest struct {
	PrepayID  string
	AppID     string
	TimeStamp string
	NonceStr  string
	Package   string
	SignType  string
	PaySign   string
}

// Prepayments creates payments at the provider (WeChat Pay JSAPI).
type Prepayments interface {
	// Prepay creates the prepay of req and returns it signed for wx.requestPayment. Errors:
	// ErrProviderPaid (the provider says the order is paid), ErrTradeNumberUsed (the number names
	// another payment there), ErrPaymentUnavailable (a timeout, the provider's 5xx, or a request or
	// answer whose signature does not verify); nothing else is expected.
	Prepay(ctx context.Context, req PrepayRequest) (PaymentRequest, error)

	// RequestPayment signs a fresh wx.requestPayment for a prepay created before. It never calls
	// the provider.
	RequestPayment(ctx context.Context, prepayID string) (PaymentRequest, error)
}

// Errors of a prepay; match them with errors.Is.
var (
	// ErrProviderPaid: the payment provider reports the order paid (WeChat's ORDERPAID), though
	// its notification has not been applied here yet.
	ErrProviderPaid = errors.New("the payment provider reports the order paid")
	// ErrTradeNumberUsed: the provider holds another payment under this order number
	// (OUT_TRADE_NO_USED): a person must look at it.
	ErrTradeNumberUsed = errors.New("the order number is used by another payment at the provider")
	// ErrPaymentUnavailable is ErrUnavailable of the payment provider.
	ErrPaymentUnavailable = fmt.Errorf("payment provider %w", ErrUnavailable)
	// ErrPaymentExpired: the order's payment window is over (or ends within order.PrepayMargin of it).
	ErrPaymentExpired = errors.New("the order's payment window is over")
	// ErrPayerUnknown: the user never logged in through the mini-program, so there is no openid
	// to pay with (tokens minted by the CLI).
	ErrPayerUnknown = errors.New("the user has no mini-program login")
)
