package contract

import (
	"slices"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// AlertFilter is the suite of the AlertLog's filters: a page holds only the alerts of the
// filter's shops and, unless AllKinds, of kinds 1 and 2 — so that a short page means "caught up"
// for every reader, however busy the other shops are.
func AlertFilter(t *testing.T, backend Backend) {
	t.Parallel()
	s := backend(t)()
	second, third := addShop(t, s, "二店"), addShop(t, s, "三店")
	in := func(sh shop.Shop) order.Order { o := newOrder(7); o.ShopID = sh.ID; return add(t, s, o) }
	one, two, three := add(t, s, newOrder(7)), in(second), in(third)
	var ids struct{ one, two, three, twoRoom []int64 }
	for range 3 {
		ids.one = append(ids.one, appendAlert(t, s, one).ID)
		ids.two = append(ids.two, appendAlert(t, s, two).ID)
		ids.three = append(ids.three, appendAlert(t, s, three).ID)
		ids.twoRoom = append(ids.twoRoom, appendKind(t, s, two, 10).ID)
	}
	merge := func(lists ...[]int64) []int64 { all := slices.Concat(lists...); slices.Sort(all); return all }
	cases := []struct {
		name   string
		filter application.AlertFilter
		want   []int64
	}{
		{"every alert", application.EveryAlert(), merge(ids.one, ids.two, ids.three, ids.twoRoom)},
		{"shop 2, built-in kinds", application.AlertFilter{Shops: shop.Only(second.ID)}, ids.two},
		{"shop 2, every kind", application.AlertFilter{Shops: shop.Only(second.ID), AllKinds: true}, merge(ids.two, ids.twoRoom)},
		{"shops 1 and 3", application.AlertFilter{Shops: shop.Only(1, third.ID)}, merge(ids.one, ids.three)},
		{"every shop, built-in kinds", application.AlertFilter{Shops: shop.Everything()}, merge(ids.one, ids.two, ids.three)},
		{"a shop without alerts", application.AlertFilter{Shops: shop.Only(99), AllKinds: true}, nil},
		{"no scope sees nothing", application.AlertFilter{AllKinds: true}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []int64
			for after := int64(0); ; {
				page, err := s.Alerts.After(t.Context(), c.filter, after, 2)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range page {
					if !c.filter.Admits(a) {
						t.Fatalf("After returned %v, which the filter does not select", a)
					}
				}
				got = append(got, idsOf(page)...)
				if len(page) < 2 {
					break
				}
				after = page[len(page)-1].ID
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("paging After = %v, want %v", got, c.want)
			}
			latest, err := s.Alerts.Latest(t.Context(), c.filter, 2)
			if err != nil {
				t.Fatal(err)
			}
			if want := c.want[max(0, len(c.want)-2):]; !slices.Equal(idsOf(latest), want) {
				t.Fatalf("Latest(2) = %v, want %v", idsOf(latest), want)
			}
		})
	}
}

// appendKind appends an alert of kind code for o, as an integration publishing for an order of
// its own would.
func appendKind(t *testing.T, s Store, o order.Order, code alert.Type) alert.Alert {
	t.Helper()
	_, a, err := s.Orders.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
		a := alert.Alert{Type: code, ShopID: o.ShopID, OrderID: o.ID, OrderNumber: o.Number, Content: "房间 1203", CreatedAt: baseTime}
		return &a, nil
	})
	if err != nil || a == nil {
		t.Fatalf("append a kind %d alert for order %d: %v", code, o.ID, err)
	}
	return *a
}
