package wechatpay_test

import (
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/wechatpay"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

const testAppID = "wx0123456789abcdef"

func newPrepayer(t *testing.T, timeout time.Duration) (*wechatpay.Prepayer, *wechatpaytest.API, *wechatpaytest.Merchant) {
	t.Helper()
	platform, merchant := wechatpaytest.NewPlatform(t), wechatpaytest.NewMerchant(t)
	api := wechatpaytest.NewAPI(t, platform, merchant)
	key, err := wechatpay.LoadPrivateKey(merchant.WritePrivateKey(t))
	if err != nil {
		t.Fatal(err)
	}
	p, err := wechatpay.NewPrepayer(t.Context(), wechatpay.PrepayConfig{
		MchID: merchant.MchID, MchCertSerial: merchant.Serial, MchKey: key,
		PublicKeyID: platform.KeyID, PublicKey: &platform.PrivateKey.PublicKey,
		AppID: testAppID, NotifyURL: "https://shop.example/notify/paySuccess", APIBase: api.URL,
		Timeout: timeout, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, api, merchant
}

func TestPrepaySendsASignedRequestAndSignsThePayment(t *testing.T) {
	t.Parallel()
	p, api, merchant := newPrepayer(t, 5*time.Second)
	expires := time.Date(2026, 12, 4, 2, 30, 0, 0, time.UTC)
	got, err := p.Prepay(t.Context(), application.PrepayRequest{OrderNumber: "A123", Amount: 5880, OpenID: "o-payer", ExpiresAt: expires})
	if err != nil {
		t.Fatalf("prepay: %v (refusals %q)", err, api.Refusals())
	}
	calls := api.Calls()
	want := wechatpaytest.PrepayCall{
		AppID: testAppID, MchID: merchant.MchID, Description: "苍穹外卖订单", OutTradeNo: "A123",
		TimeExpire: "2026-12-04T10:30:00+08:00", NotifyURL: "https://shop.example/notify/paySuccess",
		Total: 5880, Currency: "CNY", OpenID: "o-payer", PrepayID: got.PrepayID,
	}
	if len(calls) != 1 || calls[0] != want {
		t.Fatalf("the stand-in saw %+v, want %+v", calls, want)
	}
	if got.Package != "prepay_id="+got.PrepayID || got.AppID != testAppID || got.SignType != "RSA" {
		t.Fatalf("payment request = %+v", got)
	}
	if err := merchant.VerifyPaySign(got.AppID, got.TimeStamp, got.NonceStr, got.Package, got.PaySign); err != nil {
		t.Fatalf("paySign does not verify with the merchant's public key: %v", err)
	}
	again, err := p.RequestPayment(t.Context(), got.PrepayID)
	if err != nil || again.Package != got.Package || again.NonceStr == got.NonceStr {
		t.Fatalf("re-signed = %+v, %v", again, err)
	}
	if err := merchant.VerifyPaySign(again.AppID, again.TimeStamp, again.NonceStr, again.Package, again.PaySign); err != nil {
		t.Fatalf("the re-signed paySign does not verify: %v", err)
	}
	if n := len(api.Calls()); n != 1 {
		t.Fatalf("RequestPayment called WeChat: %d calls", n)
	}
}

func TestPrepayFailuresAreMapped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		answer wechatpaytest.Answer
		want   error
	}{
		{"ORDERPAID", wechatpaytest.AnswerOrderPaid, application.ErrProviderPaid},
		{"OUT_TRADE_NO_USED", wechatpaytest.AnswerOutTradeNoUsed, application.ErrTradeNumberUsed},
		{"500", wechatpaytest.AnswerServerError, application.ErrPaymentUnavailable},
		{"a hang", wechatpaytest.AnswerHang, application.ErrPaymentUnavailable},
		{"an answer signed with another key", wechatpaytest.AnswerForged, application.ErrPaymentUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, api, _ := newPrepayer(t, 300*time.Millisecond)
			api.Answer(tc.answer)
			_, err := p.Prepay(t.Context(), application.PrepayRequest{OrderNumber: "A1", Amount: 1, OpenID: "o", ExpiresAt: time.Now().Add(time.Hour)})
			if !errors.Is(err, tc.want) {
				t.Fatalf("prepay = %v, want %v", err, tc.want)
			}
			if len(api.Calls()) != 1 {
				t.Fatalf("the stand-in saw %d prepays, want 1", len(api.Calls()))
			}
		})
	}
}

func TestPrepayWithTheWrongMerchantKeyIsUnavailable(t *testing.T) {
	t.Parallel()
	platform, merchant := wechatpaytest.NewPlatform(t), wechatpaytest.NewMerchant(t)
	api := wechatpaytest.NewAPI(t, platform, merchant)
	p, err := wechatpay.NewPrepayer(t.Context(), wechatpay.PrepayConfig{
		MchID: merchant.MchID, MchCertSerial: merchant.Serial, MchKey: wechatpaytest.NewMerchant(t).Key,
		PublicKeyID: platform.KeyID, PublicKey: &platform.PrivateKey.PublicKey, AppID: testAppID,
		NotifyURL: "https://shop.example/n", APIBase: api.URL, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Prepay(t.Context(), application.PrepayRequest{OrderNumber: "A1", Amount: 1, OpenID: "o", ExpiresAt: time.Now().Add(time.Hour)})
	if !errors.Is(err, application.ErrPaymentUnavailable) || len(api.Refusals()) != 1 {
		t.Fatalf("prepay signed with another key = %v (refusals %q), want SIGN_ERROR as unavailable", err, api.Refusals())
	}
}
