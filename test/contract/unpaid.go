package contract

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/order"
)

// UnpaidOrders is the suite of application.UnpaidOrders. Orders are placed at baseTime, long
// ago by every store's clock: a timeout of a minute has passed for them, one of ten years not.
func UnpaidOrders(t *testing.T, backend Backend) {
	t.Run("the unpaid orders past the timeout are claimed, oldest first, once per lease", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		a, b := add(t, s, newOrder(7)), add(t, s, newOrder(8))
		paid := add(t, s, newOrder(9))
		confirmPayment(t, s, paid.ID, "wx-1")
		if got := claimUnpaid(t, s, 10*365*24*time.Hour, time.Minute); len(got) != 0 {
			t.Fatalf("claimed %v before the timeout", got)
		}
		if got := claimUnpaid(t, s, time.Minute, 300*time.Millisecond); !slices.Equal(got, []int64{a.ID, b.ID}) {
			t.Fatalf("claimed %v, want the two unpaid %v", got, []int64{a.ID, b.ID})
		}
		if got := claimUnpaid(t, s, time.Minute, time.Minute); len(got) != 0 {
			t.Fatalf("claimed %v while another instance's lease holds them", got)
		}
		time.Sleep(400 * time.Millisecond) // that instance died: its lease runs out
		if got := claimUnpaid(t, s, time.Minute, time.Minute); !slices.Equal(got, []int64{a.ID, b.ID}) {
			t.Fatalf("after the lease: %v, want both again", got)
		}
	})
	t.Run("race: 4 instances claiming at once share 20 orders, each claimed once", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		seed := open()
		for i := range 20 {
			add(t, seed, newOrder(int64(100+i)))
		}
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			claims = map[int64]int{}
		)
		for range 4 {
			s := open()
			wg.Go(func() {
				for range 5 {
					got, err := s.Unpaid.ClaimUnpaid(t.Context(), time.Minute, time.Minute, 3)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					for _, o := range got {
						claims[o.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(claims) != 20 {
			t.Fatalf("%d of 20 orders claimed", len(claims))
		}
		for id, n := range claims {
			if n != 1 {
				t.Errorf("order %d claimed %d times", id, n)
			}
		}
	})
}

func claimUnpaid(t *testing.T, s Store, timeout, lease time.Duration) []int64 {
	t.Helper()
	got, err := s.Unpaid.ClaimUnpaid(t.Context(), timeout, lease, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, o := range got {
		if o.Status != order.StatusPendingPayment {
			t.Fatalf("claimed order %d in status %d", o.ID, o.Status)
		}
		ids = append(ids, o.ID)
	}
	return ids
}
