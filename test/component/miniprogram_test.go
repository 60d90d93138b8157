package component_test

import (
	"net/http"
	"strconv"
	"testing"
)

type orderDetail struct {
	ID            int64   `json:"id"`
	Number        string  `json:"number"`
	Status        int     `json:"status"`
	PayStatus     int     `json:"payStatus"`
	UserID        int64   `json:"userId"`
	Amount        float64 `json:"amount"`
	Remark        string  `json:"remark"`
	CheckoutTime  *string `json:"checkoutTime"`
	TransactionID string  `json:"transactionId"`
}

// TestMiniProgramPath is the customer's whole path: submit, pay, read, remind, remind again too
// early, and the orders that are not theirs or do not exist.
func TestMiniProgramPath(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		alice, bob, admin := s.userHeader(t, 7), s.userHeader(t, 8), s.adminHeader(t)
		o := s.submit(t, 7, "42.5")
		if o.ID <= 0 || len(o.OrderNumber) < 13 || o.OrderAmount != 42.5 || o.OrderTime == "" {
			t.Fatalf("submit = %+v", o)
		}
		id := strconv.FormatInt(o.ID, 10)

		r := s.call(t, http.MethodGet, "/user/order/orderDetail/"+id, alice, nil)
		expect(t, r, http.StatusOK, 1)
		if d := decode[orderDetail](t, r); d.Status != 1 || d.PayStatus != 0 || d.Amount != 42.5 || d.Remark != "少放辣" || d.CheckoutTime != nil {
			t.Fatalf("detail before payment = %+v", d)
		}
		// Not paid yet: nothing to remind the shop of.
		expect(t, s.call(t, http.MethodGet, "/user/order/reminder/"+id, alice, nil), http.StatusConflict, 0)
		// Bob cannot pay, read or remind Alice's order, and learns nothing about it.
		for _, r := range []reply{
			s.call(t, http.MethodPut, "/user/order/payment", bob, map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1}),
			s.call(t, http.MethodGet, "/user/order/orderDetail/"+id, bob, nil),
			s.call(t, http.MethodGet, "/user/order/reminder/"+id, bob, nil),
		} {
			expect(t, r, http.StatusNotFound, 0)
			if r.msg() != "订单不存在" {
				t.Errorf("another user's order: msg %q", r.msg())
			}
		}

		r = s.call(t, http.MethodPut, "/user/order/payment", alice, map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1})
		expect(t, r, http.StatusOK, 1)
		// Paying again is a success that rings nobody.
		expect(t, s.call(t, http.MethodPut, "/user/order/payment", alice, map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
		r = s.call(t, http.MethodGet, "/user/order/orderDetail/"+id, alice, nil)
		if d := decode[orderDetail](t, r); d.Status != 2 || d.PayStatus != 1 || d.CheckoutTime == nil {
			t.Fatalf("detail after payment = %+v", d)
		}

		// Paid now, Bob still cannot read or remind it: the answer is the unknown id's, to the
		// byte, and his reminder neither rings nor starts the cooldown.
		bobCannotTouch(t, s, bob, admin, o.ID, 1, nil)
		expect(t, s.call(t, http.MethodGet, "/user/order/reminder/"+id, alice, nil), http.StatusOK, 1)
		reminded := s.adminOrder(t, admin, o.ID).LastRemindedAt
		if reminded == nil {
			t.Fatal("Alice's reminder left no lastRemindedAt")
		}
		// Within the cooldown, Bob gets 404 as before, not Alice's 429.
		bobCannotTouch(t, s, bob, admin, o.ID, 2, reminded)
		r = s.call(t, http.MethodGet, "/user/order/reminder/"+id, alice, nil)
		expect(t, r, http.StatusTooManyRequests, 0)
		if r.msg() != "催单过于频繁，请稍后再试" {
			t.Errorf("too early: msg %q", r.msg())
		}
		for _, path := range []string{"/user/order/orderDetail/987654", "/user/order/reminder/987654"} {
			expect(t, s.call(t, http.MethodGet, path, alice, nil), http.StatusNotFound, 0)
		}
		expect(t, s.call(t, http.MethodPut, "/user/order/payment", alice, map[string]any{"orderNumber": "no-such-order", "payMethod": 1}), http.StatusNotFound, 0)

		alerts := s.alerts(t, admin)
		want := []alertFrame{
			{Type: 1, OrderID: o.ID, OrderNumber: o.OrderNumber, Content: "订单号:" + o.OrderNumber},
			{Type: 2, OrderID: o.ID, OrderNumber: o.OrderNumber, Content: "订单号:" + o.OrderNumber},
		}
		if len(alerts) != len(want) {
			t.Fatalf("alerts = %+v, want one payment and one reminder", alerts)
		}
		for i, a := range alerts {
			if a.Type != want[i].Type || a.OrderID != want[i].OrderID || a.Content != want[i].Content || a.OrderNumber != want[i].OrderNumber || a.ID <= 0 {
				t.Errorf("alert %d = %+v, want %+v", i, a, want[i])
			}
		}
	})
}

// bobCannotTouch: bob's reading and reminding order id get exactly the answer of an unknown id,
// and change nothing: still alerts alerts, and the order's lastRemindedAt still reminded.
func bobCannotTouch(t *testing.T, s *service, bob, admin http.Header, id int64, alerts int, reminded *string) {
	t.Helper()
	for _, kind := range []string{"orderDetail", "reminder"} {
		theirs := s.call(t, http.MethodGet, "/user/order/"+kind+"/"+strconv.FormatInt(id, 10), bob, nil)
		unknown := s.call(t, http.MethodGet, "/user/order/"+kind+"/987654", bob, nil)
		if theirs.Status != http.StatusNotFound || theirs.Raw != unknown.Raw {
			t.Errorf("another user's %s: %d %s; an unknown id's: %d %s", kind, theirs.Status, theirs.Raw, unknown.Status, unknown.Raw)
		}
	}
	if n := s.count(t, "order_alerts"); n != alerts {
		t.Errorf("%d alerts after Bob's reminder, want %d", n, alerts)
	}
	if got := s.adminOrder(t, admin, id).LastRemindedAt; (got == nil) != (reminded == nil) || got != nil && *got != *reminded {
		t.Errorf("Bob's reminder moved lastRemindedAt from %v to %v", reminded, got)
	}
}

type adminOrderDetail struct {
	orderDetail
	LastRemindedAt *string `json:"lastRemindedAt"`
}

func (s *service) adminOrder(t *testing.T, admin http.Header, id int64) adminOrderDetail {
	t.Helper()
	r := s.call(t, http.MethodGet, "/admin/order/details/"+strconv.FormatInt(id, 10), admin, nil)
	expect(t, r, http.StatusOK, 1)
	return decode[adminOrderDetail](t, r)
}
