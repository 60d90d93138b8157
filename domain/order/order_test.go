package order_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/order"
)

var now = time.Date(2026, 11, 27, 6, 23, 13, 0, time.UTC)

func pending(t *testing.T) order.Order {
	t.Helper()
	o, err := order.New(order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1250}, "1764224593000123", now)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	valid := order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1}
	cases := map[string]func(d *order.Draft){
		"no user":         func(d *order.Draft) { d.UserID = 0 },
		"zero amount":     func(d *order.Draft) { d.Amount = 0 },
		"negative amount": func(d *order.Draft) { d.Amount = -100 },
		"amount over max": func(d *order.Draft) { d.Amount = order.MaxAmount + 1 },
		"unknown pay way": func(d *order.Draft) { d.PayMethod = 3 },
		"missing pay way": func(d *order.Draft) { d.PayMethod = 0 },
		"remark too long": func(d *order.Draft) { d.Remark = strings.Repeat("辣", 101) },
		"NUL in a remark": func(d *order.Draft) { d.Remark = "少放\x00辣" },
		"invalid UTF-8":   func(d *order.Draft) { d.Address = "\xff\xfe" },
		"phone too long":  func(d *order.Draft) { d.Phone = strings.Repeat("1", 33) },
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := valid
			breakIt(&d)
			if _, err := order.New(d, "1", now); !errors.Is(err, order.ErrInvalid) {
				t.Fatalf("New = %v, want ErrInvalid", err)
			}
		})
	}
	o, err := order.New(valid, "1", now)
	if err != nil || o.Status != order.StatusPendingPayment || o.PayStatus != order.PayStatusUnpaid || !o.OrderTime.Equal(now) {
		t.Fatalf("New(valid) = %+v, %v", o, err)
	}
}

func TestConfirmPayment(t *testing.T) {
	t.Parallel()
	pay := order.Payment{Method: order.PayMethodAlipay, TransactionID: "4200001", At: now.Add(time.Minute)}

	t.Run("pending order becomes paid and due", func(t *testing.T) {
		t.Parallel()
		o := pending(t)
		changed, err := o.ConfirmPayment(pay)
		if err != nil || !changed {
			t.Fatalf("ConfirmPayment = %v, %v", changed, err)
		}
		if o.Status != order.StatusToBeConfirmed || o.PayStatus != order.PayStatusPaid ||
			!o.CheckoutTime.Equal(pay.At) || o.TransactionID != "4200001" || o.PayMethod != order.PayMethodAlipay {
			t.Fatalf("after payment: %+v", o)
		}
	})
	t.Run("a repeated callback changes nothing", func(t *testing.T) {
		t.Parallel()
		o := pending(t)
		if _, err := o.ConfirmPayment(pay); err != nil {
			t.Fatal(err)
		}
		before := o
		changed, err := o.ConfirmPayment(order.Payment{TransactionID: "other", At: now.Add(time.Hour)})
		if err != nil || changed || !o.Equal(before) {
			t.Fatalf("second ConfirmPayment = %v, %v; order %+v", changed, err, o)
		}
	})
	for _, s := range []order.Status{order.StatusCancelled, order.StatusCompleted} {
		t.Run("refused in status "+s.String(), func(t *testing.T) {
			t.Parallel()
			o := pending(t)
			o.Status = s
			before := o
			if _, err := o.ConfirmPayment(pay); !errors.Is(err, order.ErrStatus) || !o.Equal(before) {
				t.Fatalf("ConfirmPayment = %v, order %+v", err, o)
			}
		})
	}
}

func TestConfirm(t *testing.T) {
	t.Parallel()
	o := pending(t)
	if err := o.Confirm(); !errors.Is(err, order.ErrStatus) {
		t.Fatalf("Confirm unpaid = %v, want ErrStatus", err)
	}
	if _, err := o.ConfirmPayment(order.Payment{At: now}); err != nil {
		t.Fatal(err)
	}
	if err := o.Confirm(); err != nil || o.Status != order.StatusConfirmed {
		t.Fatalf("Confirm paid = %v, status %d", err, o.Status)
	}
	if err := o.Confirm(); !errors.Is(err, order.ErrStatus) {
		t.Fatalf("Confirm twice = %v, want ErrStatus", err)
	}
}

func TestCheckReminder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status order.Status
		user   int64
		want   error
	}{
		{order.StatusPendingPayment, 7, order.ErrStatus},
		{order.StatusToBeConfirmed, 7, nil},
		{order.StatusConfirmed, 7, nil},
		{order.StatusDeliveryInProgress, 7, nil},
		{order.StatusCompleted, 7, order.ErrStatus},
		{order.StatusCancelled, 7, order.ErrStatus},
		{order.StatusToBeConfirmed, 8, order.ErrNotFound},
		{order.StatusPendingPayment, 8, order.ErrNotFound}, // ownership first: reveal nothing
	}
	for _, c := range cases {
		t.Run(c.status.String(), func(t *testing.T) {
			t.Parallel()
			o := pending(t)
			o.Status = c.status
			err := o.CheckReminder(c.user)
			if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
				t.Fatalf("CheckReminder(user %d) in status %d = %v, want %v", c.user, c.status, err, c.want)
			}
		})
	}
}

func TestNewNumber(t *testing.T) {
	t.Parallel()
	if got := order.NewNumber(now, 4567); got != "1795760593000567" {
		t.Fatalf("NewNumber = %q", got)
	}
}
