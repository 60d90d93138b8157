package component_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestAnUnpaidOrderIsCancelledAtTheTimeout: an order left unpaid past
// ORDERALERT_ORDER_PAYMENT_TIMEOUT is cancelled with sky-take-out's reason, an order paid in time
// is not; WeChat Pay's notification for the cancelled one, late, is acknowledged, rings nobody
// and is logged for a refund.
func TestAnUnpaidOrderIsCancelledAtTheTimeout(t *testing.T) {
	t.Parallel()
	for name, url := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			unpaidOrderCancelled(t, start(t, url(t), func(c *bootstrap.Config) { c.PaymentTimeout = time.Second }))
		})
	}
}

type cancelled struct {
	Status       int     `json:"status"`
	CancelReason string  `json:"cancelReason"`
	CancelTime   *string `json:"cancelTime"`
}

func unpaidOrderCancelled(t *testing.T, s *service) {
	user := s.userHeader(t, 7)
	unpaid, paid := s.submit(t, 7, "15"), s.submit(t, 7, "20")
	expect(t, s.call(t, http.MethodPut, "/user/order/payment", user, map[string]any{"orderNumber": paid.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
	detail := func(o submitted) cancelled {
		t.Helper()
		r := s.call(t, http.MethodGet, "/user/order/orderDetail/"+strconv.FormatInt(o.ID, 10), user, nil)
		expect(t, r, http.StatusOK, 1)
		return decode[cancelled](t, r)
	}
	deadline := time.Now().Add(10 * time.Second)
	for detail(unpaid).Status != 6 {
		if time.Now().After(deadline) {
			t.Fatalf("the unpaid order is %+v 10 s after it was placed, with a 1 s timeout", detail(unpaid))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if d := detail(unpaid); d.CancelReason != "订单超时，自动取消" || d.CancelTime == nil {
		t.Fatalf("the cancelled order = %+v, want sky-take-out's reason and a cancel time", d)
	}
	if d := detail(paid); d.Status != 2 {
		t.Fatalf("the paid order = %+v, want it waiting for the shop (2)", d)
	}
	alertsBefore := s.count(t, "order_alerts")
	header, body := s.wechat.Notification(t, s.paid(t, unpaid, "4200009001"))
	if status, code := s.notify(t, header, body); status != http.StatusOK || code != "SUCCESS" {
		t.Fatalf("the late notification: %d %s, want 200 SUCCESS", status, code)
	}
	if n := s.count(t, "order_alerts"); n != alertsBefore {
		t.Fatalf("the late payment rang the shop (%d alerts, %d before)", n, alertsBefore)
	}
	if !strings.Contains(s.logs.String(), "refund needed") {
		t.Fatal("the late payment of a cancelled order was not logged for a refund")
	}
}
