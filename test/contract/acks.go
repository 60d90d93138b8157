package contract

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// Acks is the suite of application.AlertAcker and of OrderRepository.UpdateAndAck.
func Acks(t *testing.T, backend Backend) {
	t.Run("an ack sets the alert's ack and appends its event to the log", func(t *testing.T) { t.Parallel(); testAck(t, backend(t)()) })
	t.Run("the first ack wins and a later one changes nothing", func(t *testing.T) { t.Parallel(); testFirstAckWins(t, backend(t)()) })
	t.Run("another shop's alert, an event and an unknown id are not found", func(t *testing.T) { t.Parallel(); testAckNotFound(t, backend(t)()) })
	t.Run("readers choose events and open alerts", func(t *testing.T) { t.Parallel(); testAckFilters(t, backend(t)()) })
	t.Run("confirming an order acks its own open alerts and no published one", func(t *testing.T) {
		t.Parallel()
		testUpdateAndAck(t, backend(t)())
	})
	t.Run("AckOpen acks one source's open alerts of an order, in the scope", func(t *testing.T) { t.Parallel(); testAckOpen(t, backend(t)()) })
	t.Run("race: 16 acks of one alert on two instances make one ack and one event", func(t *testing.T) {
		t.Parallel()
		testAckRacing(t, backend(t))
	})
	t.Run("race: acks and confirms of alerts of many orders keep ids in commit order", func(t *testing.T) {
		t.Parallel()
		testAcksKeepTheLogOrdered(t, backend(t))
	})
}

func ackBy(id int64, name, sid string) alert.Ack {
	return alert.Ack{By: alert.Actor{ID: id, Name: name}, SID: sid, At: baseTime.Add(90 * time.Second)}
}

func mustAck(t *testing.T, s Store, id int64, scope shop.Scope, ack alert.Ack) application.Acked {
	t.Helper()
	acked, err := s.Acks.Ack(t.Context(), id, scope, ack)
	if err != nil {
		t.Fatalf("Ack(%d): %v", id, err)
	}
	return acked
}

func testAck(t *testing.T, s Store) {
	o := add(t, s, newOrder(7))
	_, a := confirmPayment(t, s, o.ID, "wx-1")
	acked := mustAck(t, s, a.ID, shop.Everything(), ackBy(3, "张三", "front-desk"))
	want := ackBy(3, "张三", "front-desk")
	want.AlertID = a.ID
	if acked.Alert.ID != a.ID || acked.Alert.Ack == nil || *acked.Alert.Ack != want {
		t.Fatalf("Ack answered %+v (ack %+v), want the alert with %+v", acked.Alert, acked.Alert.Ack, want)
	}
	if acked.Event == nil || acked.Event.ID <= a.ID || !acked.Event.IsEvent() || acked.Event.Event != alert.EventAck {
		t.Fatalf("the ack's event = %+v, want an ack event after alert %d", acked.Event, a.ID)
	}
	log := allAlerts(t, s)
	if len(log) != 2 {
		t.Fatalf("the log holds %d rows, want the alert and its event: %+v", len(log), log)
	}
	if got := log[0]; got.Open() || got.Ack == nil || *got.Ack != want {
		t.Fatalf("the alert read back = %+v with ack %+v, want %+v", got, got.Ack, want)
	}
	ev := log[1]
	if ev.ID != acked.Event.ID || ev.Event != alert.EventAck || ev.Type != alert.TypeEvent || ev.ShopID != o.ShopID ||
		ev.OrderID != o.ID || ev.OrderNumber != o.Number || ev.Ack == nil || *ev.Ack != want || !ev.CreatedAt.Equal(want.At) {
		t.Fatalf("the event read back = %+v with ack %+v, want alert %d's ack %+v", ev, ev.Ack, a.ID, want)
	}
}

