package component_test

import (
	"net/http"
	"strconv"
	"testing"
)

// publish performs ops random steps: an order paid in a random shop on a random instance, a
// reminder of a paid order, or a socket dropped and resumed on a random instance.
func (w *world) publish(t *testing.T, ops int) {
	t.Helper()
	for range ops {
		switch w.rng.IntN(4) {
		case 0:
			if !w.remind(t) {
				w.pay(t)
			}
		case 1:
			w.viewers[w.rng.IntN(len(w.viewers))].reconnect(t, w.instance())
		default:
			w.pay(t)
		}
	}
}

// pay submits and pays an order of a random customer in a random shop: one alert of that shop.
func (w *world) pay(t *testing.T) {
	t.Helper()
	s, shop, user := w.instance(), w.shops[w.rng.IntN(len(w.shops))], 1+w.rng.Int64N(3)
	customer := s.userHeader(t, user)
	r := s.call(t, http.MethodPost, "/user/order/submit", customer, map[string]any{"amount": 12.5, "shopId": shop})
	expect(t, r, http.StatusOK, 1)
	o := decode[submitted](t, r)
	expect(t, s.call(t, http.MethodPut, "/user/order/payment", customer, map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
	w.orders = append(w.orders, &placed{id: o.ID, shop: shop, user: user})
}

// remind rings a reminder of a paid order not reminded yet (the cooldown would refuse a second)
// and reports whether there was one.
func (w *world) remind(t *testing.T) bool {
	t.Helper()
	var due []*placed
	for _, o := range w.orders {
		if !o.reminded {
			due = append(due, o)
		}
	}
	if len(due) == 0 {
		return false
	}
	o := due[w.rng.IntN(len(due))]
	s := w.instance()
	expect(t, s.call(t, http.MethodGet, "/user/order/reminder/"+strconv.FormatInt(o.id, 10), s.userHeader(t, o.user), nil), http.StatusOK, 1)
	o.reminded = true
	return true
}

// storedAlert is one row of the alert log, read from the database: the truth the sockets and
// the history are held to.
type storedAlert struct {
	ID      int64 `bun:"id"`
	ShopID  int64 `bun:"shop_id"`
	OrderID int64 `bun:"order_id"`
}

// truth is every stored alert in id order, each checked to belong to the shop its order was
// placed in; there is one per payment and per reminder.
func (w *world) truth(t *testing.T) []storedAlert {
	t.Helper()
	var rows []storedAlert
	if err := w.instances[0].db.NewRaw("SELECT id, shop_id, order_id FROM order_alerts ORDER BY id").Scan(t.Context(), &rows); err != nil {
		t.Fatal(err)
	}
	shopOf, want := map[int64]int64{}, len(w.orders)
	for _, o := range w.orders {
		shopOf[o.id] = o.shop
		if o.reminded {
			want++
		}
	}
	if len(rows) != want {
		t.Fatalf("%d alerts stored, want %d (%d payments and their reminders)", len(rows), want, len(w.orders))
	}
	for _, a := range rows {
		if shopOf[a.OrderID] != a.ShopID {
			t.Fatalf("alert %d of order %d is shop %d's, the order was placed in shop %d", a.ID, a.OrderID, a.ShopID, shopOf[a.OrderID])
		}
	}
	return rows
}

// within is the ids of the alerts of scope (nil: every shop), in id order.
func within(truth []storedAlert, scope []int64) []int64 {
	ids := []int64{}
	for _, a := range truth {
		if sees(scope, a.ShopID) {
			ids = append(ids, a.ID)
		}
	}
	return ids
}
