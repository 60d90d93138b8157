package wechatpay

import (
	"context"
	"fmt"
	"net/http"

	"github.com/orderalert/orderalert/application"
)

var (
	_ application.PaymentNotifications = Disabled{}
	_ application.Prepayments          = Disabled{}
)

// Disabled stands in when no WeChat Pay key is configured: every notification is refused as
// not implemented, which the webhook answers with a FAIL that names the missing configuration.
type Disabled struct{}

// Open implements application.PaymentNotifications.
func (Disabled) Open(context.Context, http.Header, []byte) (application.PaymentNotice, error) {
	return application.PaymentNotice{}, fmt.Errorf("%w: WeChat Pay notifications need ORDERALERT_WECHATPAY_APIV3_KEY, _PUBLIC_KEY_ID and _PUBLIC_KEY_FILE", application.ErrNotImplemented)
}

// Prepay implements application.Prepayments: payments are simulated.
func (Disabled) Prepay(context.Context, application.PrepayRequest) (application.PaymentRequest, error) {
	return application.PaymentRequest{}, fmt.Errorf("%w: WeChat Pay prepays need ORDERALERT_PAYMENT_MODE=wechat", application.ErrNotImplemented)
}

// RequestPayment implements application.Prepayments: payments are simulated.
func (d Disabled) RequestPayment(ctx context.Context, _ string) (application.PaymentRequest, error) {
	return d.Prepay(ctx, application.PrepayRequest{})
}
