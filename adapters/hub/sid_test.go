package hub_test

import (
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/shop"
)

// TestSidsBelongToOneAdminAccount: a sid names a dashboard within one admin account. Another
// account opening the same sid is another dashboard — both stay open and both ring — while
// the same account opening it again replaces its older socket (4509, do not reconnect).
func TestSidsBelongToOneAdminAccount(t *testing.T) {
	f := newFixture(t)
	first, other, again := &fakeSocket{}, &fakeSocket{}, &fakeSocket{}
	firstHandler := f.attach(t, first, application.DashboardOptions{Shops: shop.Everything(), SID: "shop-tv", AdminID: 1})
	otherHandler := f.attach(t, other, application.DashboardOptions{Shops: shop.Everything(), SID: "shop-tv", AdminID: 2})
	eventually(t, "2 sockets attached", func() bool { return f.hub.Len() == 2 })
	id := f.ring(t)
	for name, s := range map[string]*fakeSocket{"admin 1's shop-tv": first, "admin 2's shop-tv": other} {
		eventually(t, name+" rings", func() bool { return len(s.ids()) == 1 })
		if s.closeCode() != 0 || s.ids()[0] != id {
			t.Fatalf("%s: close %d, frames %v; want open with alert %d", name, s.closeCode(), s.ids(), id)
		}
	}

	againHandler := f.attach(t, again, application.DashboardOptions{Shops: shop.Everything(), SID: "shop-tv", AdminID: 1})
	eventually(t, "admin 1's older shop-tv replaced", func() bool { return first.closeCode() != 0 })
	if code := first.closeCode(); code != application.CloseReplaced.Code {
		t.Fatalf("admin 1's older shop-tv: close %d, want 4509", code)
	}
	firstHandler.detach()
	eventually(t, "the replaced socket forgotten", func() bool { return f.hub.Len() == 2 })
	id = f.ring(t)
	for name, s := range map[string]*fakeSocket{"admin 1's newer shop-tv": again, "admin 2's shop-tv": other} {
		eventually(t, name+" rings", func() bool { return len(s.ids()) > 0 && s.ids()[len(s.ids())-1] == id })
		if s.closeCode() != 0 {
			t.Fatalf("%s closed with %d", name, s.closeCode())
		}
	}
	f.stop(t, againHandler, otherHandler)
}
