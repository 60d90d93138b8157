package application_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
)

// fakePrepayments is WeChat Pay's prepay: each call creates a new prepay id, or fails with err.
type fakePrepayments struct {
	mu    sync.Mutex
	calls []application.PrepayRequest
	err   error
}

func (f *fakePrepayments) Prepay(_ context.Context, req application.PrepayRequest) (application.PaymentRequest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, req)
	if f.err != nil {
		return application.PaymentRequest{}, f.err
	}
	return signed(fmt.Sprintf("wx%d", len(f.calls))), nil
}

func (f *fakePrepayments) RequestPayment(_ context.Context, prepayID string) (application.PaymentRequest, error) {
	return signed(prepayID), nil
}

func (f *fakePrepayments) calledWith() []application.PrepayRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]application.PrepayRequest(nil), f.calls...)
}

func signed(prepayID string) application.PaymentRequest {
	return application.PaymentRequest{PrepayID: prepayID, Package: "prepay_id=" + prepayID, SignType: "RSA"}
}

type prepayFixture struct {
	*fixture
	payments *fakePrepayments
	uc       application.PayOrder
	userID   int64
	openid   string
}

func newPrepayFixture(t *testing.T) *prepayFixture {
	t.Helper()
	s := newShop()
	customers := &memory.Customers{}
	c, err := customers.ByOpenID(t.Context(), "o-payer", s.clock.now)
	if err != nil {
		t.Fatal(err)
	}
	payments := &fakePrepayments{}
	return &prepayFixture{
		fixture: s, payments: payments, userID: c.ID, openid: c.OpenID,
		uc: application.PayOrder{Orders: s.store, Confirm: s.pay, Prepay: application.PrepayOrder{
			Orders: s.store, Customers: customers, Payments: payments, Clock: s.clock, Timeout: 15 * time.Minute,
		}},
	}
}

func (s *prepayFixture) order(t *testing.T, userID int64) order.Order {
	t.Helper()
	o, err := s.submit.Execute(t.Context(), order.Draft{UserID: userID, PayMethod: order.PayMethodWeChat, Amount: 5880})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (s *prepayFixture) prepay(t *testing.T, userID int64, number string) (*application.PaymentRequest, error) {
	t.Helper()
	p, err := s.uc.Execute(t.Context(), userID, number, order.PayMethodWeChat)
	return p.Request, err
}

func TestPrepaySendsTheOrdersAmountAndThePayersOpenID(t *testing.T) {
	t.Parallel()
	s := newPrepayFixture(t)
	o := s.order(t, s.userID)
	req, err := s.prepay(t, s.userID, o.Number)
	if err != nil || req == nil || req.PrepayID != "wx1" {
		t.Fatalf("prepay = %+v, %v; want prepay wx1", req, err)
	}
	calls := s.payments.calledWith()
	want := application.PrepayRequest{OrderNumber: o.Number, Amount: 5880, OpenID: s.openid, ExpiresAt: o.OrderTime.Add(15 * time.Minute)}
	if len(calls) != 1 || calls[0] != want {
		t.Fatalf("prepay calls = %+v, want one %+v", calls, want)
	}
	stored, err := s.store.Get(t.Context(), application.ByNumber(o.Number))
	if err != nil || stored.Prepay != (order.Prepay{ID: "wx1", ExpiresAt: want.ExpiresAt}) {
		t.Fatalf("stored prepay = %+v, %v", stored.Prepay, err)
	}
	if len(s.broadcast.Recent()) != 0 {
		t.Fatal("a prepay rang the shop: only the payment notification may")
	}
}

func TestPrepayReusesTheStoredPrepayUntilAMinuteBeforeItExpires(t *testing.T) {
	t.Parallel()
	s := newPrepayFixture(t)
	o := s.order(t, s.userID)
	if _, err := s.prepay(t, s.userID, o.Number); err != nil {
		t.Fatal(err)
	}
	s.clock.now = o.OrderTime.Add(14*time.Minute - time.Second)
	req, err := s.prepay(t, s.userID, o.Number)
	if err != nil || req.PrepayID != "wx1" || len(s.payments.calledWith()) != 1 {
		t.Fatalf("second prepay = %+v, %v after %d calls; want wx1 again without a call", req, err, len(s.payments.calledWith()))
	}
	s.clock.now = o.OrderTime.Add(14 * time.Minute)
	if _, err := s.prepay(t, s.userID, o.Number); !errors.Is(err, application.ErrPaymentExpired) {
		t.Fatalf("prepay a minute before time_expire = %v, want ErrPaymentExpired", err)
	}
	if n := len(s.payments.calledWith()); n != 1 {
		t.Fatalf("WeChat was called %d times, want 1", n)
	}
}

func TestPrepayRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, s *prepayFixture) (userID int64, number string)
		want    error
	}{
		{"another user's order", func(t *testing.T, s *prepayFixture) (int64, string) {
			return s.userID + 1, s.order(t, s.userID).Number
		}, order.ErrNotFound},
		{"an unknown order", func(*testing.T, *prepayFixture) (int64, string) { return 1, "nope" }, order.ErrNotFound},
		{"a paid order", func(t *testing.T, s *prepayFixture) (int64, string) {
			return s.userID, s.paidOrder(t, s.userID).Number
		}, order.ErrStatus},
		{"a user without a mini-program login", func(t *testing.T, s *prepayFixture) (int64, string) {
			return s.userID + 1, s.order(t, s.userID+1).Number
		}, application.ErrPayerUnknown},
		{"an order past its payment window", func(t *testing.T, s *prepayFixture) (int64, string) {
			o := s.order(t, s.userID)
			s.clock.now = o.OrderTime.Add(20 * time.Minute)
			return s.userID, o.Number
		}, application.ErrPaymentExpired},
		{"WeChat says paid", func(t *testing.T, s *prepayFixture) (int64, string) {
			s.payments.err = fmt.Errorf("prepay: %w", application.ErrProviderPaid)
			return s.userID, s.order(t, s.userID).Number
		}, application.ErrProviderPaid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newPrepayFixture(t)
			userID, number := tc.prepare(t, s)
			if req, err := s.prepay(t, userID, number); !errors.Is(err, tc.want) {
				t.Fatalf("prepay = %+v, %v; want %v", req, err, tc.want)
			}
			if o, err := s.store.Get(t.Context(), application.ByNumber(number)); err == nil && o.Prepay.ID != "" {
				t.Fatalf("a refused prepay was stored: %+v", o.Prepay)
			}
		})
	}
}

func TestPrepayRefusesAlipayInWeChatMode(t *testing.T) {
	t.Parallel()
	s := newPrepayFixture(t)
	o := s.order(t, s.userID)
	if _, err := s.uc.Execute(t.Context(), s.userID, o.Number, order.PayMethodAlipay); !errors.Is(err, order.ErrInvalid) {
		t.Fatalf("Alipay = %v, want ErrInvalid", err)
	}
}

// Racing prepays all answer the one prepay stored first, whatever WeChat answered each of them.
func TestRacingPrepaysAnswerOnePrepay(t *testing.T) {
	t.Parallel()
	s := newPrepayFixture(t)
	o := s.order(t, s.userID)
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, err := s.uc.Execute(t.Context(), s.userID, o.Number, order.PayMethodWeChat)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = req.Request.PrepayID
		})
	}
	wg.Wait()
	stored, err := s.store.Get(t.Context(), application.ByNumber(o.Number))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if id != stored.Prepay.ID {
			t.Fatalf("answers %v, stored %q: every call must answer the stored prepay", ids, stored.Prepay.ID)
		}
	}
}
