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

// testCooldown is short so that the suite can wait it out; the rule does not depend on its size.
const testCooldown = 500 * time.Millisecond

// Reminders is the suite of application.OrderRepository's Remind: the check and the cooldown,
// across instances.
func Reminders(t *testing.T, backend Backend) {
	t.Run("a reminder appends its alert", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := paidOrder(t, s)
		a, err := s.Orders.Remind(t.Context(), o.ID, testCooldown, remindAs(7))
		if err != nil {
			t.Fatal(err)
		}
		if a.ID <= 0 || a.Type != alert.TypeReminder || a.OrderID != o.ID || a.Content != "订单号:"+o.Number {
			t.Fatalf("reminder alert = %+v", a)
		}
		if log := allAlerts(t, s); len(log) != 2 || !log[1].Equal(a) {
			t.Fatalf("alert log = %+v, want the payment's and %+v", log, a)
		}
		if got := get(t, s, o.ID); got.LastRemindedAt.IsZero() {
			t.Fatal("last_reminded_at not set")
		}
	})

	t.Run("a refused check claims nothing", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := paidOrder(t, s)
		if _, err := s.Orders.Remind(t.Context(), o.ID, testCooldown, remindAs(8)); !errors.Is(err, order.ErrNotFound) {
			t.Fatalf("Remind as another user = %v, want ErrNotFound", err)
		}
		if _, err := s.Orders.Remind(t.Context(), o.ID, testCooldown, remindAs(7)); err != nil {
			t.Fatalf("the owner's reminder after a refused one: %v", err)
		}
		if _, err := s.Orders.Remind(t.Context(), 987654, testCooldown, remindAs(7)); !errors.Is(err, order.ErrNotFound) {
			t.Fatalf("Remind(unknown) = %v, want ErrNotFound", err)
		}
	})

	t.Run("the cooldown holds across two instances and ends", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		a, b := open(), open()
		o := paidOrder(t, a)
		if _, err := a.Orders.Remind(t.Context(), o.ID, testCooldown, remindAs(7)); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Orders.Remind(t.Context(), o.ID, testCooldown, remindAs(7)); !errors.Is(err, order.ErrReminderTooFrequent) {
			t.Fatalf("second reminder on the other instance = %v, want ErrReminderTooFrequent", err)
		}
		if log := allAlerts(t, b); len(log) != 2 {
			t.Fatalf("alert log has %d alerts, want payment + one reminder", len(log))
		}
		time.Sleep(testCooldown + 100*time.Millisecond)
		if _, err := b.Orders.Remind(t.Context(), o.ID, testCooldown, remindAs(7)); err != nil {
			t.Fatalf("reminder after the cooldown: %v", err)
		}
	})

	t.Run("race: 50 concurrent reminders on two instances give one alert", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		stores := []Store{open(), open()}
		o := paidOrder(t, stores[0])
		var (
			wg                 sync.WaitGroup
			mu                 sync.Mutex
			succeeded, tooSoon int
			unexpected         []error
		)
		for i := range 50 {
			wg.Go(func() {
				_, err := stores[i%2].Orders.Remind(t.Context(), o.ID, time.Hour, remindAs(7))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					succeeded++
				case errors.Is(err, order.ErrReminderTooFrequent):
					tooSoon++
				default:
					unexpected = append(unexpected, err)
				}
			})
		}
		wg.Wait()
		if succeeded != 1 || tooSoon != 49 || len(unexpected) > 0 {
			t.Fatalf("%d succeeded, %d too frequent (want 1 and 49); errors: %v", succeeded, tooSoon, unexpected)
		}
		if log := allAlerts(t, stores[1]); len(log) != 2 {
			t.Fatalf("alert log has %d alerts, want payment + one reminder", len(log))
		}
	})
}

// paidOrder is an order of customer 7, paid.
func paidOrder(t *testing.T, s Store) order.Order {
	t.Helper()
	o := add(t, s, newOrder(7))
	saved, _ := confirmPayment(t, s, o.ID, "wx")
	return saved
}

// remindAs is RemindOrder's check for the customer userID.
func remindAs(userID int64) application.ReminderCheck {
	return func(o order.Order) (alert.Alert, error) {
		if err := o.CheckReminder(userID); err != nil {
			return alert.Alert{}, err
		}
		return alert.Reminder(o.ShopID, o.ID, o.Number, baseTime), nil
	}
}
