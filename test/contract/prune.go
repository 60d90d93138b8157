package contract

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// Prune is the suite of application.AlertLog's retention: Prune and LastAssignedID. What a
// resuming dashboard relies on is that pruning never lets an id come back and never makes the
// log look younger than the ids its clients have seen.
func Prune(t *testing.T, backend Backend) {
	t.Run("old alerts are removed, recent ones kept with their ids", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		cutoff := baseTime.Add(-72 * time.Hour)
		// Out of time order on purpose: instances' clocks differ, ids follow commits.
		ages := []time.Duration{100 * time.Hour, time.Hour, 80 * time.Hour, 72 * time.Hour, 0, 73 * time.Hour}
		var kept []int64
		for _, age := range ages {
			a := appendAlertAt(t, s, o, baseTime.Add(-age))
			if age <= 72*time.Hour { // an alert created exactly at the cutoff is not before it
				kept = append(kept, a.ID)
			}
		}
		n, err := s.Alerts.Prune(t.Context(), cutoff)
		if err != nil || n != 3 {
			t.Fatalf("Prune = %d, %v; want 3 removed", n, err)
		}
		if got := idsOf(allAlerts(t, s)); !slices.Equal(got, kept) {
			t.Fatalf("after Prune the log holds %v, want %v", got, kept)
		}
		if n, err := s.Alerts.Prune(t.Context(), cutoff); err != nil || n != 0 {
			t.Fatalf("a second Prune = %d, %v; want 0", n, err)
		}
	})

	t.Run("LastAssignedID is 0 on an empty log, then the newest id", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		if id := lastAssigned(t, s); id != 0 {
			t.Fatalf("LastAssignedID of an empty log = %d", id)
		}
		o := add(t, s, newOrder(7))
		var last int64
		for range 3 {
			last = appendAlert(t, s, o).ID
		}
		if id := lastAssigned(t, s); id != last {
			t.Fatalf("LastAssignedID = %d, want the newest id %d", id, last)
		}
	})

	t.Run("after every alert is pruned, ids go on from the last one, on a new instance too", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		s := open()
		o := add(t, s, newOrder(7))
		var pruned []int64
		for range 3 {
			pruned = append(pruned, appendAlertAt(t, s, o, baseTime.Add(-100*time.Hour)).ID)
		}
		if n, err := s.Alerts.Prune(t.Context(), baseTime); err != nil || n != 3 {
			t.Fatalf("Prune = %d, %v; want 3", n, err)
		}
		if all := allAlerts(t, s); len(all) != 0 {
			t.Fatalf("the log still holds %v", idsOf(all))
		}
		newest := pruned[len(pruned)-1]
		// A client that saw the newest pruned id is not ahead of the log: it must resume, not resync.
		again := open() // as after a restart: nothing in the process remembers the ids
		if id := lastAssigned(t, again); id != newest {
			t.Fatalf("LastAssignedID after pruning everything = %d, want %d", id, newest)
		}
		next := appendAlert(t, again, o)
		if next.ID <= newest {
			t.Fatalf("the alert after the prune got id %d, not above the pruned %d: ids are reused", next.ID, newest)
		}
		if got := idsOf(allAlerts(t, s)); !slices.Equal(got, []int64{next.ID}) {
			t.Fatalf("the log holds %v, want [%d]", got, next.ID)
		}
	})

	t.Run("rollback: a cancelled Prune removes nothing", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		o := add(t, s, newOrder(7))
		old := appendAlertAt(t, s, o, baseTime.Add(-100*time.Hour))
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := s.Alerts.Prune(ctx, baseTime); err == nil {
			t.Fatal("Prune with a cancelled context succeeded")
		}
		if got := idsOf(allAlerts(t, s)); !slices.Equal(got, []int64{old.ID}) {
			t.Fatalf("the log holds %v after a cancelled Prune, want [%d]", got, old.ID)
		}
	})

	t.Run("race: 3 instances prune 1,200 alerts at once while 2 writers append", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		s := open()
		o := add(t, s, newOrder(7))
		const old, writers, perWriter = 1200, 2, 20
		appendOld(t, s, o, old)
		before := lastAssigned(t, s)

		var (
			wg      sync.WaitGroup
			removed atomic.Int64
			fresh   = make([][]int64, writers)
		)
		for range 3 {
			p := open()
			wg.Go(func() {
				n, err := p.Alerts.Prune(t.Context(), baseTime.Add(-time.Hour))
				if err != nil {
					t.Errorf("Prune: %v", err)
				}
				removed.Add(n)
			})
		}
		for w := range writers {
			ws := open()
			wg.Go(func() {
				for range perWriter {
					fresh[w] = append(fresh[w], appendAlert(t, ws, o).ID)
				}
			})
		}
		wg.Wait()

		if removed.Load() != old {
			t.Errorf("the prunes removed %d alerts in all, want %d exactly", removed.Load(), old)
		}
		want := slices.Concat(fresh...)
		slices.Sort(want)
		if got := idsOf(allAlerts(t, s)); !slices.Equal(got, want) {
			t.Fatalf("the log holds %d alerts, want the %d appended during the prune", len(got), len(want))
		}
		if want[0] <= before {
			t.Fatalf("an alert appended during the prune got id %d, not above the pruned %d", want[0], before)
		}
	})
}

// appendAlertAt appends a new-order alert for o created at at; it may run on any goroutine.
func appendAlertAt(t *testing.T, s Store, o order.Order, at time.Time) alert.Alert {
	t.Helper()
	_, a, err := s.Orders.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
		a := alert.NewOrder(o.ShopID, o.ID, o.Number, at)
		return &a, nil
	})
	if err != nil || a == nil {
		t.Errorf("append an alert for order %d: %v", o.ID, err)
		return alert.Alert{}
	}
	return *a
}

// appendOld appends n alerts created 100 hours before baseTime, one after the other. It is the
// race's setup, not the race: seeded by four writers at once, SQLite's busy handler (which
// sleeps and retries, with no queue) let one of them wait past busy_timeout when the whole suite
// loaded the machine, and the test failed before its prunes began.
func appendOld(t *testing.T, s Store, o order.Order, n int) {
	t.Helper()
	for range n {
		appendAlertAt(t, s, o, baseTime.Add(-100*time.Hour))
	}
}

func lastAssigned(t *testing.T, s Store) int64 {
	t.Helper()
	id, err := s.Alerts.LastAssignedID(t.Context())
	if err != nil {
		t.Fatalf("LastAssignedID: %v", err)
	}
	return id
}
