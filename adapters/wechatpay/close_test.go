package wechatpay_test

import (
	"errors"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

func TestCloseEndsTheTradeAndQueryReadsIt(t *testing.T) {
	t.Parallel()
	p, api, _ := newPrepayer(t, time.Second)
	for _, number := range []string{"C1", "C2"} {
		if _, err := p.Prepay(t.Context(), application.PrepayRequest{OrderNumber: number, Amount: 2500, OpenID: "o", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(t.Context(), "C1"); err != nil {
		t.Fatalf("close = %v", err)
	}
	if api.TradeState("C1") != "CLOSED" {
		t.Fatalf("the trade is %s after the close", api.TradeState("C1"))
	}
	if _, err := api.Pay("C1"); err == nil {
		t.Fatal("a closed order could still be paid")
	}
	if err := p.Close(t.Context(), "C1"); err != nil {
		t.Fatalf("closing it again = %v, want closed (ORDER_CLOSED is not a failure)", err)
	}

	tx, err := api.Pay("C2")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(t.Context(), "C2"); !errors.Is(err, application.ErrProviderPaid) {
		t.Fatalf("closing a paid order = %v, want ErrProviderPaid", err)
	}
	n, err := p.Query(t.Context(), "C2")
	want := application.PaymentNotice{OutTradeNo: "C2", TransactionID: tx.TransactionID, TradeState: "SUCCESS", MchID: tx.MchID, AppID: testAppID, TotalFen: 2500}
	if err != nil || n != want {
		t.Fatalf("query = %+v, %v; want %+v", n, err, want)
	}
	if r := api.Refusals(); len(r) != 0 {
		t.Fatalf("the stand-in refused %q", r)
	}
}

func TestCloseAndQueryFailuresAreMapped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		answer wechatpaytest.Answer
	}{
		{"USER_PAYING", wechatpaytest.AnswerUserPaying},
		{"500", wechatpaytest.AnswerServerError},
		{"a hang", wechatpaytest.AnswerHang},
		{"an answer signed with another key", wechatpaytest.AnswerForged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, api, _ := newPrepayer(t, 300*time.Millisecond)
			if _, err := p.Prepay(t.Context(), application.PrepayRequest{OrderNumber: "F1", Amount: 1, OpenID: "o", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			api.Answer(tc.answer)
			if err := p.Close(t.Context(), "F1"); err == nil || errors.Is(err, application.ErrProviderPaid) {
				t.Fatalf("close = %v, want a failure to try again", err)
			}
			if _, err := p.Query(t.Context(), "F1"); !errors.Is(err, application.ErrPaymentUnavailable) {
				t.Fatalf("query = %v, want ErrPaymentUnavailable", err)
			}
			if got := api.Closes(); len(got) != 1 {
				t.Fatalf("the stand-in saw closes %v, want 1", got)
			}
		})
	}
}
