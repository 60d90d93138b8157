package application_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/adapters/publishrate"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/integration"
	"github.com/orderalert/orderalert/domain/shop"
)

// TestAnAckWakesTheFeedOnceAndTheFirstWins: the first ack is answered, stored and handed to the
// feed and the observer; a second one answers the first, unchanged, and wakes nothing.
func TestAnAckWakesTheFeedOnceAndTheFirstWins(t *testing.T) {
	t.Parallel()
	s := newShop()
	s.paidOrder(t, 7)
	paid := s.broadcast.Recent()[0]
	s.clock.now = paid.CreatedAt.Add(42*time.Second + 999) // sub-microsecond digits are dropped
	first, err := s.ack.Execute(t.Context(), paid.ID, s.adminID, shop.Only(1), "front-desk")
	want := alert.Ack{AlertID: paid.ID, By: alert.Actor{ID: s.adminID, Name: "张三"}, SID: "front-desk", At: paid.CreatedAt.Add(42 * time.Second)}
	if err != nil || first != want {
		t.Fatalf("ack = %+v, %v; want %+v", first, err, want)
	}
	s.clock.now = s.clock.now.Add(time.Minute)
	if again, err := s.ack.Execute(t.Context(), paid.ID, s.adminID, shop.Only(1), "kitchen"); err != nil || again != want {
		t.Fatalf("second ack = %+v, %v; want the first %+v", again, err, want)
	}
	woken := s.broadcast.Recent()
	if len(woken) != 2 || !woken[1].IsEvent() || *woken[1].Ack != want {
		t.Fatalf("the feed was told of %+v, want the alert then one ack event", woken)
	}
	if len(s.acks.acked) != 1 || s.acks.acked[0].ID != paid.ID || s.acks.acked[0].CreatedAt != paid.CreatedAt {
		t.Fatalf("the observer saw %+v, want the one acked alert with its creation time", s.acks.acked)
	}
}

func TestAckRefusals(t *testing.T) {
	t.Parallel()
	s := newShop()
	s.paidOrder(t, 7)
	paid := s.broadcast.Recent()[0]
	if _, err := s.ack.Execute(t.Context(), paid.ID, s.adminID, shop.Only(2), ""); !errors.Is(err, alert.ErrNotFound) {
		t.Fatalf("ack of another shop's alert = %v, want alert.ErrNotFound", err)
	}
	if _, err := s.ack.Execute(t.Context(), paid.ID, s.adminID, shop.Only(1), strings.Repeat("s", 65)); !errors.Is(err, application.ErrInvalidInput) {
		t.Fatalf("ack with a 65-byte sid = %v, want ErrInvalidInput", err)
	}
	if len(s.broadcast.Recent()) != 1 || len(s.acks.acked) != 0 {
		t.Fatal("a refused ack woke the feed or was observed")
	}
}

// TestConfirmingAnOrderAcksItsAlerts: 接单 is handling the order: its payment and reminder
// alerts are acknowledged by the employee, without a screen.
func TestConfirmingAnOrderAcksItsAlerts(t *testing.T) {
	t.Parallel()
	s := newShop()
	o := s.paidOrder(t, 7)
	s.clock.now = s.clock.now.Add(2 * time.Minute)
	if _, err := s.remind.Execute(t.Context(), o.ID, 7); err != nil {
		t.Fatal(err)
	}
	if _, err := s.take.Execute(t.Context(), o.ID, s.adminID, shop.Only(1)); err != nil {
		t.Fatal(err)
	}
	open, err := s.alerts.Execute(t.Context(), application.AlertQuery{Shops: shop.Everything(), OpenOnly: true})
	if err != nil || len(open) != 0 {
		t.Fatalf("open alerts after the confirm: %+v, %v", open, err)
	}
	all, _ := s.alerts.Execute(t.Context(), application.AlertQuery{Shops: shop.Everything()})
	if len(all) != 2 {
		t.Fatalf("the history lists %d rows, want the 2 alerts and no events", len(all))
	}
	for _, a := range all {
		if a.Ack == nil || a.Ack.By.Name != "张三" || a.Ack.SID != "" {
			t.Fatalf("alert %d has ack %+v, want 张三's without a sid", a.ID, a.Ack)
		}
	}
	if events := len(s.broadcast.Recent()) - 2; events != 2 || len(s.acks.acked) != 2 {
		t.Fatalf("the confirm woke the feed for %d events and was observed %d times, want 2 and 2", events, len(s.acks.acked))
	}
}

