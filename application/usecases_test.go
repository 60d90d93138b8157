package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

type fixedClock struct{ now time.Time }

func (c *fixedClock) Now() time.Time { return c.now }

// fixture is the use cases wired to the in-memory adapters, which pass the storage contract suites.
type fixture struct {
	clock     *fixedClock
	store     *memory.Store
	broadcast *memory.CommitRecorder
	submit    application.SubmitOrder
	pay       application.ConfirmPayment
	remind    application.RemindOrder
	get       application.GetOrder
	take      application.ConfirmOrder
	ack       application.AckAlert
	alerts    application.ListAlerts
	acks      *ackRecorder
	adminID   int64 // 张三, platform staff
}

// ackRecorder is the AckObserver of the fixture.
type ackRecorder struct{ acked []alert.Alert }

func (r *ackRecorder) Acknowledged(a alert.Alert) { r.acked = append(r.acked, a) }

func newShop() *fixture {
	clock := &fixedClock{now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	store := memory.NewStore(func() time.Time { return clock.now })
	b := &memory.CommitRecorder{}
	employees, acks := &memory.Employees{}, &ackRecorder{}
	admin, err := employees.Add(context.Background(), employee.Employee{Name: "张三", Username: "zhangsan", Status: employee.StatusEnabled})
	if err != nil {
		panic(err)
	}
	return &fixture{
		clock: clock, store: store, broadcast: b, acks: acks, adminID: admin.ID,
		submit: application.SubmitOrder{Orders: store, Shops: memory.NewShops(time.Now()), Clock: clock},
		pay:    application.ConfirmPayment{Orders: store, Feed: b, Clock: clock},
		remind: application.RemindOrder{Orders: store, Feed: b, Clock: clock, Cooldown: time.Minute},
		get:    application.GetOrder{Orders: store},
		take:   application.ConfirmOrder{Orders: store, Employees: employees, Feed: b, Observer: acks, Clock: clock},
		ack:    application.AckAlert{Acks: store, Employees: employees, Feed: b, Observer: acks, Clock: clock},
		alerts: application.ListAlerts{Alerts: store},
	}
}

func (s *fixture) paidOrder(t *testing.T, userID int64) order.Order {
	t.Helper()
	o, err := s.submit.Execute(t.Context(), order.Draft{UserID: userID, PayMethod: order.PayMethodWeChat, Amount: 2500})
	if err != nil {
		t.Fatal(err)
	}
	if o, err = s.pay.Execute(t.Context(), o.Number, order.PayMethodWeChat, "wx-1"); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestConfirmPaymentRingsOnce(t *testing.T) {
	t.Parallel()
	s := newShop()
	o := s.paidOrder(t, 7)
	if o.Status != order.StatusToBeConfirmed || o.PayStatus != order.PayStatusPaid || !o.CheckoutTime.Equal(s.clock.now) {
		t.Fatalf("paid order = %+v", o)
	}
	if _, err := s.pay.Execute(t.Context(), o.Number, order.PayMethodWeChat, "wx-1"); err != nil {
		t.Fatalf("repeated callback: %v", err)
	}
	got := s.broadcast.Recent()
	if len(got) != 1 || got[0].Type != alert.TypeNewOrder || got[0].ID == 0 || got[0].Content != "订单号:"+o.Number {
		t.Fatalf("broadcast = %+v, want one stored new-order alert", got)
	}
}

func TestConfirmPaymentRefusals(t *testing.T) {
	t.Parallel()
	s := newShop()
	if _, err := s.pay.Execute(t.Context(), "no-such-order", order.PayMethodWeChat, "wx"); !errors.Is(err, order.ErrNotFound) {
		t.Fatalf("unknown number = %v, want ErrNotFound", err)
	}
	o, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 100})
	if err != nil {
		t.Fatal(err)
	}
	cancel(t, s, o.ID)
	if _, err := s.pay.Execute(t.Context(), o.Number, order.PayMethodWeChat, "wx"); !errors.Is(err, order.ErrStatus) {
		t.Fatalf("cancelled order = %v, want ErrStatus", err)
	}
	if got := s.broadcast.Recent(); len(got) != 0 {
		t.Fatalf("refused payments rang the shop: %+v", got)
	}
}

func TestRemindOrder(t *testing.T) {
	t.Parallel()
	s := newShop()
	o := s.paidOrder(t, 7)
	cases := []struct {
		name    string
		userID  int64
		advance time.Duration
		want    error
	}{
		{"another user's order looks absent", 8, 0, order.ErrNotFound},
		{"the owner rings the shop", 7, 0, nil},
		{"again within the cooldown is refused", 7, 30 * time.Second, order.ErrReminderTooFrequent},
		{"after the cooldown rings again", 7, 31 * time.Second, nil},
	}
	rings := 1 // the payment's
	for _, c := range cases {
		s.clock.now = s.clock.now.Add(c.advance)
		a, err := s.remind.Execute(t.Context(), o.ID, c.userID)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Fatalf("%s: Execute = %v, want %v", c.name, err, c.want)
		}
		if err == nil {
			rings++
			if a.Type != alert.TypeReminder || a.OrderID != o.ID {
				t.Fatalf("%s: alert = %+v", c.name, a)
			}
		}
		if got := len(s.broadcast.Recent()); got != rings {
			t.Fatalf("%s: %d alerts broadcast, want %d", c.name, got, rings)
		}
	}
}

