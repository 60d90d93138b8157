package component_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"
)

// quietAfterDelivery is how long the test still listens for frames nobody is owed once every
// socket has its own: longer than an instance's feed takes to read a commit of another (≤ 1 s).
const quietAfterDelivery = 1500 * time.Millisecond

// checkSockets holds every socket, over all of its connections, to the alerts of its shops: no
// other shop's, all of its own, in increasing id order, each once.
func (w *world) checkSockets(t *testing.T, truth []storedAlert) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for _, v := range w.viewers {
		v.waitFor(len(within(truth, v.scope)), deadline)
	}
	time.Sleep(quietAfterDelivery)
	shopOf := map[int64]int64{}
	for _, a := range truth {
		shopOf[a.ID] = a.ShopID
	}
	for _, v := range w.viewers {
		got, err := v.received()
		if err != nil {
			t.Errorf("%s: %v", v, err)
		}
		var ids []int64
		for i, f := range got {
			if stored, ok := shopOf[f.ID]; !ok || stored != f.ShopID {
				t.Errorf("%s received alert %d as shop %d's; the log has it as shop %d's", v, f.ID, f.ShopID, stored)
			}
			if !sees(v.scope, shopOf[f.ID]) {
				t.Errorf("%s received alert %d of shop %d", v, f.ID, shopOf[f.ID])
			}
			if i > 0 && f.ID <= got[i-1].ID {
				t.Errorf("%s received alert %d after %d", v, f.ID, got[i-1].ID)
			}
			ids = append(ids, f.ID)
		}
		if want := within(truth, v.scope); !slices.Equal(ids, want) {
			t.Errorf("%s received %d alerts, want the %d of its shops: first difference at %d (got %v, want %v)",
				v, len(ids), len(want), firstDifference(ids, want), ids, want)
		}
	}
}

func (v *viewer) String() string {
	scope := "every shop"
	if v.scope != nil {
		scope = fmt.Sprint("shops ", v.scope)
	}
	return fmt.Sprintf("%s's socket %s (%s, query %q)", v.owner.username, v.sid, scope, v.query)
}

// checkHistory reads GET /admin/alerts as every account, with and without ?shopId=: each reads
// exactly the alerts of the shops it may and did name; a shop's employee naming another shop
// is refused with 403.
func (w *world) checkHistory(t *testing.T, truth []storedAlert) {
	t.Helper()
	for _, a := range w.accounts {
		s := w.instance()
		for _, path := range []string{"/admin/alerts?afterId=0&limit=1000", "/admin/alerts?limit=1000"} {
			expectHistory(t, s, a, path, within(truth, a.scope()))
		}
		for _, shop := range w.shops {
			path := "/admin/alerts?afterId=0&limit=1000&shopId=" + strconv.FormatInt(shop, 10)
			if a.shop != 0 && shop != a.shop {
				expectForbidden(t, s, a, path)
				continue
			}
			expectHistory(t, s, a, path, within(truth, []int64{shop}))
		}
		if a.shop == 0 {
			some := w.someShops()
			expectHistory(t, s, a, "/admin/alerts?afterId=0&limit=1000"+shopQuery(some), within(truth, some))
		} else {
			expectForbidden(t, s, a, "/admin/alerts?limit=1000"+shopQuery([]int64{a.shop, w.someoneElses(a.shop)}))
		}
	}
}

func expectHistory(t *testing.T, s *service, a *account, path string, want []int64) {
	t.Helper()
	r := s.call(t, http.MethodGet, path, a.header, nil)
	expect(t, r, http.StatusOK, 1)
	ids := []int64{}
	for _, f := range decode[[]shopFrame](t, r) {
		ids = append(ids, f.ID)
	}
	if !slices.Equal(ids, want) {
		t.Errorf("%s reads %d alerts in GET %s, want %d: first difference at %d", a.username, len(ids), path, len(want), firstDifference(ids, want))
	}
}

