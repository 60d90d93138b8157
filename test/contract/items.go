package contract

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// orderedItems are lines at the edges of what an order may list: text JSON must escape, a
// four-byte character, a free line, the largest amount.
var orderedItems = []order.Item{
	{Name: "宫保鸡丁", Number: 2, Amount: 1800},
	{Name: `"老干妈" <辣> \ 🌶`, Number: 99, Amount: order.MaxAmount},
	{Name: "米饭", Number: 1, Amount: 0},
}

func orderWithItems(t *testing.T, items []order.Item) order.Order {
	t.Helper()
	o := newOrder(7)
	d := order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 4250, Items: items}
	withItems, err := order.New(d, o.Number, baseTime)
	if err != nil {
		t.Fatal(err)
	}
	o.Items = withItems.Items
	return o
}

// testItemsReadBack: an order's items read back equal, in order, by id and by number; what
// is stored is not a slice the caller still holds; an order placed without items has none.
func testItemsReadBack(t *testing.T, s Store) {
	placed := orderWithItems(t, orderedItems)
	o := add(t, s, placed)
	o.Items = slices.Clone(o.Items)
	full := make([]order.Item, order.MaxItems)
	for i := range full {
		full[i] = order.Item{Name: strings.Repeat("辣", order.MaxItemNameLength), Number: i%order.MaxItemNumber + 1, Amount: order.Money(i)}
	}
	most := add(t, s, orderWithItems(t, full))
	most.Items = slices.Clone(most.Items)
	placed.Items[0].Name = "changed by the caller after Add"
	if read := get(t, s, o.ID); len(read.Items) > 1 {
		read.Items[1].Name = "changed by the caller after Get"
	}
	for _, want := range []order.Order{o, most} {
		byID := get(t, s, want.ID)
		byNumber, err := s.Orders.Get(t.Context(), application.ByNumber(want.Number))
		if err != nil || !byID.Equal(want) || !byNumber.Equal(want) {
			t.Fatalf("order %d read back with items\n got %+v\nwant %+v (%v)", want.ID, byID.Items, want.Items, err)
		}
	}
	if got := get(t, s, add(t, s, newOrder(7)).ID); got.Items != nil {
		t.Fatalf("an order without items reads back with %#v", got.Items)
	}
}

// testItemsSurviveAnUpdate: an update that changes other columns keeps the items.
func testItemsSurviveAnUpdate(t *testing.T, s Store) {
	o := add(t, s, orderWithItems(t, orderedItems))
	saved, _ := confirmPayment(t, s, o.ID, "wx-items")
	if got := get(t, s, o.ID); !slices.Equal(got.Items, orderedItems) || !got.Equal(saved) {
		t.Fatalf("items after payment = %+v, want %+v", got.Items, orderedItems)
	}
}

// testPaymentAlertCarriesItems: ConfirmPayment's new-order alert carries the order's items
// through every read of the log (the history and since queries, filtered as dashboards and
// the feed filter them) and into its frame; the order's reminder carries none.
func testPaymentAlertCarriesItems(t *testing.T, s Store) {
	o := add(t, s, orderWithItems(t, orderedItems))
	pay := application.ConfirmPayment{Orders: s.Orders, Feed: nobodyListens{}, Clock: NewClock()}
	if _, err := pay.Execute(t.Context(), o.Number, order.PayMethodWeChat, "wx-items"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Orders.Remind(t.Context(), o.ID, testCooldown, remindAs(7)); err != nil {
		t.Fatal(err)
	}
	want := make([]alert.Item, len(orderedItems))
	for i, it := range orderedItems {
		want[i] = alert.Item{Name: it.Name, Number: it.Number, Amount: int64(it.Amount)}
	}
	ownShop := application.AlertFilter{Shops: shop.Only(o.ShopID)}
	reads := map[string]func() ([]alert.Alert, error){
		"After, every alert": func() ([]alert.Alert, error) { return s.Alerts.After(t.Context(), application.EveryAlert(), 0, 10) },
		"After, one shop":    func() ([]alert.Alert, error) { return s.Alerts.After(t.Context(), ownShop, 0, 10) },
		"Latest, open only": func() ([]alert.Alert, error) {
			return s.Alerts.Latest(t.Context(), application.AlertFilter{Shops: shop.Everything(), AllKinds: true, OpenOnly: true}, 10)
		},
	}
	for name, read := range reads {
		log, err := read()
		if err != nil || len(log) != 2 {
			t.Fatalf("%s: %d alerts, %v", name, len(log), err)
		}
		if log[0].Type != alert.TypeNewOrder || !slices.Equal(log[0].Items, want) {
			t.Errorf("%s: the payment's alert has items %+v, want %+v", name, log[0].Items, want)
		}
		if log[1].Type != alert.TypeReminder || log[1].Items != nil {
			t.Errorf("%s: the reminder has items %+v", name, log[1].Items)
		}
		var frame struct {
			Items []struct {
				Name   string
				Number int
				Amount json.Number
			}
		}
		if err := json.Unmarshal(wire.Alert(log[0]), &frame); err != nil || len(frame.Items) != 3 ||
			frame.Items[1].Name != orderedItems[1].Name || frame.Items[1].Number != 99 || frame.Items[1].Amount != "100000.00" || frame.Items[2].Amount != "0.00" {
			t.Errorf("%s: the frame's items = %+v, %v", name, frame.Items, err)
		}
	}
}

// nobodyListens is a feed no dashboard is attached to.
type nobodyListens struct{}

func (nobodyListens) Committed(alert.Alert) {}
