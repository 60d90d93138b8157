package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"

	"github.com/orderalert/orderalert/application"
)

var _ application.PaymentCloser = (*Prepayer)(nil)

// Close implements application.PaymentCloser with JSAPI close-order. Only a 204 closes: the SDK
// takes any 2xx for success, and WeChat answers 202 USER_PAYING while the customer is paying.
// ORDER_CLOSED counts as closed, so that a pass that died after the call can finish.
func (p *Prepayer) Close(ctx context.Context, number string) error {
	result, err := p.svc.CloseOrder(ctx, jsapi.CloseOrderRequest{OutTradeNo: core.String(number), Mchid: core.String(p.cfg.MchID)})
	var apiErr *core.APIError
	switch {
	case err == nil && result.Response.StatusCode == http.StatusNoContent:
		return nil
	case err == nil:
		return fmt.Errorf("wechatpay close %s: WeChat Pay answered %d, not closed (the customer may be paying)", number, result.Response.StatusCode)
	case errors.As(err, &apiErr) && apiErr.Code == "ORDER_CLOSED":
		return nil
	case errors.As(err, &apiErr) && apiErr.Code == "ORDERPAID":
		return fmt.Errorf("wechatpay close %s: %w", number, application.ErrProviderPaid)
	}
	return p.callFailure(ctx, "close", number, err)
}

// Query implements application.PaymentCloser with JSAPI query-by-out_trade_no. The SDK
// verifies the answer's signature, so what it returns is WeChat Pay's word, as a notification is.
func (p *Prepayer) Query(ctx context.Context, number string) (application.PaymentNotice, error) {
	tx, _, err := p.svc.QueryOrderByOutTradeNo(ctx, jsapi.QueryOrderByOutTradeNoRequest{OutTradeNo: core.String(number), Mchid: core.String(p.cfg.MchID)})
	if err != nil {
		return application.PaymentNotice{}, p.callFailure(ctx, "query", number, err)
	}
	n := application.PaymentNotice{
		OutTradeNo: deref(tx.OutTradeNo), TransactionID: deref(tx.TransactionId), TradeState: deref(tx.TradeState),
		MchID: deref(tx.Mchid), AppID: deref(tx.Appid),
	}
	if tx.Amount != nil && tx.Amount.Total != nil {
		n.TotalFen = *tx.Amount.Total
	}
	if n.OutTradeNo != number {
		return application.PaymentNotice{}, fmt.Errorf("wechatpay query %s: %w: the answer is for order %q", number, application.ErrPaymentUnavailable, n.OutTradeNo)
	}
	return n, nil
}
