package application_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
)

// closer answers each order number as told, and records what it was asked to close.
type closer struct {
	answers map[string]error
	closed  []string
}

func (c *closer) Close(_ context.Context, number string) error {
	c.closed = append(c.closed, number)
	return c.answers[number]
}

// TestUnpaidOrdersAreClosedThenCancelled: past the timeout an order is closed at the provider,
// then cancelled; one whose close fails stays pending for the next pass, one the provider says
// is paid is left to its notification, one paid in time is never touched.
func TestUnpaidOrdersAreClosedThenCancelled(t *testing.T) {
	t.Parallel()
	s := newShop()
	submit := func() order.Order {
		o, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1500})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	due, failing, paidThere := submit(), submit(), submit()
	paidHere := s.paidOrder(t, 7)
	c := &closer{answers: map[string]error{failing.Number: errors.New("503"), paidThere.Number: application.ErrProviderPaid}}
	uc := application.CancelUnpaid{
		Orders: s.store, Updates: s.store, Closer: c, Clock: s.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Timeout: 15 * time.Minute, Lease: time.Minute,
	}
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
