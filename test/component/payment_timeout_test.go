package component_test

import (
	"net/http"
	"slices"
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

// TestInWeChatModeUnpaidOrdersAreClosedAtWeChatPayThenCancelled (DESIGN §20.7): past the
// timeout, an order prepaid and left unpaid is closed at WeChat Pay, then cancelled, and its
// customer can no longer pay it there; an order paid in WeChat whose notification never came is
// found paid by the close, confirmed from WeChat's record and rings the shop; an order never
// prepaid is cancelled without a call.
func TestInWeChatModeUnpaidOrdersAreClosedAtWeChatPayThenCancelled(t *testing.T) {
	t.Parallel()
	s := startPrepay(t, func(c *bootstrap.Config) { c.PaymentTimeout = 3 * time.Second })
	admin := s.adminHeader(t)
	screen := s.dashboardWith(t, admin, "front", "")
	_, user := s.login(t, "timeout-code")
	place := func() submitted {
		r := s.call(t, http.MethodPost, "/user/order/submit", user, `{"amount":15.00,"payMethod":1}`)
		expect(t, r, http.StatusOK, 1)
		return decode[submitted](t, r)
	}
	abandoned, paidInWeChat, neverPrepaid := place(), place(), place()
	s.paymentOf(t, s.prepay(t, user, abandoned.OrderNumber))
	s.paymentOf(t, s.prepay(t, user, paidInWeChat.OrderNumber))
	tx, err := s.api.Pay(paidInWeChat.OrderNumber)
	if err != nil {
		t.Fatal(err)
	}

	rung := screen.nextAlertSkippingHeartbeats(t, 10*time.Second)
	if rung.Type != 1 || rung.OrderID != paidInWeChat.ID {
		t.Fatalf("the screen rang %+v, want the order paid in WeChat", rung)
	}
	status := func(o submitted) int {
		t.Helper()
		return s.adminOrder(t, admin, o.ID).Status
	}
	deadline := time.Now().Add(10 * time.Second)
	for status(abandoned) != 6 || status(neverPrepaid) != 6 {
		if time.Now().After(deadline) {
			t.Fatalf("statuses %d and %d 10 s after a 3 s timeout, want both cancelled", status(abandoned), status(neverPrepaid))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := s.adminOrder(t, admin, paidInWeChat.ID); got.Status != 2 || got.TransactionID != tx.TransactionID {
		t.Fatalf("the order paid in WeChat = status %d, transaction %q; want 2 and %q", got.Status, got.TransactionID, tx.TransactionID)
	}
	if state := s.api.TradeState(abandoned.OrderNumber); state != "CLOSED" {
		t.Fatalf("the abandoned order is %q at WeChat Pay, want CLOSED", state)
	}
	if _, err := s.api.Pay(abandoned.OrderNumber); err == nil {
		t.Fatal("the customer could still pay the cancelled order in WeChat")
	}
	closes := s.api.Closes()
	if len(closes) != 2 || slices.Contains(closes, neverPrepaid.OrderNumber) {
		t.Fatalf("closes %v: want one for each prepaid order, none for the order never prepaid", closes)
	}
	if refused := s.api.Refusals(); len(refused) != 0 {
		t.Fatalf("WeChat Pay refused %q", refused)
	}
	screen.quietButHeartbeats(t, time.Second)
}
