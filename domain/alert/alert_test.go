package alert_test

import (
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
)

func TestContentIsTheOriginalText(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	a := alert.NewOrder(45, "1732699999123", at)
	if a.Type != 1 || a.OrderID != 45 || a.Content != "订单号:1732699999123" || !a.CreatedAt.Equal(at) {
		t.Fatalf("NewOrder = %+v", a)
	}
	r := alert.Reminder(45, "1732699999123", at)
	if r.Type != 2 || r.Content != "订单号:1732699999123" {
		t.Fatalf("Reminder = %+v", r)
	}
	if alert.Type(0).Valid() || alert.Type(3).Valid() || !alert.TypeReminder.Valid() {
		t.Fatal("Type.Valid disagrees with the two known types")
	}
}