func testFirstAckWins(t *testing.T, s Store) {
	o := add(t, s, newOrder(7))
	_, a := confirmPayment(t, s, o.ID, "wx-1")
	first := mustAck(t, s, a.ID, shop.Everything(), ackBy(3, "张三", "front-desk"))
	later := ackBy(4, "李四", "kitchen")
	later.At = later.At.Add(time.Minute)
	again := mustAck(t, s, a.ID, shop.Only(o.ShopID), later)
	if again.Event != nil || again.Alert.Ack == nil || *again.Alert.Ack != *first.Alert.Ack {
		t.Fatalf("a second ack = %+v (ack %+v, event %+v), want the first ack %+v and no event", again.Alert, again.Alert.Ack, again.Event, first.Alert.Ack)
	}
	if n := len(allAlerts(t, s)); n != 2 {
		t.Fatalf("the log holds %d rows after two acks, want 2", n)
	}
}

func testAckNotFound(t *testing.T, s Store) {
	o := add(t, s, newOrder(7))
	_, a := confirmPayment(t, s, o.ID, "wx-1")
	if _, err := s.Acks.Ack(t.Context(), a.ID, shop.Only(2), ackBy(3, "张三", "")); !errors.Is(err, alert.ErrNotFound) {
		t.Fatalf("an ack from shop 2 of shop 1's alert = %v, want alert.ErrNotFound", err)
	}
	if n := len(allAlerts(t, s)); n != 1 || !allAlerts(t, s)[0].Open() {
		t.Fatal("the refused ack changed the log")
	}
	ev := mustAck(t, s, a.ID, shop.Only(1), ackBy(3, "张三", "")).Event
	for _, id := range []int64{ev.ID, ev.ID + 100} {
		if _, err := s.Acks.Ack(t.Context(), id, shop.Everything(), ackBy(3, "张三", "")); !errors.Is(err, alert.ErrNotFound) {
			t.Fatalf("an ack of id %d (an event or nothing) = %v, want alert.ErrNotFound", id, err)
		}
	}
}

