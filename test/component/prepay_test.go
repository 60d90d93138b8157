package component_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

// paymentVO is the wechat-mode answer of PUT /user/order/payment.
type paymentVO struct {
	NonceStr   string `json:"nonceStr"`
	PaySign    string `json:"paySign"`
	TimeStamp  string `json:"timeStamp"`
	SignType   string `json:"signType"`
	PackageStr string `json:"packageStr"`
	Package    string `json:"package"`
	AppID      string `json:"appId"`
}

// prepayService is a service in wechat mode whose WeChat Pay is a local stand-in.
type prepayService struct {
	*service
	api      *wechatpaytest.API
	platform *wechatpaytest.Platform
	merchant *wechatpaytest.Merchant
}

func startPrepay(t *testing.T, change ...func(*bootstrap.Config)) *prepayService {
	t.Helper()
	platform, merchant := wechatpaytest.NewPlatform(t), wechatpaytest.NewMerchant(t)
	api := wechatpaytest.NewAPI(t, platform, merchant)
	s := start(t, pgtest.NewDatabase(t), func(c *bootstrap.Config) {
		c.PaymentMode = bootstrap.PaymentWeChat
		c.WeChatPayAPIv3Key, c.WeChatPayPublicKeyID, c.WeChatPayPublicKey = platform.APIv3Key, platform.KeyID, platform.WritePublicKey(t)
		c.WeChatPayMchID, c.WeChatPayMchSerial, c.WeChatPayMchKey = merchant.MchID, merchant.Serial, merchant.WritePrivateKey(t)
		c.WeChatPayNotifyURL, c.WeChatPayAPIBase = "https://shop.example/notify/paySuccess", api.URL
		for _, f := range change {
			f(c)
		}
	})
	return &prepayService{service: s, api: api, platform: platform, merchant: merchant}
}

func (s *prepayService) login(t *testing.T, code string) (loginVO, http.Header) {
	t.Helper()
	r := s.call(t, http.MethodPost, "/user/user/login", nil, map[string]string{"code": code})
	expect(t, r, http.StatusOK, 1)
	l := decode[loginVO](t, r)
	return l, http.Header{"Authentication": {l.Token}}
}

func (s *prepayService) prepay(t *testing.T, user http.Header, number string) reply {
	t.Helper()
	return s.call(t, http.MethodPut, "/user/order/payment", user, map[string]any{"orderNumber": number, "payMethod": 1})
}

func (s *prepayService) paymentOf(t *testing.T, r reply) paymentVO {
	t.Helper()
	expect(t, r, http.StatusOK, 1)
	p := decode[paymentVO](t, r)
	if p.PackageStr != p.Package || !strings.HasPrefix(p.Package, "prepay_id=wx") || p.AppID != appID || p.SignType != "RSA" {
		t.Fatalf("payment request = %+v", p)
	}
	if err := s.merchant.VerifyPaySign(p.AppID, p.TimeStamp, p.NonceStr, p.Package, p.PaySign); err != nil {
		t.Fatalf("paySign does not verify with the merchant's public key, as WeChat checks it: %v", err)
	}
	return p
}

