package contract

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// OrderRepository is the suite of application.OrderRepository's Add, Get and Update.
func OrderRepository(t *testing.T, backend Backend) {
	t.Run("an added order reads back whole, by id and by number", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		if got := get(t, s, o.ID); !got.Equal(o) {
			t.Fatalf("Get by id:\n got %+v\nwant %+v", got, o)
		}
		byNumber, err := s.Orders.Get(t.Context(), application.ByNumber(o.Number))
		if err != nil || !byNumber.Equal(o) {
			t.Fatalf("Get by number = %+v, %v", byNumber, err)
		}
	})

	t.Run("what was ordered reads back whole, and the stored copy is the store's own", func(t *testing.T) {
		t.Parallel()
		testItemsReadBack(t, backend(t)())
	})

	t.Run("an update keeps what was ordered", func(t *testing.T) {
		t.Parallel()
		testItemsSurviveAnUpdate(t, backend(t)())
	})

	t.Run("an unknown order is not found", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		add(t, s, newOrder(7))
		for _, key := range []application.OrderKey{application.ByID(987654), application.ByNumber("no-such-number")} {
			if _, err := s.Orders.Get(t.Context(), key); !errors.Is(err, order.ErrNotFound) {
				t.Errorf("Get(%s) = %v, want ErrNotFound", key, err)
			}
			_, _, err := s.Orders.Update(t.Context(), key, func(*order.Order) (*alert.Alert, error) {
				t.Error("change called for a missing order")
				return nil, nil
			})
			if !errors.Is(err, order.ErrNotFound) {
				t.Errorf("Update(%s) = %v, want ErrNotFound", key, err)
			}
		}
	})

	t.Run("a number already taken is refused and the first order kept", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		first := add(t, s, newOrder(7))
		dup := newOrder(8)
		dup.Number = first.Number
		if _, err := s.Orders.Add(t.Context(), dup); !errors.Is(err, order.ErrDuplicateNumber) {
			t.Fatalf("Add(duplicate) = %v, want ErrDuplicateNumber", err)
		}
		if got := get(t, s, first.ID); got.UserID != 7 {
			t.Fatalf("first order changed: %+v", got)
		}
	})

	t.Run("an update saves the order and appends its alert together", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		saved, stored := confirmPayment(t, s, o.ID, "wx-1")
		if stored == nil || stored.ID <= 0 || stored.Type != alert.TypeNewOrder || stored.OrderID != o.ID ||
			stored.Content != "订单号:"+o.Number || !stored.CreatedAt.Equal(baseTime) {
			t.Fatalf("stored alert = %+v", stored)
		}
		got := get(t, s, o.ID)
		if !got.Equal(saved) || got.Status != order.StatusToBeConfirmed || got.PayStatus != order.PayStatusPaid || got.TransactionID != "wx-1" {
			t.Fatalf("after payment:\n got %+v\nsaved %+v", got, saved)
		}
		if log := allAlerts(t, s); len(log) != 1 || !log[0].Equal(*stored) {
			t.Fatalf("alert log = %+v, want just %+v", log, *stored)
		}
	})

	t.Run("an update without an alert appends none", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		confirmPayment(t, s, o.ID, "wx-1")
		saved, a, err := s.Orders.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
			return nil, o.Confirm()
		})
		if err != nil || a != nil || saved.Status != order.StatusConfirmed {
			t.Fatalf("Update(confirm) = %+v, %v, %v", saved, a, err)
		}
		if got := get(t, s, o.ID); got.Status != order.StatusConfirmed {
			t.Fatalf("status after confirm = %d", got.Status)
		}
		if log := allAlerts(t, s); len(log) != 1 {
			t.Fatalf("alert log has %d alerts, want the payment's only", len(log))
		}
	})

	t.Run("an update keeps the prepay, and its expiry to the second", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		p := order.Prepay{ID: "wx201410272009395522657a690389285100", ExpiresAt: baseTime.Add(15 * time.Minute)}
		if _, _, err := s.Orders.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
			o.Prepay = p
			return nil, nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := get(t, s, o.ID); got.Prepay.ID != p.ID || !got.Prepay.ExpiresAt.Equal(p.ExpiresAt) {
			t.Fatalf("prepay read back = %+v, want %+v", got.Prepay, p)
		}
	})
	t.Run("a failing change writes nothing", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		refused := errors.New("refused")
		_, _, err := s.Orders.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
			o.Status, o.Remark = order.StatusCancelled, "changed"
			a := alert.NewOrder(o.ShopID, o.ID, o.Number, baseTime)
			return &a, refused
		})
		if !errors.Is(err, refused) {
			t.Fatalf("Update = %v, want the change's error", err)
		}
		assertUntouched(t, s, o)
	})

	t.Run("rollback: an alert the log refuses undoes the order change", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		_, _, err := s.Orders.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
			if _, err := o.ConfirmPayment(order.Payment{At: baseTime}); err != nil {
				return nil, err
			}
			bad := alert.NewOrder(o.ShopID, o.ID, o.Number, baseTime)
			bad.ShopID = 0 // the log accepts alerts of a shop only: the insert fails after the order's update
			return &bad, nil
		})
		if err == nil {
			t.Fatal("Update with an invalid alert succeeded")
		}
		assertUntouched(t, s, o)
	})

	t.Run("rollback: a panicking change writes nothing and the store stays usable", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		func() {
			defer func() {
				if recover() == nil {
					t.Error("the change's panic did not reach the caller")
				}
			}()
			_, _, _ = s.Orders.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
				o.Status = order.StatusCancelled
				panic("boom")
			})
		}()
		assertUntouched(t, s, o)
		confirmPayment(t, s, o.ID, "wx-after-panic")
	})

	t.Run("race: 50 concurrent confirmations of one payment give one transition and one alert", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		stores := []Store{open(), open()}
		o := add(t, stores[0], newOrder(7))
		const callers = 50
		var (
			wg          sync.WaitGroup
			mu          sync.Mutex
			transitions int
			failures    []error
		)
		for i := range callers {
			wg.Go(func() {
				_, a, err := stores[i%2].Orders.Update(t.Context(), application.ByNumber(o.Number), payOnce)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failures = append(failures, err)
				}
				if a != nil {
					transitions++
				}
			})
		}
		wg.Wait()
		if len(failures) > 0 || transitions != 1 {
			t.Fatalf("%d transitions (want 1), errors: %v", transitions, failures)
		}
		if log := allAlerts(t, stores[1]); len(log) != 1 {
			t.Fatalf("alert log has %d alerts, want 1", len(log))
		}
	})
}

