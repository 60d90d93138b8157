package alert_test

import (
	"errors"
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
)

func TestContentIsTheOriginalText(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	a := alert.NewOrder(3, 45, "1732699999123", at)
	if a.Type != 1 || a.ShopID != 3 || a.OrderID != 45 || a.Content != "订单号:1732699999123" || !a.CreatedAt.Equal(at) {
		t.Fatalf("NewOrder = %+v", a)
	}
	r := alert.Reminder(3, 45, "1732699999123", at)
	if r.Type != 2 || r.ShopID != 3 || r.Content != "订单号:1732699999123" {
		t.Fatalf("Reminder = %+v", r)
	}
	if alert.Type(0).Builtin() || alert.Type(3).Builtin() || !alert.TypeReminder.Builtin() || !alert.TypeNewOrder.Builtin() {
		t.Fatal("Type.Builtin disagrees with the two built-in kinds")
	}
}

func TestKindTemplates(t *testing.T) {
	t.Parallel()
	k, err := alert.NewKind(10, "客房服务", "", "客房服务，房间{orderNumber}：{content}", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := k.Content("1203"); got != "订单号:1203" {
		t.Fatalf("default content template gives %q", got)
	}
	if got := k.Speech("1203", "加两条毛巾"); got != "客房服务，房间1203：加两条毛巾" {
		t.Fatalf("Speech = %q", got)
	}
}

func TestNewKindRefusesWhatBreaksARule(t *testing.T) {
	t.Parallel()
	long := string(make([]rune, 33))
	for name, tc := range map[string]struct {
		code         alert.Type
		name, speech string
	}{
		"built-in code": {1, "来单", "x"},
		"code too high": {100, "x", "x"},
		"code zero":     {0, "x", "x"},
		"empty name":    {10, "", "x"},
		"long name":     {10, long, "x"},
		"empty speech":  {10, "x", ""},
		"NUL in speech": {10, "x", "a\x00b"},
		"invalid UTF-8": {10, "\xff", "x"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := alert.NewKind(tc.code, tc.name, "", tc.speech, time.Now()); !errors.Is(err, alert.ErrInvalidKind) {
				t.Fatalf("NewKind = %v, want ErrInvalidKind", err)
			}
		})
	}
}
