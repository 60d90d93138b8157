package application_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// verified is a PaymentNotifications fake that returns a fixed notice (or error) as if the
// signature had been checked.
type verified struct {
	notice application.PaymentNotice
	err    error
}

func (v verified) Open(context.Context, http.Header, []byte) (application.PaymentNotice, error) {
	return v.notice, v.err
}

func TestHandlePaymentNotification(t *testing.T) {
	t.Parallel()
	s := newShop()
	pending, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1999})
	if err != nil {
		t.Fatal(err)
	}
	good := application.PaymentNotice{OutTradeNo: pending.Number, TransactionID: "wx-9", TradeState: "SUCCESS", MchID: "m", AppID: "a", TotalFen: 1999}
	with := func(change func(*application.PaymentNotice)) application.PaymentNotice {
		n := good
		change(&n)
		return n
	}
	cases := []struct {
		name    string
		open    verified
		want    application.NotificationOutcome
		wantErr error
	}{
		{"forged", verified{err: application.ErrUnauthenticated}, 0, application.ErrUnauthenticated},
		{"another merchant", verified{notice: with(func(n *application.PaymentNotice) { n.MchID = "x" })}, 0, application.ErrNotificationRejected},
		{"another app", verified{notice: with(func(n *application.PaymentNotice) { n.AppID = "x" })}, 0, application.ErrNotificationRejected},
		{"unknown order", verified{notice: with(func(n *application.PaymentNotice) { n.OutTradeNo = "nope" })}, 0, application.ErrNotificationRejected},
		{"wrong amount", verified{notice: with(func(n *application.PaymentNotice) { n.TotalFen = 1998 })}, 0, application.ErrNotificationRejected},
		{"not paid", verified{notice: with(func(n *application.PaymentNotice) { n.TradeState = "NOTPAY" })}, application.PaymentNotSuccessful, nil},
		{"paid", verified{notice: good}, application.PaymentConfirmed, nil},
		{"paid again", verified{notice: good}, application.PaymentAlreadyPaid, nil},
	}
	for _, c := range cases {
		uc := application.HandlePaymentNotification{Notifications: c.open, Apply: application.ApplyPayment{Orders: s.store, Confirm: s.pay, MchID: "m", AppID: "a"}}
		got, _, err := uc.Execute(t.Context(), nil, nil)
		if got != c.want || !errors.Is(err, c.wantErr) {
			t.Fatalf("%s: %v, %v; want %v, %v", c.name, got, err, c.want, c.wantErr)
		}
	}
	if rings := s.broadcast.Recent(); len(rings) != 1 {
		t.Fatalf("%d alerts broadcast, want the one payment's", len(rings))
	}
	o, err := s.get.ForAdmin(t.Context(), pending.ID, shop.Everything())
	if err != nil || o.TransactionID != "wx-9" || o.PayStatus != order.PayStatusPaid {
		t.Fatalf("paid order = %+v, %v", o, err)
	}

	cancelled, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 500})
	if err != nil {
		t.Fatal(err)
	}
	cancel(t, s, cancelled.ID)
	late := application.PaymentNotice{OutTradeNo: cancelled.Number, TradeState: "SUCCESS", TotalFen: 500}
	uc := application.HandlePaymentNotification{Notifications: verified{notice: late}, Apply: application.ApplyPayment{Orders: s.store, Confirm: s.pay}}
	if got, _, err := uc.Execute(t.Context(), nil, nil); got != application.PaymentAfterCancel || err != nil {
		t.Fatalf("paid after cancel = %v, %v", got, err)
	}
}

func TestPayOrder(t *testing.T) {
	t.Parallel()
	s := newShop()
	o, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 100})
	if err != nil {
		t.Fatal(err)
	}
	simulated := application.PayOrder{Orders: s.store, Confirm: s.pay, Simulated: true}
	if _, err := simulated.Execute(t.Context(), 8, o.Number, order.PayMethodWeChat); !errors.Is(err, order.ErrNotFound) {
		t.Fatalf("another user's order = %v, want ErrNotFound", err)
	}
	if _, err := simulated.Execute(t.Context(), 7, o.Number, 5); !errors.Is(err, order.ErrInvalid) {
		t.Fatalf("unknown pay method = %v, want ErrInvalid", err)
	}
	if len(s.broadcast.Recent()) != 0 {
		t.Fatal("a refused payment rang the shop")
	}
	p, err := simulated.Execute(t.Context(), 7, o.Number, order.PayMethodAlipay)
	paid := p.Order
	if err != nil || p.Request != nil || paid.PayStatus != order.PayStatusPaid || paid.PayMethod != order.PayMethodAlipay {
		t.Fatalf("simulated payment = %+v, %v", paid, err)
	}
}