// payOnce is ConfirmPayment's change: it appends an alert only for the call that pays.
func payOnce(o *order.Order) (*alert.Alert, error) {
	changed, err := o.ConfirmPayment(order.Payment{Method: order.PayMethodWeChat, TransactionID: "wx", At: baseTime})
	if err != nil || !changed {
		return nil, err
	}
	a := alert.NewOrder(o.ShopID, o.ID, o.Number, baseTime)
	return &a, nil
}

func confirmPayment(t *testing.T, s Store, id int64, transactionID string) (order.Order, *alert.Alert) {
	t.Helper()
	saved, a, err := s.Orders.Update(t.Context(), application.ByID(id), func(o *order.Order) (*alert.Alert, error) {
		if _, err := o.ConfirmPayment(order.Payment{TransactionID: transactionID, At: baseTime.Add(time.Minute)}); err != nil {
			return nil, err
		}
		a := alert.NewOrder(o.ShopID, o.ID, o.Number, baseTime)
		return &a, nil
	})
	if err != nil {
		t.Fatalf("confirm payment of order %d: %v", id, err)
	}
	return saved, a
}

func assertUntouched(t *testing.T, s Store, want order.Order) {
	t.Helper()
	if got := get(t, s, want.ID); !got.Equal(want) {
		t.Fatalf("order changed:\n got %+v\nwant %+v", got, want)
	}
	if log := allAlerts(t, s); len(log) != 0 {
		t.Fatalf("alerts appended: %+v", log)
	}
}

func allAlerts(t *testing.T, s Store) []alert.Alert {
	t.Helper()
	all, err := s.Alerts.After(t.Context(), application.EveryAlert(), 0, 100_000)
	if err != nil {
		t.Fatalf("After(0): %v", err)
	}
	return all
}