func TestRemindOrderNeedsAPaidOpenOrder(t *testing.T) {
	t.Parallel()
	s := newShop()
	unpaid, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.remind.Execute(t.Context(), unpaid.ID, 7); !errors.Is(err, order.ErrStatus) {
		t.Fatalf("unpaid order = %v, want ErrStatus", err)
	}
	if _, err := s.remind.Execute(t.Context(), 4242, 7); !errors.Is(err, order.ErrNotFound) {
		t.Fatalf("unknown order = %v, want ErrNotFound", err)
	}
}

func TestGetOrderHidesOtherUsersOrders(t *testing.T) {
	t.Parallel()
	s := newShop()
	o := s.paidOrder(t, 7)
	if got, err := s.get.ForUser(t.Context(), o.ID, 7); err != nil || got.ID != o.ID {
		t.Fatalf("owner: %+v, %v", got, err)
	}
	if _, err := s.get.ForUser(t.Context(), o.ID, 8); !errors.Is(err, order.ErrNotFound) {
		t.Fatalf("other user = %v, want ErrNotFound", err)
	}
	if got, err := s.get.ForAdmin(t.Context(), o.ID, shop.Everything()); err != nil || got.ID != o.ID {
		t.Fatalf("admin: %+v, %v", got, err)
	}
}

func TestConfirmOrderTakesOnlyPaidOrders(t *testing.T) {
	t.Parallel()
	s := newShop()
	o := s.paidOrder(t, 7)
	if got, err := s.take.Execute(t.Context(), o.ID, s.adminID, shop.Everything()); err != nil || got.Status != order.StatusConfirmed {
		t.Fatalf("take paid order = %+v, %v", got, err)
	}
	if _, err := s.take.Execute(t.Context(), o.ID, s.adminID, shop.Everything()); !errors.Is(err, order.ErrStatus) {
		t.Fatalf("take twice = %v, want ErrStatus", err)
	}
}

func TestListAlerts(t *testing.T) {
	t.Parallel()
	s := newShop()
	for range 3 {
		s.paidOrder(t, 7)
	}
	after := func(id int64) *int64 { return &id }
	cases := []struct {
		name    string
		q       application.AlertQuery
		wantIDs []int64
		wantErr error
	}{
		{"newest by default", application.AlertQuery{Shops: shop.Everything(), Limit: 2}, []int64{2, 3}, nil},
		{"after an id, oldest first", application.AlertQuery{Shops: shop.Everything(), AfterID: after(1), Limit: 1}, []int64{2}, nil},
		{"default limit", application.AlertQuery{Shops: shop.Everything(), AfterID: after(0)}, []int64{1, 2, 3}, nil},
		{"negative after id", application.AlertQuery{Shops: shop.Everything(), AfterID: after(-1)}, nil, application.ErrInvalidInput},
		{"limit above the maximum", application.AlertQuery{Shops: shop.Everything(), Limit: 1001}, nil, application.ErrInvalidInput},
		{"negative limit", application.AlertQuery{Shops: shop.Everything(), Limit: -1}, nil, application.ErrInvalidInput},
	}
	for _, c := range cases {
		got, err := s.alerts.Execute(t.Context(), c.q)
		if !errors.Is(err, c.wantErr) {
			t.Fatalf("%s: err = %v, want %v", c.name, err, c.wantErr)
		}
		var ids []int64
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		if len(ids) != len(c.wantIDs) || (len(ids) > 0 && (ids[0] != c.wantIDs[0] || ids[len(ids)-1] != c.wantIDs[len(c.wantIDs)-1])) {
			t.Fatalf("%s: ids %v, want %v", c.name, ids, c.wantIDs)
		}
	}
}

// takenNumbers makes the first Adds fail as if another order held the number.
type takenNumbers struct {
	application.OrderRepository
	refusals int
	tried    []string
}

func (r *takenNumbers) Add(ctx context.Context, o order.Order) (order.Order, error) {
	r.tried = append(r.tried, o.Number)
	if len(r.tried) <= r.refusals {
		return order.Order{}, order.ErrDuplicateNumber
	}
	return r.OrderRepository.Add(ctx, o)
}

func TestSubmitOrderRetriesATakenNumber(t *testing.T) {
	t.Parallel()
	s := newShop()
	repo := &takenNumbers{OrderRepository: s.store, refusals: 2}
	submit := application.SubmitOrder{Orders: repo, Shops: memory.NewShops(time.Now()), Clock: s.clock}
	o, err := submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 100})
	if err != nil || o.ID == 0 || len(repo.tried) != 3 || o.Number != repo.tried[2] {
		t.Fatalf("Execute = %+v, %v after trying %v", o, err, repo.tried)
	}
	repo = &takenNumbers{OrderRepository: s.store, refusals: 100}
	submit.Orders = repo
	if _, err := submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 100}); !errors.Is(err, order.ErrDuplicateNumber) {
		t.Fatalf("always taken = %v, want ErrDuplicateNumber", err)
	}
	if _, err := submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 0}); !errors.Is(err, order.ErrInvalid) {
		t.Fatalf("zero amount = %v, want ErrInvalid", err)
	}
}

func cancel(t *testing.T, s *fixture, id int64) {
	t.Helper()
	_, _, err := s.store.Update(t.Context(), application.ByID(id), func(o *order.Order) (*alert.Alert, error) {
		o.Status = order.StatusCancelled
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
