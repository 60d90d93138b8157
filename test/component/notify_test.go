package component_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

// notify sends a WeChat Pay notification and returns the status and WeChat Pay's reply code;
// it may run on any goroutine.
func (s *service) notify(t *testing.T, header http.Header, body []byte) (int, string) {
	status, raw, err := s.send(t, http.MethodPost, "/notify/paySuccess", header, body)
	var ack struct{ Code string }
	if err == nil {
		err = json.Unmarshal(raw, &ack)
	}
	if err != nil {
		t.Errorf("notification: %v (%q)", err, raw)
	}
	return status, ack.Code
}

func (s *service) paid(t *testing.T, o submitted, txID string) wechatpaytest.Transaction {
	t.Helper()
	fen, err := strconv.ParseInt(strconv.FormatFloat(o.OrderAmount*100, 'f', 0, 64), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return wechatpaytest.Transaction{OutTradeNo: o.OrderNumber, TransactionID: txID, TradeState: "SUCCESS", MchID: mchID, AppID: appID, TotalFen: fen}
}

// TestConcurrentIdenticalNotificationsPayOnce: WeChat Pay retries, and 50 copies of one signed
// notification arriving at once give one payment and one alert.
func TestConcurrentIdenticalNotificationsPayOnce(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		o := s.submit(t, 7, "88.80")
		header, body := s.wechat.Notification(t, s.paid(t, o, "4200002001"))
		var wg sync.WaitGroup
		statuses := make(chan int, 50)
		for range 50 {
			wg.Go(func() {
				status, code := s.notify(t, header, body)
				if code != "SUCCESS" {
					t.Errorf("a copy got %d %s", status, code)
				}
				statuses <- status
			})
		}
		wg.Wait()
		close(statuses)
		for st := range statuses {
			if st != http.StatusOK {
				t.Errorf("status %d, want 200", st)
			}
		}
		alerts := s.alerts(t, s.adminHeader(t))
		if len(alerts) != 1 || alerts[0].Type != 1 || alerts[0].OrderID != o.ID {
			t.Fatalf("alerts = %+v, want exactly one new-order alert", alerts)
		}
		admin := s.adminHeader(t)
		r := s.call(t, http.MethodGet, "/admin/order/details/"+strconv.FormatInt(o.ID, 10), admin, nil)
		if d := decode[orderDetail](t, r); d.Status != 2 || d.PayStatus != 1 || d.TransactionID != "4200002001" {
			t.Fatalf("order after payment = %+v", d)
		}
		// A copy replayed after the shop took the order is still acknowledged (WeChat Pay would
		// retry a FAIL for a day) and changes nothing.
		expect(t, s.call(t, http.MethodPut, "/admin/order/confirm", admin, map[string]any{"id": o.ID}), http.StatusOK, 1)
		if status, code := s.notify(t, header, body); status != http.StatusOK || code != "SUCCESS" {
			t.Errorf("replayed after confirm: %d %s, want 200 SUCCESS", status, code)
		}
		if d := s.adminOrder(t, admin, o.ID); d.Status != 3 || d.TransactionID != "4200002001" || len(s.alerts(t, admin)) != 1 {
			t.Fatalf("after the replay: %+v, %d alerts", d, len(s.alerts(t, admin)))
		}
	})
}

