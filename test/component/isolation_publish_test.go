package component_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
)

// publish performs ops random steps: an order paid in a random shop on a random instance, a
// reminder of a paid order, an alert an integration publishes (now and then the same call
// again), or a socket dropped and resumed on a random instance.
func (w *world) publish(t *testing.T, ops int) {
	t.Helper()
	for range ops {
		switch w.rng.IntN(5) {
		case 4:
			w.publishAlert(t)
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

// publishAlert publishes a type 1 or 2 alert to a random shop with that shop's key or the
// key for every shop, on a random instance; a third of the time it repeats an earlier call
// instead, which must answer the same alert and store nothing.
func (w *world) publishAlert(t *testing.T) {
	t.Helper()
	s := w.instance()
	if len(w.idemKeys) > 0 && w.rng.IntN(3) == 0 {
		again := w.idemKeys[w.rng.IntN(len(w.idemKeys))]
		r := s.call(t, http.MethodPost, "/api/alerts", again.header, again.body)
		if expect(t, r, http.StatusOK, 1); decode[publishedAlert](t, r).ID != again.id {
			t.Fatalf("repeating a publish answered %s, want alert %d", r.Data, again.id)
		}
		return
	}
	shop := w.shops[w.rng.IntN(len(w.shops))]
	body := map[string]any{"type": 1 + w.rng.IntN(2), "orderId": 9000 + len(w.published), "orderNumber": fmt.Sprintf("P-%d", len(w.published))}
	var header http.Header
	if w.rng.IntN(2) == 0 {
		if w.keys[shop] == nil {
			w.keys[shop] = bearerOf(s.integrationKey(t, fmt.Sprintf("shop-%d-backend", shop), shop))
		}
		header = w.keys[shop]
	} else {
		if w.anyKey == nil {
			w.anyKey = bearerOf(s.integrationKey(t, "platform-backend", 0))
		}
		header, body["shopId"] = w.anyKey, shop
	}
	idem := w.rng.IntN(2) == 0
	if idem {
		body["idempotencyKey"] = fmt.Sprintf("k-%d", len(w.published))
	}
	r := s.call(t, http.MethodPost, "/api/alerts", header, body)
	expect(t, r, http.StatusCreated, 1)
	a := decode[publishedAlert](t, r)
	if a.ShopID != shop {
		t.Fatalf("published to shop %d, the alert says shop %d", shop, a.ShopID)
	}
	w.published[a.ID] = shop
	if idem {
		w.idemKeys = append(w.idemKeys, idempotent{header: header, body: body, id: a.ID})
	}
}

// storedAlert is one row of the alert log, read from the database: the truth the sockets and
// the history are held to.
type storedAlert struct {
	ID      int64  `bun:"id"`
	ShopID  int64  `bun:"shop_id"`
	OrderID int64  `bun:"order_id"`
	Source  string `bun:"source"`
}

// truth is every stored alert in id order, each checked to belong to the shop its order was
// placed in or the shop it was published to; there is one per payment, per reminder and per
// publish that answered 201.
func (w *world) truth(t *testing.T) []storedAlert {
	t.Helper()
	var rows []storedAlert
	if err := w.instances[0].db.NewRaw("SELECT id, shop_id, COALESCE(order_id, 0) AS order_id, COALESCE(source, '') AS source FROM order_alerts ORDER BY id").Scan(t.Context(), &rows); err != nil {
		t.Fatal(err)
	}
	shopOf, want := map[int64]int64{}, len(w.orders)+len(w.published)
	for _, o := range w.orders {
		shopOf[o.id] = o.shop
		if o.reminded {
			want++
		}
	}
	if len(rows) != want {
		t.Fatalf("%d alerts stored, want %d (%d payments, their reminders and %d publishes)", len(rows), want, len(w.orders), len(w.published))
	}
	for _, a := range rows {
		if a.Source != "" {
			if w.published[a.ID] != a.ShopID {
				t.Fatalf("published alert %d is shop %d's, it was published to shop %d", a.ID, a.ShopID, w.published[a.ID])
			}
			continue
		}
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
