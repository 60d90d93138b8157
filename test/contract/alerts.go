package contract

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// AlertLog is the suite of application.AlertLog, including the guarantee dashboards rely on when
// they resume: ids become visible in id order.
func AlertLog(t *testing.T, backend Backend) {
	t.Run("After and Latest page through the log in id order", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		var ids []int64
		for range 5 {
			ids = append(ids, appendAlert(t, s, o).ID)
		}
		if !slices.IsSorted(ids) || slices.Compact(slices.Clone(ids))[4] != ids[4] {
			t.Fatalf("ids %v are not increasing", ids)
		}
		cases := []struct {
			name string
			read func() ([]alert.Alert, error)
			want []int64
		}{
			{"After(0, 2)", func() ([]alert.Alert, error) { return s.Alerts.After(t.Context(), application.EveryAlert(), 0, 2) }, ids[:2]},
			{"After(second, 10)", func() ([]alert.Alert, error) {
				return s.Alerts.After(t.Context(), application.EveryAlert(), ids[1], 10)
			}, ids[2:]},
			{"After(last, 10)", func() ([]alert.Alert, error) {
				return s.Alerts.After(t.Context(), application.EveryAlert(), ids[4], 10)
			}, nil},
			{"Latest(2)", func() ([]alert.Alert, error) { return s.Alerts.Latest(t.Context(), application.EveryAlert(), 2) }, ids[3:]},
			{"Latest(100)", func() ([]alert.Alert, error) { return s.Alerts.Latest(t.Context(), application.EveryAlert(), 100) }, ids},
		}
		for _, c := range cases {
			got, err := c.read()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if gotIDs := idsOf(got); !slices.Equal(gotIDs, c.want) {
				t.Errorf("%s = %v, want %v", c.name, gotIDs, c.want)
			}
			for _, a := range got {
				if a.OrderID != o.ID || a.OrderNumber != o.Number || a.Content != "订单号:"+o.Number || a.Type != alert.TypeNewOrder {
					t.Errorf("%s returned %+v", c.name, a)
				}
			}
		}
	})

	t.Run("the payment's alert carries the order's items through every read and into its frame", func(t *testing.T) {
		t.Parallel()
		testPaymentAlertCarriesItems(t, backend(t)())
	})

	t.Run("an empty log reads empty", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		for _, read := range []func() ([]alert.Alert, error){
			func() ([]alert.Alert, error) { return s.Alerts.After(t.Context(), application.EveryAlert(), 0, 10) },
			func() ([]alert.Alert, error) { return s.Alerts.Latest(t.Context(), application.EveryAlert(), 10) },
		} {
			if got, err := read(); err != nil || len(got) != 0 {
				t.Fatalf("read of an empty log = %v, %v", got, err)
			}
		}
	})

	t.Run("race: a reader resuming after its last id never skips or repeats one while 8 writers append", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		const writers, perWriter = 8, 25
		reader := open()
		var (
			wg      sync.WaitGroup
			written atomic.Int64
		)
		for w := range writers {
			s := open() // each writer has its own instance, as on several servers
			o := add(t, s, newOrder(int64(100+w)))
			wg.Go(func() {
				for range perWriter {
					appendAlert(t, s, o)
					written.Add(1)
				}
			})
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()

		seen := resumeUntilDone(t, reader, done, 7)
		all := idsOf(allAlerts(t, reader))
		if len(all) != writers*perWriter || written.Load() != writers*perWriter {
			t.Fatalf("log holds %d alerts, %d written, want %d", len(all), written.Load(), writers*perWriter)
		}
		if !slices.Equal(seen, all) {
			t.Fatalf("the resuming reader saw %d ids, the log holds %d: skipped %v", len(seen), len(all), missing(all, seen))
		}
	})
}

// resumeUntilDone reads the log as a resuming dashboard does — after the last id it saw, page
// by page — until done is closed and one more pass finds nothing, and returns the ids it saw.
func resumeUntilDone(t *testing.T, reader Store, done <-chan struct{}, page int) []int64 {
	t.Helper()
	var seen []int64
	cursor, finished := int64(0), false
	for {
		rows, err := reader.Alerts.After(t.Context(), application.EveryAlert(), cursor, page)
		if err != nil {
			t.Fatalf("After(%d): %v", cursor, err)
		}
		for _, a := range rows {
			if a.ID <= cursor {
				t.Fatalf("After(%d) returned id %d", cursor, a.ID)
			}
			seen = append(seen, a.ID)
			cursor = a.ID
		}
		if finished && len(rows) == 0 {
			return seen
		}
		select {
		case <-done:
			finished = true // one more pass drains what committed last
		default:
		}
	}
}

// appendAlert appends a new-order alert for o through an update that leaves o as it is.
func appendAlert(t *testing.T, s Store, o order.Order) alert.Alert {
	t.Helper()
	_, a, err := s.Orders.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
		a := alert.NewOrder(o.ShopID, o.ID, o.Number, baseTime)
		return &a, nil
	})
	if err != nil || a == nil {
		t.Errorf("append an alert for order %d: %v", o.ID, err)
		return alert.Alert{}
	}
	return *a
}

func idsOf(alerts []alert.Alert) []int64 {
	var ids []int64
	for _, a := range alerts {
		ids = append(ids, a.ID)
	}
	return ids
}

func missing(all, seen []int64) []int64 {
	var gone []int64
	for _, id := range all {
		if !slices.Contains(seen, id) {
			gone = append(gone, id)
		}
	}
	return gone
}
