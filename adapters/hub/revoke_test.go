package hub_test

import (
	"sync/atomic"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/shop"
)

// TestRevokeClosesOnlyTheRevokedCredentialsSockets: of three sockets — two tokens of employee 1,
// one of employee 2 — revoking one token closes its socket alone with 4401; the others keep
// receiving alerts. A socket that connects afterwards with the revoked token is closed at once,
// one with another token is not.
func TestRevokeClosesOnlyTheRevokedCredentialsSockets(t *testing.T) {
	f := newFixture(t)
	cashier, counter, other := &fakeSocket{}, &fakeSocket{}, &fakeSocket{}
	handlers := []attached{
		f.attach(t, cashier, application.DashboardOptions{Shops: shop.Everything(), SID: "cashier", AdminID: 1, TokenID: "cashier-token", TokenVersion: 3}),
		f.attach(t, counter, application.DashboardOptions{Shops: shop.Everything(), SID: "counter", AdminID: 1, TokenID: "counter-token", TokenVersion: 3}),
		f.attach(t, other, application.DashboardOptions{Shops: shop.Everything(), SID: "other", AdminID: 2, TokenID: "other-token"}),
	}
	eventually(t, "3 sockets attached", func() bool { return f.hub.Len() == 3 })

	var asked atomic.Int32
	want := application.Credential{EmpID: 1, TokenID: "cashier-token", Version: 3}
	f.hub.Revoke(func(c application.Credential) bool {
		asked.Add(1)
		return c != want
	})
	eventually(t, "the cashier's socket closed with 4401", func() bool { return cashier.closeCode() == 4401 })
	handlers[0].detach()
	id := f.ring(t)
	for name, s := range map[string]*fakeSocket{"counter": counter, "other": other} {
		eventually(t, name+" gets the next alert", func() bool { return len(s.ids()) == 1 && s.ids()[0] == id })
		if s.closeCode() != 0 {
			t.Errorf("the %s's socket was closed with %d", name, s.closeCode())
		}
	}
	if n := asked.Load(); n != 3 {
		t.Errorf("holds was asked %d times, want once per socket", n)
	}

	late, fresh := &fakeSocket{}, &fakeSocket{}
	handlers = append(handlers,
		f.attach(t, late, application.DashboardOptions{Shops: shop.Everything(), SID: "late", AdminID: 1, TokenID: "cashier-token", TokenVersion: 3}),
		f.attach(t, fresh, application.DashboardOptions{Shops: shop.Everything(), SID: "fresh", AdminID: 1, TokenID: "new-token", TokenVersion: 3}))
	eventually(t, "a socket opened later with the revoked token closed with 4401", func() bool { return late.closeCode() == 4401 })
	handlers[3].detach()
	next := f.ring(t)
	eventually(t, "the socket of a fresh token gets the next alert", func() bool { return len(fresh.ids()) == 1 && fresh.ids()[0] == next })
	f.stop(t, handlers[1], handlers[2], handlers[4])
}
