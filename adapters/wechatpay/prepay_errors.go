package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/wechatpay-apiv3/wechatpay-go/core"

	"github.com/orderalert/orderalert/application"
)

// failure turns a failed prepay into the application's errors: the two codes that say
// something about the order, and otherwise what callFailure makes of any call.
func (p *Prepayer) failure(ctx context.Context, number string, err error) error {
	var apiErr *core.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.Code {
		case "ORDERPAID":
			return fmt.Errorf("wechatpay prepay %s: %w", number, application.ErrProviderPaid)
		case "OUT_TRADE_NO_USED":
			p.cfg.Log.WarnContext(ctx, "WeChat Pay holds another payment under this order number", "order", number, "request_id", apiErr.Header.Get("Request-ID"))
			return fmt.Errorf("wechatpay prepay %s: %w", number, application.ErrTradeNumberUsed)
		}
	}
	return p.callFailure(ctx, "prepay", number, err)
}

// callFailure turns a failed call into ErrPaymentUnavailable. The SDK's own texts are not kept:
// an APIError prints every header of the answer, and none of it is a customer's business. What
// means our configuration is wrong, or someone sits between us and WeChat (SIGN_ERROR, an answer
// whose signature does not verify, any other refusal) is logged at ERROR, with the code and
// request id only.
func (p *Prepayer) callFailure(ctx context.Context, call, number string, err error) error {
	var apiErr *core.APIError
	if errors.As(err, &apiErr) {
		if apiErr.StatusCode < 500 {
			p.cfg.Log.ErrorContext(ctx, "WeChat Pay refused a "+call+": check the merchant settings (mchid, appid, key, serial)",
				"order", number, "status", apiErr.StatusCode, "code", apiErr.Code, "request_id", apiErr.Header.Get("Request-ID"))
		}
		return fmt.Errorf("wechatpay %s %s: %w: WeChat Pay answered %d %s", call, number, application.ErrPaymentUnavailable, apiErr.StatusCode, apiErr.Code)
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("wechatpay %s %s: %w: WeChat Pay did not answer in time", call, number, application.ErrPaymentUnavailable)
	}
	// A 2xx whose signature, serial or timestamp does not verify: not WeChat Pay's answer.
	p.cfg.Log.ErrorContext(ctx, "WeChat Pay's answer to a "+call+" failed verification: a wrong public key or someone in between", "order", number)
	return fmt.Errorf("wechatpay %s %s: %w: its answer failed verification", call, number, application.ErrPaymentUnavailable)
}
