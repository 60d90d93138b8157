package hub_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// ringOf appends an alert of type t for shop and wakes the hub, as a publisher's commit does.
func (f *fixture) ringOf(t testing.TB, shopID int64, typ alert.Type) alert.Alert {
	t.Helper()
	_, a, err := f.store.Update(t.Context(), application.ByID(f.order.ID), func(o *order.Order) (*alert.Alert, error) {
		n := alert.Alert{Type: typ, ShopID: shopID, OrderID: o.ID, OrderNumber: o.Number, Content: alert.Content(o.Number), CreatedAt: time.Now()}
		return &n, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.hub.Committed(*a)
	return *a
}

// TestEverySocketGetsItsShopsAlertsAndNoOthers: sockets of shop employees, of platform staff
// (every shop, or named shops) and with or without ?events=1 take part in 300 alerts of random
// shops and kinds; one more socket resumes in the middle. Each gets exactly the alerts its shops
// and kinds select — the resumer first its backlog, then live — in increasing id order, once.
func TestEverySocketGetsItsShopsAlertsAndNoOthers(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	f := newFixture(t)
	options := map[string]application.DashboardOptions{
		"shop 1's till":            {Shops: shop.Only(1), AdminID: 11},
		"shop 2's till, events":    {Shops: shop.Only(2), AdminID: 12, Events: true},
		"platform wall":            {Shops: shop.Everything(), AdminID: 90},
		"platform wall, events":    {Shops: shop.Everything(), AdminID: 91, Events: true},
		"regional desk for 2, 3":   {Shops: shop.Only(2, 3), AdminID: 92},
		"regional desk, events":    {Shops: shop.Only(3, 4), AdminID: 93, Events: true},
		"a shop without any alert": {Shops: shop.Only(9), AdminID: 94, Events: true},
	}
	sockets := map[string]*fakeSocket{}
	var handlers []attached
	for name, opts := range options {
		opts.SID = "sid"
		sockets[name] = &fakeSocket{}
		handlers = append(handlers, f.attach(t, sockets[name], opts))
	}
	eventually(t, "every socket attached", func() bool { return f.hub.Len() == len(options) })

	kinds := []alert.Type{alert.TypeNewOrder, alert.TypeReminder, 10}
	var rung []alert.Alert
	resumer := application.DashboardOptions{Shops: shop.Only(2), AdminID: 13, SID: "resumer"}
	for i := range 300 {
		rung = append(rung, f.ringOf(t, 1+rng.Int64N(4), kinds[rng.IntN(len(kinds))]))
		if i == 150 {
			from := rung[100].ID
			resumer.LastAlertID = &from
			sockets["resumer"], options["resumer"] = &fakeSocket{}, resumer
			handlers = append(handlers, f.attach(t, sockets["resumer"], resumer))
		}
	}
	for name, s := range sockets {
		var want []int64
		for _, a := range rung {
			opts := options[name]
			if opts.Filter().Admits(a) && (opts.LastAlertID == nil || a.ID > *opts.LastAlertID) {
				want = append(want, a.ID)
			}
		}
		eventually(t, fmt.Sprintf("%s gets its %d alerts", name, len(want)), func() bool { return len(s.ids()) >= len(want) })
		time.Sleep(20 * time.Millisecond) // a frame it should not get would come now
		if got := s.ids(); !slices.Equal(got, want) {
			t.Errorf("%s got %d frames, want %d; first difference at %d", name, len(got), len(want), firstDiff(got, want))
		}
	}
	f.stop(t, handlers...)
}

// TestOtherShopsTrafficNeverFillsAStalledSocketsQueue: with a queue limit of 4, a socket of shop 2
// that is stuck in a write is not closed as slow while shop 1 rings 100 times, nor by a kind it
// did not ask for: those frames never reach its child. Once its write returns, it gets its own
// shop's next alert.
func TestOtherShopsTrafficNeverFillsAStalledSocketsQueue(t *testing.T) {
	f := newFixtureWith(t, hub.Config{PingInterval: time.Hour, QueueLimit: 4, ReplayPageSize: 7, FeedInterval: time.Hour})
	release := make(chan struct{})
	stuck := &hookedSocket{onSend: func() { <-release }}
	detach, err := f.hub.Attach(stuck, application.DashboardOptions{Shops: shop.Only(2), SID: "stuck"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the stuck socket attached", func() bool { return f.hub.Len() == 1 })
	first := f.ringOf(t, 2, alert.TypeNewOrder) // its write blocks until release
	for range 100 {
		f.ringOf(t, 1, alert.TypeNewOrder)
		f.ringOf(t, 2, 10)
	}
	own := f.ringOf(t, 2, alert.TypeReminder)
	time.Sleep(50 * time.Millisecond) // the manager has handled every alert by now, or the socket is closed
	close(release)
	eventually(t, "its own shop's alerts", func() bool { return len(stuck.ids()) >= 2 || stuck.closeCode() != 0 })
	if got, code := stuck.ids(), stuck.closeCode(); !slices.Equal(got, []int64{first.ID, own.ID}) || code != 0 {
		t.Fatalf("the stuck socket got %v and close %d, want [%d %d] and no close", got, code, first.ID, own.ID)
	}
	f.stop(t, attached{socket: &stuck.fakeSocket, detach: detach})
}
