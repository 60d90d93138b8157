package order_test

import (
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/order"
)

// TestAPrepayIsHandedOutUntilItsMargin: a minute before a 15-minute window ends, a tenth of a
// 2-second one, so that a short window (a demo's) can be paid at all.
func TestAPrepayIsHandedOutUntilItsMargin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ timeout, margin time.Duration }{
		{15 * time.Minute, time.Minute}, {10 * time.Minute, time.Minute}, {2 * time.Second, 200 * time.Millisecond},
	} {
		if got := order.PrepayMargin(tc.timeout); got != tc.margin {
			t.Errorf("margin of a %v window = %v, want %v", tc.timeout, got, tc.margin)
		}
		p := order.Prepay{ID: "wx1", ExpiresAt: now.Add(tc.timeout)}
		m := order.PrepayMargin(tc.timeout)
		if !p.Usable(now.Add(tc.timeout-m-time.Millisecond), m) || p.Usable(now.Add(tc.timeout-m), m) {
			t.Errorf("a %v window's prepay is not usable exactly until %v before it expires", tc.timeout, m)
		}
	}
	if (order.Prepay{ExpiresAt: now.Add(time.Hour)}).Usable(now, time.Minute) {
		t.Error("a prepay without an id is usable")
	}
}
