package component_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/wechatlogintest"
)

// TestTheMiniProgramsWholeLoopInWeChatMode walks sky-take-out's "小程序端下单支付 → 来单提醒 →
// 催单" with WeChat stood in for, each stand-in checking what WeChat checks: the customer logs in
// with wx.login's code (jscode2session with the app's id and secret), places an order, gets the
// prepay that wx.requestPayment takes (its paySign verified with the merchant's public key, as
// WeChat's client does), pays it in WeChat; WeChat Pay's signed notification confirms it and the
// dashboard rings (type 1); the customer reminds and it rings again (type 2). Nobody can prepay
// the order at another amount or as another customer.
func TestTheMiniProgramsWholeLoopInWeChatMode(t *testing.T) {
	t.Parallel()
	wx := wechatlogintest.New(t, appID, "0123456789abcdef0123456789abcdef")
	s := startPrepay(t, func(c *bootstrap.Config) {
		c.WeChatAppID, c.WeChatSecret, c.WeChatAPIBase = wx.AppID, wx.Secret, wx.URL
	})
	admin := s.adminHeader(t)
	screen := s.dashboardWith(t, admin, "counter", "")

	customer, user := s.login(t, "081Kq4Ga1wPz0R")
	if customer.OpenID != wechatlogintest.OpenIDOf("081Kq4Ga1wPz0R") {
		t.Fatalf("the customer's openid %q is not WeChat's", customer.OpenID)
	}
	placed := s.call(t, http.MethodPost, "/user/order/submit", user, `{"amount":58.80,"payMethod":1,"remark":"少放辣"}`)
	expect(t, placed, http.StatusOK, 1)
	o := decode[submitted](t, placed)

	// The amount is the order's whatever the client sends, and only its owner may prepay it.
	payment := s.paymentOf(t, s.call(t, http.MethodPut, "/user/order/payment", user, map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1, "amount": 0.01}))
	if calls := s.api.Calls(); len(calls) != 1 || calls[0].Total != 5880 || calls[0].OpenID != customer.OpenID {
		t.Fatalf("WeChat Pay was asked for %+v, want 5880 fen from %s", calls, customer.OpenID)
	}
	_, stranger := s.login(t, "0c1Vx2000rq6ZS")
	expect(t, s.prepay(t, stranger, o.OrderNumber), http.StatusNotFound, 0)

	// The customer pays in WeChat; WeChat Pay notifies.
	if "prepay_id="+s.api.Calls()[0].PrepayID != payment.Package {
		t.Fatalf("the payment request's package %q is not WeChat's prepay", payment.Package)
	}
	tx, err := s.api.Pay(o.OrderNumber)
	if err != nil {
		t.Fatal(err)
	}
	header, body := s.platform.Notification(t, tx)
	if status, code := s.notify(t, header, body); status != http.StatusOK || code != "SUCCESS" {
		t.Fatalf("WeChat Pay's notification: %d %s", status, code)
	}
	rung := screen.nextAlertSkippingHeartbeats(t, 5*time.Second)
	if rung.Type != 1 || rung.OrderID != o.ID || rung.OrderNumber != o.OrderNumber {
		t.Fatalf("the dashboard rang %+v, want 来单提醒 for order %d", rung, o.ID)
	}
	if got := s.adminOrder(t, admin, o.ID); got.Status != 2 || got.TransactionID != tx.TransactionID || got.Amount != 58.8 {
		t.Fatalf("the paid order = %+v", got)
	}

	expect(t, s.call(t, http.MethodGet, "/user/order/reminder/"+strconv.FormatInt(o.ID, 10), user, nil), http.StatusOK, 1)
	again := screen.nextAlertSkippingHeartbeats(t, 5*time.Second)
	if again.Type != 2 || again.OrderID != o.ID || again.ID <= rung.ID {
		t.Fatalf("the reminder rang %+v, want 客户催单 for order %d after alert %d", again, o.ID, rung.ID)
	}
	if refused := s.api.Refusals(); len(refused) != 0 {
		t.Fatalf("WeChat Pay refused %q", refused)
	}
	if codes := wx.Codes(); len(codes) != 2 {
		t.Fatalf("jscode2session saw %q, want the two logins", codes)
	}
}