func expectForbidden(t *testing.T, s *service, a *account, path string) {
	t.Helper()
	if r := s.call(t, http.MethodGet, path, a.header, nil); r.Status != http.StatusForbidden || r.Code != 0 {
		t.Errorf("%s of shop %d: GET %s = %d %s, want 403", a.username, a.shop, path, r.Status, r.Raw)
	}
}

func shopQuery(shops []int64) string {
	q := ""
	for _, s := range shops {
		q += "&shopId=" + strconv.FormatInt(s, 10)
	}
	return q
}

// checkForeignOrders: to a shop's employee another shop's order answers its detail and its
// confirmation exactly as an order that does not exist (404), and is left as it was; its own
// shop's order and, to platform staff, the other one, are found.
func (w *world) checkForeignOrders(t *testing.T) {
	t.Helper()
	platform := w.accounts[0]
	for _, a := range w.accounts {
		if a.shop == 0 {
			continue
		}
		s := w.instance()
		if own := w.orderOf(func(shop int64) bool { return shop == a.shop }); own != nil {
			expect(t, s.call(t, http.MethodGet, detailPath(own.id), a.header, nil), http.StatusOK, 1)
		}
		foreign := w.orderOf(func(shop int64) bool { return shop != a.shop })
		if foreign == nil {
			continue
		}
		unknown := s.call(t, http.MethodGet, detailPath(1<<40), a.header, nil)
		before := w.status(t, foreign.id)
		for name, r := range map[string]reply{
			"detail":  s.call(t, http.MethodGet, detailPath(foreign.id), a.header, nil),
			"confirm": s.call(t, http.MethodPut, "/admin/order/confirm", a.header, map[string]int64{"id": foreign.id}),
		} {
			if r.Status != http.StatusNotFound || r.Code != 0 || r.msg() != unknown.msg() {
				t.Errorf("%s of shop %d: %s of shop %d's order %d = %d %s, want 404 %q as for an unknown order", a.username, a.shop, name, foreign.shop, foreign.id, r.Status, r.Raw, unknown.msg())
			}
		}
		if after := w.status(t, foreign.id); after != before {
			t.Errorf("shop %d's order %d went from status %d to %d after another shop's employee confirmed it", foreign.shop, foreign.id, before, after)
		}
		expect(t, s.call(t, http.MethodGet, detailPath(foreign.id), platform.header, nil), http.StatusOK, 1)
	}
}

func detailPath(id int64) string { return "/admin/order/details/" + strconv.FormatInt(id, 10) }

// orderOf is a random order of a shop that in selects, nil if there is none.
func (w *world) orderOf(in func(shop int64) bool) *placed {
	var some []*placed
	for _, o := range w.orders {
		if in(o.shop) {
			some = append(some, o)
		}
	}
	if len(some) == 0 {
		return nil
	}
	return some[w.rng.IntN(len(some))]
}

// status is the order's status, read from the database.
func (w *world) status(t *testing.T, id int64) int {
	t.Helper()
	var status int
	if err := w.instances[0].db.NewRaw("SELECT status FROM orders WHERE id = ?", id).Scan(t.Context(), &status); err != nil {
		t.Fatal(err)
	}
	return status
}

// checkForeignSockets: a shop's employee opening /ws with ?shopId= of another shop, alone or with
// its own, is refused with 403 before the upgrade.
func (w *world) checkForeignSockets(t *testing.T) {
	t.Helper()
	for _, a := range w.accounts {
		if a.shop == 0 {
			continue
		}
		other := w.someoneElses(a.shop)
		for _, named := range [][]int64{{other}, {a.shop, other}} {
			s := w.instance()
			query := "ticket=" + s.ticket(t, a.header) + shopQuery(named)
			if status := dialStatus(t, s, "foreign", query); status != http.StatusForbidden {
				t.Errorf("%s of shop %d opening /ws with ?shopId= %v: %d, want 403", a.username, a.shop, named, status)
			}
		}
	}
}
