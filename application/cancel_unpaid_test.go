package application_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// closer answers each order number as told, and records what it was asked to close; queries
// answer what the provider holds of the order.
type closer struct {
	answers map[string]error
	closed  []string
	held    map[string]application.PaymentNotice
}

func (c *closer) Close(_ context.Context, number string) error {
	c.closed = append(c.closed, number)
	return c.answers[number]
}

func (c *closer) Query(_ context.Context, number string) (application.PaymentNotice, error) {
	n, ok := c.held[number]
	if !ok {
		return n, errors.New("the provider holds no such order")
	}
	return n, nil
}

// TestUnpaidOrdersAreClosedThenCancelled: past the timeout an order is closed at the provider,
// then cancelled; one whose close fails stays pending for the next pass, one the provider says
// is paid is left to its notification, one paid in time is never touched.
func TestUnpaidOrdersAreClosedThenCancelled(t *testing.T) {
	t.Parallel()
	s := newShop()
	due, failing, paidThere := s.prepaidOrder(t), s.prepaidOrder(t), s.prepaidOrder(t)
	paidHere := s.paidOrder(t, 7)
	c := &closer{answers: map[string]error{failing.Number: errors.New("503"), paidThere.Number: application.ErrProviderPaid}}
	uc := s.cancelUnpaid(c)
	if n, err := uc.Execute(t.Context()); err != nil || n != 0 || len(c.closed) != 0 {
		t.Fatalf("before the timeout: cancelled %d, closed %v, %v", n, c.closed, err)
	}
	s.clock.now = s.clock.now.Add(16 * time.Minute)
	if n, err := uc.Execute(t.Context()); err != nil || n != 1 {
		t.Fatalf("past the timeout: cancelled %d, %v; want 1", n, err)
	}
	status := func(o order.Order) order.Status {
		got, err := s.store.Get(t.Context(), application.ByID(o.ID))
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	if status(due) != order.StatusCancelled || status(failing) != order.StatusPendingPayment || status(paidThere) != order.StatusPendingPayment || status(paidHere) != order.StatusToBeConfirmed {
		t.Fatalf("statuses %d %d %d %d, want cancelled, pending, pending, paid", status(due), status(failing), status(paidThere), status(paidHere))
	}
	if got, _ := s.store.Get(t.Context(), application.ByID(due.ID)); got.CancelReason != order.PaymentTimeoutReason || !got.CancelTime.Equal(s.clock.now) {
		t.Fatalf("cancelled order %+v", got)
	}
	if len(c.closed) != 3 {
		t.Fatalf("closed %v, want the three unpaid orders", c.closed)
	}
	// Within the lease nothing is tried again; after it, the failed one is.
	if n, _ := uc.Execute(t.Context()); n != 0 || len(c.closed) != 3 {
		t.Fatalf("within the lease: cancelled %d, closed %v", n, c.closed)
	}
	s.clock.now = s.clock.now.Add(2 * time.Minute)
	delete(c.answers, failing.Number)
	if n, err := uc.Execute(t.Context()); err != nil || n != 1 || status(failing) != order.StatusCancelled {
		t.Fatalf("after the lease: cancelled %d, %v, status %d", n, err, status(failing))
	}
}

// TestAnUnpaidOrderPaidAtTheProviderIsConfirmedFromItsQuery: when the close says the order was
// paid (WeChat's ORDERPAID), its payment is read from the provider and applied as its
// notification would be: the order is paid and the shop rung, once, with WeChat's transaction
// id. A query that does not match the order (another amount) changes nothing. An order never
// prepaid is cancelled without a call: the provider has nothing that could be paid.
func TestAnUnpaidOrderPaidAtTheProviderIsConfirmedFromItsQuery(t *testing.T) {
	t.Parallel()
	s := newShop()
	paidThere, mismatched := s.prepaidOrder(t), s.prepaidOrder(t)
	neverPrepaid, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1500})
	if err != nil {
		t.Fatal(err)
	}
	c := &closer{
		answers: map[string]error{paidThere.Number: application.ErrProviderPaid, mismatched.Number: application.ErrProviderPaid},
		held: map[string]application.PaymentNotice{
			paidThere.Number:  {OutTradeNo: paidThere.Number, TransactionID: "4200001", TradeState: application.TradeStateSuccess, TotalFen: 1500},
			mismatched.Number: {OutTradeNo: mismatched.Number, TransactionID: "4200002", TradeState: application.TradeStateSuccess, TotalFen: 1},
		},
	}
	uc := s.cancelUnpaid(c)
	s.clock.now = s.clock.now.Add(16 * time.Minute)
	if n, err := uc.Execute(t.Context()); err != nil || n != 1 {
		t.Fatalf("cancelled %d, %v; want the order never prepaid", n, err)
	}
	if slices.Contains(c.closed, neverPrepaid.Number) {
		t.Fatalf("closed %v: the order never prepaid was closed at the provider", c.closed)
	}
	got, _ := s.store.Get(t.Context(), application.ByID(paidThere.ID))
	if got.Status != order.StatusToBeConfirmed || got.TransactionID != "4200001" {
		t.Fatalf("the order paid at the provider: %+v", got)
	}
	if rung := s.broadcast.Recent(); len(rung) != 1 || rung[0].OrderID != paidThere.ID {
		t.Fatalf("rung %v, want one alert for the order paid at the provider", rung)
	}
	if got, _ := s.store.Get(t.Context(), application.ByID(mismatched.ID)); got.Status != order.StatusPendingPayment {
		t.Fatalf("an order whose query does not match: status %d, want it left pending", got.Status)
	}
	if got, _ := s.store.Get(t.Context(), application.ByID(neverPrepaid.ID)); got.Status != order.StatusCancelled {
		t.Fatalf("the order never prepaid: status %d, want cancelled", got.Status)
	}
}

// prepaidOrder is a pending order of 15 yuan with a prepay at the provider.
func (s *fixture) prepaidOrder(t *testing.T) order.Order {
	t.Helper()
	o, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1500})
	if err != nil {
		t.Fatal(err)
	}
	o, _, err = s.store.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
		o.Prepay = order.Prepay{ID: "wx-prepay-" + o.Number, ExpiresAt: o.PaymentDeadline(15 * time.Minute)}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (s *fixture) cancelUnpaid(c application.PaymentCloser) application.CancelUnpaid {
	return application.CancelUnpaid{
		Orders: s.store, Updates: s.store, Closer: c, Clock: s.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Apply:   application.ApplyPayment{Orders: s.store, Confirm: s.pay},
		Timeout: 15 * time.Minute, Lease: time.Minute,
	}
}
