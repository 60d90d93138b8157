package alert_test

import (
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
)

func TestOnlyANewOrderListsItems(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	items := []alert.Item{{Name: "宫保鸡丁", Number: 2, Amount: 1800}}
	a := alert.NewOrder(3, 45, "1732699999123", at, items...)
	if len(a.Items) != 1 || a.Items[0] != items[0] {
		t.Fatalf("NewOrder with items: %+v", a.Items)
	}
	items[0].Name = "changed by the caller"
	if a.Items[0].Name != "宫保鸡丁" {
		t.Fatal("the alert shares the caller's slice")
	}
	if none := alert.NewOrder(3, 45, "1", at, []alert.Item{}...); none.Items != nil {
		t.Fatalf("NewOrder with an empty list: Items = %#v, want nil", none.Items)
	}
	a.ID = 9
	if ev := alert.AckEvent(a, alert.Ack{At: at}); ev.Items != nil {
		t.Fatalf("an ack event carries items: %+v", ev.Items)
	}
	if r := alert.Reminder(3, 45, "1", at); r.Items != nil {
		t.Fatalf("a reminder carries items: %+v", r.Items)
	}
}

func TestEqualComparesItemsAndAcks(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	a := alert.NewOrder(3, 45, "1", at, alert.Item{Name: "米饭", Number: 1, Amount: 200})
	same := alert.NewOrder(3, 45, "1", at, alert.Item{Name: "米饭", Number: 1, Amount: 200})
	b := alert.NewOrder(3, 45, "1", at, alert.Item{Name: "米饭", Number: 2, Amount: 200})
	if !a.Equal(same) || a.Equal(b) {
		t.Fatalf("a.Equal(same) = %v, a.Equal(b) = %v", a.Equal(same), a.Equal(b))
	}
	acked, ackedToo := a, a
	acked.Ack, ackedToo.Ack = &alert.Ack{AlertID: 1, At: at}, &alert.Ack{AlertID: 1, At: at}
	if !acked.Equal(ackedToo) || acked.Equal(a) {
		t.Fatal("acks are not compared by what they hold")
	}
}