// TestAMiniProgramCustomerPrepaysThroughWeChatPay walks the payment of wechat mode: login,
// submit, prepay (what WeChat Pay saw and the paySign), the reuse of the prepay, another
// customer's attempt, and an order that the notification has paid.
func TestAMiniProgramCustomerPrepaysThroughWeChatPay(t *testing.T) {
	t.Parallel()
	s := startPrepay(t)
	customer, user := s.login(t, "prepay-code-1")
	if !strings.HasPrefix(customer.OpenID, "dev-") {
		t.Fatalf("dev login openid = %q", customer.OpenID)
	}
	placed := s.call(t, http.MethodPost, "/user/order/submit", user, `{"amount":58.80,"payMethod":1}`)
	expect(t, placed, http.StatusOK, 1)
	o := decode[submitted](t, placed)

	first := s.paymentOf(t, s.prepay(t, user, o.OrderNumber))
	calls := s.api.Calls()
	if len(calls) != 1 || calls[0].Total != 5880 || calls[0].OpenID != customer.OpenID || calls[0].OutTradeNo != o.OrderNumber ||
		calls[0].AppID != appID || calls[0].MchID != s.merchant.MchID || calls[0].NotifyURL != "https://shop.example/notify/paySuccess" {
		t.Fatalf("WeChat Pay saw %+v", calls)
	}
	expires, err := time.Parse(time.RFC3339, calls[0].TimeExpire)
	if err != nil || !strings.HasSuffix(calls[0].TimeExpire, "+08:00") || time.Until(expires) < 14*time.Minute || time.Until(expires) > 15*time.Minute+time.Second {
		t.Fatalf("time_expire %q (%v): want the order time + 15 min in +08:00", calls[0].TimeExpire, err)
	}
	if refused := s.api.Refusals(); len(refused) != 0 {
		t.Fatalf("WeChat Pay refused requests: %q", refused)
	}

	again := s.paymentOf(t, s.prepay(t, user, o.OrderNumber))
	if again.Package != first.Package || again.NonceStr == first.NonceStr || len(s.api.Calls()) != 1 {
		t.Fatalf("second prepay = %+v after %d WeChat calls; want %s re-signed without a call", again, len(s.api.Calls()), first.Package)
	}

	_, other := s.login(t, "prepay-code-2")
	r := s.prepay(t, other, o.OrderNumber)
	expect(t, r, http.StatusNotFound, 0)
	if r.msg() != "订单不存在" {
		t.Fatalf("another customer's prepay: msg %q", r.msg())
	}

	tx := wechatpaytest.Transaction{OutTradeNo: o.OrderNumber, TransactionID: "4200009001", TradeState: "SUCCESS", MchID: s.merchant.MchID, AppID: appID, TotalFen: 5880}
	header, body := s.platform.Notification(t, tx)
	if status, code := s.notify(t, header, body); status != http.StatusOK || code != "SUCCESS" {
		t.Fatalf("payment notification: %d %s", status, code)
	}
	r = s.prepay(t, user, o.OrderNumber)
	expect(t, r, http.StatusConflict, 0)
	if r.msg() != "订单状态错误" || len(s.api.Calls()) != 1 {
		t.Fatalf("prepay of a paid order: %q after %d WeChat calls", r.msg(), len(s.api.Calls()))
	}
}

// TestPrepayFailuresHaveTheirEnvelopes: what WeChat Pay or the service refuse, as the client sees it.
func TestPrepayFailuresHaveTheirEnvelopes(t *testing.T) {
	t.Parallel()
	s := startPrepay(t)
	_, user := s.login(t, "prepay-code-3")
	for _, c := range []struct {
		answer wechatpaytest.Answer
		status int
		msg    string
	}{
		{wechatpaytest.AnswerOrderPaid, http.StatusConflict, "订单已支付"},
		{wechatpaytest.AnswerOutTradeNoUsed, http.StatusConflict, "该订单号已在微信支付用于另一笔交易，请联系商家"},
		{wechatpaytest.AnswerServerError, http.StatusServiceUnavailable, "微信支付暂时不可用，请稍后重试"},
		{wechatpaytest.AnswerForged, http.StatusServiceUnavailable, "微信支付暂时不可用，请稍后重试"},
	} {
		s.api.Answer(c.answer)
		r := s.call(t, http.MethodPost, "/user/order/submit", user, `{"amount":1,"payMethod":1}`)
		expect(t, r, http.StatusOK, 1)
		r = s.prepay(t, user, decode[submitted](t, r).OrderNumber)
		expect(t, r, c.status, 0)
		if r.msg() != c.msg {
			t.Errorf("answer %d: msg %q, want %q", c.answer, r.msg(), c.msg)
		}
	}
	// A token minted by the CLI names a user who never logged in: there is no openid to pay with.
	cli := s.userHeader(t, 987654)
	r := s.call(t, http.MethodPost, "/user/order/submit", cli, `{"amount":1,"payMethod":1}`)
	expect(t, r, http.StatusOK, 1)
	r = s.prepay(t, cli, decode[submitted](t, r).OrderNumber)
	expect(t, r, http.StatusBadRequest, 0)
	if r.msg() != "该用户未通过小程序登录，无法发起微信支付" {
		t.Fatalf("prepay without a mini-program login: msg %q", r.msg())
	}
	if strings.Contains(s.logs.String(), "PRIVATE KEY") {
		t.Fatal("the merchant key was logged")
	}
}
