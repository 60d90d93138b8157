package hub

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/shop"
)

// kindCustom is a kind an operator created: only sockets opened with ?events=1 take it.
const kindCustom alert.Type = 10

// socketOf is a registry entry of admin's sid that watches shops; events is ?events=1.
func socketOf(key uint64, admin int64, sid string, shops shop.Scope, events bool) *entry {
	return &entry{
		key: key, pid: actor.NewPID("test", fmt.Sprint("child-", key)), page: dashboard{admin: admin, sid: sid},
		filter: application.AlertFilter{Shops: shops, AllKinds: events},
	}
}

// visited is the keys of the sockets an alert of type t of shop visits, sorted, each as often
// as it was visited.
func visited(r *registry, shopID int64, t alert.Type) []uint64 {
	var keys []uint64
	for e := range r.receivers(shopID, t) {
		keys = append(keys, e.key)
	}
	slices.Sort(keys)
	return keys
}

// TestAnAlertVisitsOnlyTheSocketsOfItsShopAndOfEveryShop: shop employees' sockets are visited
// only by their shop's alerts; platform sockets that named shops by those shops'; platform
// sockets that named none by every alert; and a kind other than 1 and 2 visits only sockets
// opened with ?events=1. Each once, whatever the number of shops a socket watches.
func TestAnAlertVisitsOnlyTheSocketsOfItsShopAndOfEveryShop(t *testing.T) {
	t.Parallel()
	r := newRegistry()
	for _, e := range []*entry{
		socketOf(1, 11, "till", shop.Only(1), false),           // an employee of shop 1
		socketOf(2, 12, "till", shop.Only(2), true),            // an employee of shop 2, with events
		socketOf(3, 13, "tv", shop.Only(2), false),             // another of shop 2
		socketOf(4, 90, "wall", shop.Everything(), false),      // platform staff, every shop
		socketOf(5, 91, "wall", shop.Everything(), true),       // platform staff, every shop, events
		socketOf(6, 92, "regional", shop.Only(2, 3), false),    // platform staff who named 2 and 3
		socketOf(7, 93, "regional", shop.Only(3, 4, 5), true),  // platform staff who named 3, 4, 5
		socketOf(8, 94, "nothing", shop.Scope{}, true),         // a scope that sees nothing
		socketOf(9, 95, "elsewhere", shop.Only(1000), false),   // a shop without alerts here
		socketOf(10, 96, "twice", shop.Only(3, 3, 2, 2), true), // named twice: visited once
	} {
		if replaced := r.add(e); replaced != nil {
			t.Fatalf("adding socket %d replaced socket %d", e.key, replaced.key)
		}
	}
	for _, c := range []struct {
		name string
		shop int64
		typ  alert.Type
		want []uint64
	}{
		{"a new order of shop 1", 1, alert.TypeNewOrder, []uint64{1, 4, 5}},
		{"a reminder of shop 2", 2, alert.TypeReminder, []uint64{2, 3, 4, 5, 6, 10}},
		{"a custom kind of shop 2", 2, kindCustom, []uint64{2, 5, 10}},
		{"a new order of shop 3", 3, alert.TypeNewOrder, []uint64{4, 5, 6, 7, 10}},
		{"a custom kind of shop 3", 3, kindCustom, []uint64{5, 7, 10}},
		{"a new order of shop 5", 5, alert.TypeNewOrder, []uint64{4, 5, 7}},
		{"a new order of a shop nobody named", 42, alert.TypeNewOrder, []uint64{4, 5}},
		{"a custom kind of a shop nobody named", 42, kindCustom, []uint64{5}},
	} {
		if got := visited(r, c.shop, c.typ); !slices.Equal(got, c.want) {
			t.Errorf("%s visits %v, want %v", c.name, got, c.want)
		}
	}
}

// TestAClosingSocketLeavesTheIndexAtOnce: a socket that is closing (slow, revoked, its handler
// ended) is visited by no alert while its child winds down, but stays registered until the
// child has ended; forgetting it leaves no empty shop behind.
func TestAClosingSocketLeavesTheIndexAtOnce(t *testing.T) {
	t.Parallel()
	r := newRegistry()
	regional, till := socketOf(1, 90, "regional", shop.Only(2, 3), false), socketOf(2, 11, "till", shop.Only(2), false)
	r.add(regional)
	r.add(till)
	if !r.stopSending(regional) || r.stopSending(regional) {
		t.Fatal("stopSending must report true once, for the socket that was open")
	}
	if got := visited(r, 2, alert.TypeNewOrder); !slices.Equal(got, []uint64{2}) {
		t.Fatalf("shop 2 visits %v after the regional socket began closing, want [2]", got)
	}
	if got := visited(r, 3, alert.TypeNewOrder); len(got) != 0 {
		t.Fatalf("shop 3 visits %v, want none", got)
	}
	if e, ok := r.child(regional.pid.Id); !ok || e != regional {
		t.Fatal("a closing socket must stay registered until its child has ended")
	}
	if got := slices.Collect(r.open()); len(got) != 1 || got[0] != till {
		t.Fatalf("open sockets = %v, want the till's alone", got)
	}
	r.forget(regional)
	r.forget(till)
	if len(r.byKey) != 0 || len(r.byPID) != 0 || len(r.bySID) != 0 || len(r.sending.byShop) != 0 || !r.sending.everyShop.empty() {
		t.Fatalf("after forgetting every socket: %d keys, %d children, %d sids, shops %v",
			len(r.byKey), len(r.byPID), len(r.bySID), slices.Collect(maps.Keys(r.sending.byShop)))
	}
}

// TestANewerSocketOfTheSameSidReplacesTheOlderInTheIndex: the same admin opening the same sid
// again replaces the older socket, which no alert visits any more even if the newer one watches
// other shops; the older one's child ending later does not free the sid the newer one holds.
// Another admin's socket with the same sid replaces nothing.
func TestANewerSocketOfTheSameSidReplacesTheOlderInTheIndex(t *testing.T) {
	t.Parallel()
	r := newRegistry()
	older, other := socketOf(1, 90, "wall", shop.Only(2), false), socketOf(2, 91, "wall", shop.Only(2), false)
	r.add(older)
	if replaced := r.add(other); replaced != nil {
		t.Fatalf("another admin's sid replaced socket %d", replaced.key)
	}
	newer := socketOf(3, 90, "wall", shop.Only(3), false)
	if replaced := r.add(newer); replaced != older {
		t.Fatalf("the newer socket replaced %v, want the older one", replaced)
	}
	if !older.closing {
		t.Fatal("the replaced socket must be closing")
	}
	if got := visited(r, 2, alert.TypeNewOrder); !slices.Equal(got, []uint64{2}) {
		t.Errorf("shop 2 visits %v, want only the other admin's socket", got)
	}
	if got := visited(r, 3, alert.TypeNewOrder); !slices.Equal(got, []uint64{3}) {
		t.Errorf("shop 3 visits %v, want the newer socket", got)
	}
	r.forget(older)
	if key, ok := r.bySID[newer.page]; !ok || key != newer.key {
		t.Fatal("the older socket's end freed the sid the newer one holds")
	}
	if again := r.add(socketOf(4, 90, "wall", shop.Only(3), false)); again != newer {
		t.Fatalf("a third socket replaced %v, want the newer one", again)
	}
}
