package load

import (
	"testing"
	"time"
)

func TestOrderIDFindsTheIDInAnyFrame(t *testing.T) {
	t.Parallel()
	cases := map[string]int64{
		`{"id":3,"type":1,"orderId":45,"orderNumber":"1","content":"订单号:1"}`: 45,
		`{"type":1,"orderId":7,"content":"订单号:9"}`:                           7,
	}
	for frame, want := range cases {
		if got, ok := orderID([]byte(frame)); !ok || got != want {
			t.Errorf("orderID(%s) = %d, %v; want %d", frame, got, ok, want)
		}
	}
	if _, ok := orderID([]byte(`{"type":0}`)); ok {
		t.Error("a heartbeat has no order id")
	}
}

func TestTallyCountsLostAndDuplicatedFrames(t *testing.T) {
	t.Parallel()
	now := time.Now()
	sent := map[int64]time.Time{1: now, 2: now, 3: now}
	full := &socket{closed: make(chan struct{}), receipts: []receipt{{1, now.Add(time.Millisecond)}, {2, now.Add(2 * time.Millisecond)}, {3, now.Add(3 * time.Millisecond)}}}
	gappy := &socket{closed: make(chan struct{}), receipts: []receipt{{1, now.Add(time.Millisecond)}, {1, now.Add(time.Millisecond)}, {3, now.Add(9 * time.Millisecond)}}}
	for _, s := range []*socket{full, gappy} {
		close(s.closed)
		s.conn = nil
	}
	var res Result
	tallyReceipts(&res, []*socket{full, gappy}, sent, nil)
	if res.Expected != 6 || res.Received != 5 || res.Lost != 1 || res.Duplicated != 1 || res.E2EMax != 9 {
		t.Fatalf("tally = %+v", res)
	}
}

func TestTallyOwesASocketItsShopsAlertsOnly(t *testing.T) {
	t.Parallel()
	now := time.Now()
	sent := map[int64]time.Time{1: now, 2: now, 3: now}
	shopOf := map[int64]int64{1: 10, 2: 20, 3: 10}
	own := &socket{shop: 10, receipts: []receipt{{1, now}, {3, now}}}
	leaky := &socket{shop: 20, receipts: []receipt{{1, now}, {2, now}}}
	short := &socket{shop: 10, receipts: []receipt{{3, now}}}
	var res Result
	tallyReceipts(&res, []*socket{own, leaky, short}, sent, shopOf)
	if res.Expected != 5 || res.Received != 4 || res.Lost != 1 || res.Foreign != 1 || res.Duplicated != 0 {
		t.Fatalf("tally = %+v, want 5 expected, 4 received, 1 lost, 1 foreign", res)
	}
}
