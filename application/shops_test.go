package application_test

import (
	"errors"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// TestAnotherShopsOrderIsLikeAMissingOne: an employee of shop 2 neither reads nor takes shop 1's
// order, and is told exactly what a missing id tells.
func TestAnotherShopsOrderIsLikeAMissingOne(t *testing.T) {
	t.Parallel()
	s := newShop()
	o := s.paidOrder(t, 7) // shop 1
	other := shop.Only(2)
	if _, err := s.get.ForAdmin(t.Context(), o.ID, other); !errors.Is(err, order.ErrNotFound) {
		t.Fatalf("ForAdmin of another shop = %v, want ErrNotFound", err)
	}
	if _, err := s.take.Execute(t.Context(), o.ID, s.adminID, other); !errors.Is(err, order.ErrNotFound) {
		t.Fatalf("ConfirmOrder of another shop = %v, want ErrNotFound", err)
	}
	if got, _ := s.store.Get(t.Context(), application.ByID(o.ID)); got.Status != order.StatusToBeConfirmed {
		t.Fatalf("the refused confirm changed the order: %+v", got)
	}
	if got, err := s.take.Execute(t.Context(), o.ID, s.adminID, shop.Only(1)); err != nil || got.Status != order.StatusConfirmed {
		t.Fatalf("own shop's confirm = %+v, %v", got, err)
	}
}

func TestSubmitToAnUnknownShopIsRefused(t *testing.T) {
	t.Parallel()
	s := newShop()
	_, err := s.submit.Execute(t.Context(), order.Draft{ShopID: 99, UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 2500})
	if !errors.Is(err, shop.ErrNotFound) {
		t.Fatalf("submit to shop 99 = %v, want shop.ErrNotFound", err)
	}
	o, err := s.submit.Execute(t.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 2500})
	if err != nil || o.ShopID != shop.Default {
		t.Fatalf("submit naming no shop = %+v, %v; want shop 1", o, err)
	}
}

// TestAlertsCarryTheirOrdersShopAndAreListedByScope: the payment's and the reminder's alerts
// belong to the order's shop, and the history of another shop does not show them.
func TestAlertsCarryTheirOrdersShopAndAreListedByScope(t *testing.T) {
	t.Parallel()
	s := newShop()
	o := s.paidOrder(t, 7)
	got, err := s.alerts.Execute(t.Context(), application.AlertQuery{Shops: shop.Only(1)})
	if err != nil || len(got) != 1 || got[0].ShopID != 1 || got[0].OrderID != o.ID {
		t.Fatalf("shop 1's history = %+v, %v", got, err)
	}
	if got, err := s.alerts.Execute(t.Context(), application.AlertQuery{Shops: shop.Only(2)}); err != nil || len(got) != 0 {
		t.Fatalf("shop 2's history = %+v, %v; want nothing", got, err)
	}
	if got, err := s.alerts.Execute(t.Context(), application.AlertQuery{}); err != nil || len(got) != 0 {
		t.Fatalf("a query without a scope = %+v, %v; want nothing", got, err)
	}
}
