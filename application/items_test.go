package application_test

import (
	"slices"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// TestWhatWasOrderedRingsWithTheOrder: the draft's items are stored with the order, and the
// new-order alert of its payment carries a copy — in the commit the feed is told of, in the log
// a dashboard replays — while the reminder that follows carries none.
func TestWhatWasOrderedRingsWithTheOrder(t *testing.T) {
	t.Parallel()
	s := newShop()
	items := []order.Item{{Name: "宫保鸡丁", Number: 2, Amount: 1800}, {Name: "米饭", Number: 2, Amount: 200}}
	o, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 4000, Items: items})
	if err != nil {
		t.Fatal(err)
	}
	if stored, err := s.get.ForUser(t.Context(), o.ID, 7); err != nil || !slices.Equal(stored.Items, items) {
		t.Fatalf("stored items = %+v, %v; want %+v", stored.Items, err, items)
	}
	if _, err := s.pay.Execute(t.Context(), o.Number, order.PayMethodWeChat, "wx-1"); err != nil {
		t.Fatal(err)
	}
	want := []alert.Item{{Name: "宫保鸡丁", Number: 2, Amount: 1800}, {Name: "米饭", Number: 2, Amount: 200}}
	if got := s.broadcast.Recent(); len(got) != 1 || !slices.Equal(got[0].Items, want) {
		t.Fatalf("the committed alert = %+v, want items %+v", got, want)
	}
	s.clock.now = s.clock.now.Add(2 * time.Minute)
	if _, err := s.remind.Execute(t.Context(), o.ID, 7); err != nil {
		t.Fatal(err)
	}
	log, err := s.alerts.Execute(t.Context(), application.AlertQuery{Shops: shop.Everything()})
	if err != nil || len(log) != 2 {
		t.Fatalf("log = %+v, %v", log, err)
	}
	if !slices.Equal(log[0].Items, want) || log[1].Type != alert.TypeReminder || log[1].Items != nil {
		t.Fatalf("log items: new order %+v, reminder %+v", log[0].Items, log[1].Items)
	}
}
