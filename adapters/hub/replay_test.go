package hub_test

import (
	"log/slog"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// TestResumeAfterEverythingWasPrunedIsNotAResync: when retention has emptied the log, a
// dashboard resuming from the last id it saw is up to date, not ahead of the server (4010); one
// beyond the last id ever assigned still is.
func TestResumeAfterEverythingWasPrunedIsNotAResync(t *testing.T) {
	f := newFixture(t)
	var last int64
	for range 5 {
		last = f.ring(t)
	}
	if n, err := f.store.Prune(t.Context(), time.Now().Add(time.Hour)); err != nil || n != 5 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	current, ahead := &fakeSocket{}, &fakeSocket{}
	beyond := last + 1
	handlers := []attached{
		f.attach(t, current, application.DashboardOptions{Shops: shop.Everything(), SID: "current", LastAlertID: &last}),
		f.attach(t, ahead, application.DashboardOptions{Shops: shop.Everything(), SID: "ahead", LastAlertID: &beyond}),
	}
	eventually(t, "the socket ahead closed with 4010", func() bool { return ahead.closeCode() == 4010 })
	handlers[1].detach()
	eventually(t, "the other one registered alone", func() bool { return f.hub.Len() == 1 })
	next := f.ring(t)
	eventually(t, "the next alert delivered or the socket closed", func() bool { return len(current.ids()) == 1 || current.closeCode() != 0 })
	if ids, code := current.ids(), current.closeCode(); len(ids) != 1 || ids[0] != next || code != 0 {
		t.Fatalf("the up-to-date socket got %v and close %d, want [%d] and no close", ids, code, next)
	}
	f.stop(t, handlers[0])
}

// TestLiveAlertsDuringALongReplayDoNotCountAgainstTheQueueLimit: with a queue limit of 8, a
// socket replays 500 alerts in pages of 7 while two live alerts are created during each of its
// writes. It gets all 500 and then the live ones, in order and once each, and is never closed
// as slow: a child that read its whole backlog before its mailbox would hold ~140 live frames.
func TestLiveAlertsDuringALongReplayDoNotCountAgainstTheQueueLimit(t *testing.T) {
	store := memory.NewStore(time.Now)
	o, err := store.Add(t.Context(), order.Order{Number: "n-1", ShopID: 1, Status: order.StatusPendingPayment, UserID: 7, Amount: 100, PayMethod: 1})
	if err != nil {
		t.Fatal(err)
	}
	const backlog, live = 500, 140
	for range backlog {
		ringQuietly(t, store, o) // stored before the hub starts: its feed begins after them
	}
	h := hub.New(hub.Config{PingInterval: time.Hour, QueueLimit: 8, ReplayPageSize: 7, FeedInterval: time.Hour},
		store, slog.New(slog.DiscardHandler))
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	f := &fixture{hub: h, store: store, order: o}
	var rung atomic.Int64
	s := &hookedSocket{onSend: func() {
		for range 2 {
			if rung.Load() < live {
				rung.Add(1)
				f.hub.Committed(ringQuietly(t, store, o))
			}
		}
		time.Sleep(time.Millisecond) // the write takes a while: the live frames arrive meanwhile
	}}
	zero := int64(0)
	detach, err := h.Attach(s, application.DashboardOptions{Shops: shop.Everything(), SID: "resumer", LastAlertID: &zero})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "every alert delivered", func() bool { return len(s.ids()) >= backlog+live || s.closeCode() != 0 })
	if code := s.closeCode(); code != 0 {
		t.Fatalf("closed with %d after %d frames", code, len(s.ids()))
	}
	all, err := store.After(t.Context(), application.EveryAlert(), 0, backlog+live+1)
	if err != nil {
		t.Fatal(err)
	}
	var want []int64
	for _, a := range all {
		want = append(want, a.ID)
	}
	if got := s.ids(); !slices.Equal(got, want) {
		t.Fatalf("got %d ids, want %d, first difference at %d", len(got), len(want), firstDiff(got, want))
	}
	f.stop(t, attached{socket: &s.fakeSocket, detach: detach})
}

// hookedSocket calls onSend at the start of every write, from the writing actor.
type hookedSocket struct {
	fakeSocket
	onSend func()
}

func (s *hookedSocket) Send(frames ...[]byte) error {
	s.onSend()
	return s.fakeSocket.Send(frames...)
}

// ringQuietly appends an alert from any goroutine.
func ringQuietly(t *testing.T, store *memory.Store, o order.Order) alert.Alert {
	_, a, err := store.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
		n := alert.NewOrder(o.ShopID, o.ID, o.Number, time.Now())
		return &n, nil
	})
	if err != nil {
		t.Error(err)
		return alert.Alert{}
	}
	return *a
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