func testAckFilters(t *testing.T, s Store) {
	o := add(t, s, newOrder(7))
	_, a1 := confirmPayment(t, s, o.ID, "wx-1")
	a2 := appendAlert(t, s, o)
	a3 := appendKind(t, s, o, 10)
	ev := mustAck(t, s, a1.ID, shop.Everything(), ackBy(3, "张三", "")).Event
	read := func(f application.AlertFilter) []int64 {
		t.Helper()
		got, err := s.Alerts.After(t.Context(), f, 0, 100)
		if err != nil {
			t.Fatalf("After(%+v): %v", f, err)
		}
		latest, err := s.Alerts.Latest(t.Context(), f, 100)
		if err != nil || !slices.Equal(idsOf(latest), idsOf(got)) {
			t.Fatalf("Latest(%+v) = %v, %v; After gave %v", f, idsOf(latest), err, idsOf(got))
		}
		return idsOf(got)
	}
	all := shop.Everything()
	for _, c := range []struct {
		name   string
		filter application.AlertFilter
		want   []int64
	}{
		{"original front ends", application.AlertFilter{Shops: all}, []int64{a1.ID, a2.ID}},
		{"history (every kind, no events)", application.AlertFilter{Shops: all, AllKinds: true}, []int64{a1.ID, a2.ID, a3.ID}},
		{"events=1 sockets", application.AlertFilter{Shops: all, AllKinds: true, Events: true}, []int64{a1.ID, a2.ID, a3.ID, ev.ID}},
		{"open alerts", application.AlertFilter{Shops: all, AllKinds: true, OpenOnly: true}, []int64{a2.ID, a3.ID}},
		{"open built-in alerts", application.AlertFilter{Shops: all, OpenOnly: true}, []int64{a2.ID}},
		{"open alerts, events asked too", application.AlertFilter{Shops: all, AllKinds: true, Events: true, OpenOnly: true}, []int64{a2.ID, a3.ID}},
		{"events of another shop", application.AlertFilter{Shops: shop.Only(2), AllKinds: true, Events: true}, nil},
	} {
		if got := read(c.filter); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func testUpdateAndAck(t *testing.T, s Store) {
	o := add(t, s, newOrder(7))
	_, paid := confirmPayment(t, s, o.ID, "wx-1")
	reminder := appendAlert(t, s, o)
	already := appendAlert(t, s, o)
	mustAck(t, s, already.ID, shop.Everything(), ackBy(4, "李四", "kitchen"))
	// An integration's alert naming the same order id is another system's order: not acked.
	foreign, _, err := s.Publisher.Publish(t.Context(), alert.Alert{
		Type: 10, ShopID: o.ShopID, Source: "pms", OrderID: o.ID, OrderNumber: "1208", Content: "加床", CreatedAt: baseTime,
	})
	if err != nil {
		t.Fatal(err)
	}
	saved, acked, err := s.Orders.UpdateAndAck(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
		return nil, o.Confirm()
	}, ackBy(3, "张三", ""))
	if err != nil || saved.Status != order.StatusConfirmed {
		t.Fatalf("UpdateAndAck = %+v, %v", saved, err)
	}
	if got := ackedIDs(acked); !slices.Equal(got, []int64{paid.ID, reminder.ID}) {
		t.Fatalf("UpdateAndAck acked %v, want the open own alerts %v", got, []int64{paid.ID, reminder.ID})
	}
	for _, one := range acked {
		if one.Event == nil || one.Alert.Ack == nil || one.Alert.Ack.By.Name != "张三" || one.Alert.Ack.SID != "" {
			t.Fatalf("acked %+v with ack %+v, event %+v", one.Alert, one.Alert.Ack, one.Event)
		}
	}
	open, err := s.Alerts.After(t.Context(), application.AlertFilter{Shops: shop.Everything(), AllKinds: true, OpenOnly: true}, 0, 10)
	if err != nil || !slices.Equal(idsOf(open), []int64{foreign.ID}) {
		t.Fatalf("open after the confirm: %v, %v; want only the published %d", idsOf(open), err, foreign.ID)
	}
	// A change that fails acks nothing.
	before := len(allAlerts(t, s))
	o2 := add(t, s, newOrder(8))
	_, open2 := confirmPayment(t, s, o2.ID, "wx-2")
	if _, _, err := s.Orders.UpdateAndAck(t.Context(), application.ByID(o2.ID), func(*order.Order) (*alert.Alert, error) {
		return nil, order.ErrStatus
	}, ackBy(3, "张三", "")); !errors.Is(err, order.ErrStatus) {
		t.Fatalf("a failing change = %v, want its error", err)
	}
	if log := allAlerts(t, s); len(log) != before+1 || !log[len(log)-1].Open() || log[len(log)-1].ID != open2.ID {
		t.Fatalf("a failed UpdateAndAck wrote to the log: %+v", log[before:])
	}
}

func testAckOpen(t *testing.T, s Store) {
	pub := func(source string, shopID, orderID int64) alert.Alert {
		a, _, err := s.Publisher.Publish(t.Context(), alert.Alert{
			Type: 10, ShopID: shopID, Source: source, OrderID: orderID, OrderNumber: "1208", Content: "加床", CreatedAt: baseTime,
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	mine1, mine2 := pub("pms", 1, 1208), pub("pms", 1, 1208)
	otherOrder, otherSource, otherShop := pub("pms", 1, 1209), pub("erp", 1, 1208), pub("pms", 2, 1208)
	ack := alert.Ack{By: alert.Actor{Name: "pms"}, At: baseTime.Add(time.Minute)}
	acked, err := s.Acks.AckOpen(t.Context(), application.OpenAlerts{Shops: shop.Only(1), Source: "pms", OrderID: 1208}, ack)
	if err != nil || !slices.Equal(ackedIDs(acked), []int64{mine1.ID, mine2.ID}) {
		t.Fatalf("AckOpen = %v, %v; want %v", ackedIDs(acked), err, []int64{mine1.ID, mine2.ID})
	}
	if by := acked[0].Alert.Ack.By; by.ID != 0 || by.Name != "pms" {
		t.Fatalf("acked by %+v, want the integration pms", by)
	}
	again, err := s.Acks.AckOpen(t.Context(), application.OpenAlerts{Shops: shop.Only(1), Source: "pms", OrderID: 1208}, ack)
	if err != nil || len(again) != 0 {
		t.Fatalf("AckOpen again = %v, %v; want nothing left to ack", ackedIDs(again), err)
	}
	open, err := s.Alerts.After(t.Context(), application.AlertFilter{Shops: shop.Everything(), AllKinds: true, OpenOnly: true}, 0, 10)
	if want := []int64{otherOrder.ID, otherSource.ID, otherShop.ID}; err != nil || !slices.Equal(idsOf(open), want) {
		t.Fatalf("still open: %v, %v; want %v", idsOf(open), err, want)
	}
}

func ackedIDs(acked []application.Acked) []int64 {
	var ids []int64
	for _, a := range acked {
		ids = append(ids, a.Alert.ID)
	}
	return ids
}

func testAckRacing(t *testing.T, open func() Store) {
	stores := []Store{open(), open()}
	o := add(t, stores[0], newOrder(7))
	_, a := confirmPayment(t, stores[0], o.ID, "wx-1")
	const acks = 16
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		answers []alert.Ack
		events  int
		start   = make(chan struct{})
		ready   sync.WaitGroup
	)
	ready.Add(acks)
	for i := range acks {
		wg.Go(func() {
			// A read first opens this goroutine's connection, which the ack then finds idle:
			// the acks start at once and overlap, instead of one per dial.
			if _, err := stores[i%2].Alerts.LastAssignedID(t.Context()); err != nil {
				t.Error(err)
			}
			ready.Done()
			<-start
			acked, err := stores[i%2].Acks.Ack(t.Context(), a.ID, shop.Everything(), ackBy(int64(i+1), fmt.Sprintf("员工%d", i), ""))
			if err != nil {
				t.Errorf("Ack %d: %v", i, err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			answers = append(answers, *acked.Alert.Ack)
			if acked.Event != nil {
				events++
			}
		})
	}
	ready.Wait()
	close(start)
	wg.Wait()
	if events != 1 {
		t.Fatalf("%d of %d racing acks appended an event, want exactly 1", events, acks)
	}
	for _, got := range answers {
		if got != answers[0] {
			t.Fatalf("racing acks answered different acks: %+v and %+v", answers[0], got)
		}
	}
	log := allAlerts(t, stores[1])
	if len(log) != 2 || *log[0].Ack != answers[0] || *log[1].Ack != answers[0] {
		t.Fatalf("the log after the race = %+v, want the alert and one event with the ack %+v", log, answers[0])
	}
}

// testAcksKeepTheLogOrdered: acks take the same ordered path as alerts, so a reader resuming
// after its last id sees every alert and every event once while writers pay and ack at once.
func testAcksKeepTheLogOrdered(t *testing.T, open func() Store) {
	const writers, perWriter = 4, 10
	reader := open()
	var wg sync.WaitGroup
	for w := range writers {
		s := open()
		wg.Go(func() {
			for i := range perWriter {
				o, err := s.Orders.Add(t.Context(), newOrder(int64(200+w)))
				if err != nil {
					t.Errorf("add: %v", err)
					return
				}
				_, a, err := s.Orders.Update(t.Context(), application.ByID(o.ID), payOnce)
				if err != nil || a == nil {
					t.Errorf("pay: %v", err)
					return
				}
				if i%2 == 0 {
					_, err = s.Acks.Ack(t.Context(), a.ID, shop.Everything(), ackBy(1, "张三", ""))
				} else {
					_, _, err = s.Orders.UpdateAndAck(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
						return nil, o.Confirm()
					}, ackBy(1, "张三", ""))
				}
				if err != nil {
					t.Errorf("ack: %v", err)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := resumeUntilDone(t, reader, done, 5)
	all := allAlerts(t, reader)
	if len(all) != 2*writers*perWriter {
		t.Fatalf("the log holds %d rows, want %d alerts and as many events", len(all), 2*writers*perWriter)
	}
	if !slices.Equal(seen, idsOf(all)) {
		t.Fatalf("the resuming reader saw %d ids, the log holds %d: skipped %v", len(seen), len(all), missing(idsOf(all), seen))
	}
	acked := map[int64]bool{}
	for _, a := range all {
		if a.IsEvent() {
			if acked[a.Ack.AlertID] {
				t.Fatalf("alert %d has two events", a.Ack.AlertID)
			}
			acked[a.Ack.AlertID] = true
		}
	}
}