// TestNotificationsThatMustNotPay sends every notification the webhook must refuse or ignore and
// checks the reply WeChat Pay gets and that the order stayed unpaid.
func TestNotificationsThatMustNotPay(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		o := s.submit(t, 7, "20.00")
		tx := s.paid(t, o, "4200003001")
		stranger, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		with := func(change func(*wechatpaytest.Transaction)) wechatpaytest.Transaction {
			c := tx
			change(&c)
			return c
		}
		cases := []struct {
			name   string
			tx     wechatpaytest.Transaction
			opts   []wechatpaytest.Option
			status int
			code   string
		}{
			{"forged signature", tx, []wechatpaytest.Option{wechatpaytest.SignedBy(stranger)}, 401, "FAIL"},
			{"tampered body", tx, []wechatpaytest.Option{wechatpaytest.TamperBody()}, 401, "FAIL"},
			{"another key's serial", tx, []wechatpaytest.Option{wechatpaytest.WithSerial("PUB_KEY_ID_SOMEONE_ELSE")}, 401, "FAIL"},
			{"stale timestamp", tx, []wechatpaytest.Option{wechatpaytest.WithTimestamp(time.Now().Add(-6 * time.Minute))}, 401, "FAIL"},
			{"no signature", tx, []wechatpaytest.Option{wechatpaytest.WithoutHeader("Wechatpay-Signature")}, 401, "FAIL"},
			{"encrypted with another APIv3 key", tx, []wechatpaytest.Option{wechatpaytest.EncryptedWith("0123456789abcdef0123456789abcdef")}, 400, "FAIL"},
			{"wrong amount", with(func(c *wechatpaytest.Transaction) { c.TotalFen = 1 }), nil, 400, "FAIL"},
			{"another merchant", with(func(c *wechatpaytest.Transaction) { c.MchID = "1900000999" }), nil, 400, "FAIL"},
			{"another app", with(func(c *wechatpaytest.Transaction) { c.AppID = "wx0000000000000000" }), nil, 400, "FAIL"},
			{"unknown order", with(func(c *wechatpaytest.Transaction) { c.OutTradeNo = "no-such-order" }), nil, 400, "FAIL"},
			{"not paid yet", with(func(c *wechatpaytest.Transaction) { c.TradeState = "NOTPAY" }), nil, 200, "SUCCESS"},
		}
		for _, c := range cases {
			header, body := s.wechat.Notification(t, c.tx, c.opts...)
			if status, code := s.notify(t, header, body); status != c.status || code != c.code {
				t.Errorf("%s: %d %s, want %d %s", c.name, status, code, c.status, c.code)
			}
		}
		r := s.call(t, http.MethodGet, "/admin/order/details/"+strconv.FormatInt(o.ID, 10), s.adminHeader(t), nil)
		if d := decode[orderDetail](t, r); d.Status != 1 || d.PayStatus != 0 || d.TransactionID != "" {
			t.Fatalf("the order changed: %+v", d)
		}
		if n := s.count(t, "order_alerts"); n != 0 {
			t.Fatalf("%d alerts appended", n)
		}

		// A cancelled order that WeChat Pay reports paid: acknowledged (retrying cannot help),
		// not paid, and logged for a refund.
		if _, err := s.db.NewRaw("UPDATE orders SET status = 6 WHERE id = ?", o.ID).Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		header, body := s.wechat.Notification(t, tx)
		if status, code := s.notify(t, header, body); status != 200 || code != "SUCCESS" {
			t.Fatalf("paid after cancel: %d %s, want 200 SUCCESS", status, code)
		}
		if n := s.count(t, "order_alerts"); n != 0 {
			t.Fatalf("a cancelled order rang the shop (%d alerts)", n)
		}
	})
}

// TestWeChatModeWaitsForTheNotification: with real payments, the customer's payment call
// creates a prepay and confirms nothing; the notification does.
func TestWeChatModeWaitsForTheNotification(t *testing.T) {
	t.Parallel()
	s := startPrepay(t)
	_, user := s.login(t, "wait-for-the-notification")
	r := s.call(t, http.MethodPost, "/user/order/submit", user, `{"amount":15,"payMethod":1}`)
	expect(t, r, http.StatusOK, 1)
	o := decode[submitted](t, r)
	s.paymentOf(t, s.prepay(t, user, o.OrderNumber))
	if n := s.count(t, "order_alerts"); n != 0 {
		t.Fatalf("the payment call rang the shop (%d alerts)", n)
	}
	tx := wechatpaytest.Transaction{OutTradeNo: o.OrderNumber, TransactionID: "4200004001", TradeState: "SUCCESS", MchID: s.merchant.MchID, AppID: appID, TotalFen: 1500}
	header, body := s.platform.Notification(t, tx)
	if status, code := s.notify(t, header, body); status != 200 || code != "SUCCESS" {
		t.Fatalf("notification: %d %s", status, code)
	}
	if n := s.count(t, "order_alerts"); n != 1 {
		t.Fatalf("%d alerts after the notification, want 1", n)
	}
}

// TestWebhookWithoutKeysSaysWhatIsMissing: a service without WeChat Pay keys refuses
// notifications with 501 rather than pretending to verify them.
func TestWebhookWithoutKeysSaysWhatIsMissing(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", func(c *bootstrap.Config) {
		c.WeChatPayAPIv3Key, c.WeChatPayPublicKeyID, c.WeChatPayPublicKey = "", "", ""
	})
	o := s.submit(t, 7, "15")
	header, body := s.wechat.Notification(t, s.paid(t, o, "4200005001"))
	if status, code := s.notify(t, header, body); status != 501 || code != "FAIL" {
		t.Fatalf("notification without keys: %d %s, want 501 FAIL", status, code)
	}
}
