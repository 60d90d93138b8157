package wechatpay

import (
	"context"
	"fmt"
	"net/http"

	"github.com/orderalert/orderalert/application"
)

var _ application.PaymentNotifications = Disabled{}

// Disabled stands in when no WeChat Pay key is configured: every notification is refused as
// not implemented, which the webhook answers with a FAIL that names the missing configuration.
type Disabled struct{}

// Open implements application.PaymentNotifications.
func (Disabled) Open(context.Context, http.Header, []byte) (application.PaymentNotice, error) {
	return application.PaymentNotice{}, fmt.Errorf("%w: WeChat Pay notifications need ORDERALERT_WECHATPAY_APIV3_KEY, _PUBLIC_KEY_ID and _PUBLIC_KEY_FILE", application.ErrNotImplemented)
}