// TestAnIntegrationAcksWhatItPublished: by idempotency key (its alert, the first ack on a
// repeat) or by order (the open alerts it published for it); never another integration's.
func TestAnIntegrationAcksWhatItPublished(t *testing.T) {
	t.Parallel()
	s := newShop()
	integrations := memory.NewIntegrations()
	shops, kinds := memory.NewShops(s.clock.now), memory.NewKinds(s.clock.now)
	keyOf := func(name string, shopID int64) string {
		_, key, err := application.CreateIntegration{Integrations: integrations, Shops: shops, Clock: s.clock}.Execute(t.Context(), name, shopID)
		if err != nil {
			t.Fatal(err)
		}
		return key
	}
	pms, erp := keyOf("pms", 1), keyOf("erp", 1)
	publish := application.PublishAlert{
		Integrations: integrations, Shops: shops, Kinds: kinds, Alerts: s.store, Feed: s.broadcast, Clock: s.clock,
		Limiter: publishrate.New(1000, time.Second, func() time.Time { return s.clock.now }),
	}
	pub := func(key, idem string, orderID int64) alert.Alert {
		a, _, err := publish.Execute(t.Context(), application.Publication{Key: key, Type: alert.TypeNewOrder, OrderID: orderID, OrderNumber: "R1", IdempotencyKey: idem})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a1, a2, foreign := pub(pms, "k1", 88), pub(pms, "", 88), pub(erp, "k1", 88)
	ack := application.AckPublished{Integrations: integrations, Published: s.store, Acks: s.store, Feed: s.broadcast, Observer: s.acks, Clock: s.clock}
	got, err := ack.Execute(t.Context(), application.PublishedAck{Key: pms, IdempotencyKey: "k1"})
	if err != nil || len(got) != 1 || got[0].AlertID != a1.ID || got[0].By != (alert.Actor{Name: "pms"}) {
		t.Fatalf("ack by key = %+v, %v; want alert %d acked by pms", got, err, a1.ID)
	}
	got, err = ack.Execute(t.Context(), application.PublishedAck{Key: pms, OrderID: 88})
	if err != nil || len(got) != 1 || got[0].AlertID != a2.ID {
		t.Fatalf("ack by order = %+v, %v; want only the still open %d", got, err, a2.ID)
	}
	if _, err := ack.Execute(t.Context(), application.PublishedAck{Key: pms, IdempotencyKey: "nope"}); !errors.Is(err, alert.ErrNotFound) {
		t.Fatalf("an unknown idempotency key = %v, want alert.ErrNotFound", err)
	}
	if _, err := ack.Execute(t.Context(), application.PublishedAck{Key: pms, IdempotencyKey: "k1", OrderID: 88}); !errors.Is(err, application.ErrInvalidInput) {
		t.Fatalf("both names = %v, want ErrInvalidInput", err)
	}
	if _, err := ack.Execute(t.Context(), application.PublishedAck{Key: pms, OrderID: 88, ShopID: 2}); !errors.Is(err, shop.ErrForbidden) {
		t.Fatalf("another shop = %v, want shop.ErrForbidden", err)
	}
	_, unknown, _ := integration.New("gone", 1, s.clock.now)
	if _, err := ack.Execute(t.Context(), application.PublishedAck{Key: unknown, OrderID: 88}); !errors.Is(err, application.ErrBadKey) {
		t.Fatalf("an unknown key = %v, want ErrBadKey", err)
	}
	open, _ := s.alerts.Execute(t.Context(), application.AlertQuery{Shops: shop.Everything(), OpenOnly: true})
	if len(open) != 1 || open[0].ID != foreign.ID {
		t.Fatalf("open = %+v, want erp's alert only", open)
	}
}
