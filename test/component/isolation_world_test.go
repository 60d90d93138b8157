package component_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"

	"go.uber.org/fx"
	"golang.org/x/crypto/bcrypt"

	"github.com/orderalert/orderalert/adapters/auth"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

// world is the isolation test's deployment: instances on one database, random shops, their
// employees and platform staff, the sockets they keep open, and the orders paid so far.
type world struct {
	rng       *rand.Rand
	url       string
	instances []*service
	shops     []int64
	accounts  []*account
	viewers   []*viewer
	orders    []*placed

	keys      map[int64]http.Header // each shop's integration key, made on its first publish
	anyKey    http.Header           // a key that may publish to every shop
	published map[int64]int64       // a published alert's id → the shop it was published to
	idemKeys  []idempotent          // what was published with an idempotency key, to repeat
}

// idempotent is one publish with an idempotency key and the alert it got.
type idempotent struct {
	header http.Header
	body   map[string]any
	id     int64
}

// account is one admin account, logged in.
type account struct {
	username string
	shop     int64 // 0: platform staff
	header   http.Header
}

// scope is what the account sees without ?shopId=: its shop, or nil for every shop.
func (a *account) scope() []int64 {
	if a.shop == 0 {
		return nil
	}
	return []int64{a.shop}
}

// placed is one paid order, with the shop it was placed in.
type placed struct {
	id, shop, user int64
	reminded       bool // a reminder rang; the cooldown would refuse a second within the test
}

// quickPasswords hashes the accounts' passwords with bcrypt's lowest cost: the login checks them
// as any bcrypt hash, and a dozen accounts do not take half a minute under the race detector.
var quickPasswords = fx.Decorate(func(application.PasswordHasher) application.PasswordHasher {
	return auth.Bcrypt{Cost: bcrypt.MinCost}
})

// newWorld creates 3–5 shops (shop 1 is the schema's), one or two employees for each and two or
// three platform staff besides the first admin, as the command line does, and logs them in.
func newWorld(t *testing.T, rng *rand.Rand, url string, instances []*service) *world {
	t.Helper()
	w := &world{rng: rng, url: url, instances: instances, shops: []int64{1}, keys: map[int64]http.Header{}, published: map[int64]int64{}}
	ctx := context.Background()
	type created struct {
		username string
		shop     int64
	}
	var people []created
	err := asTheCLI(t, url, func(shops application.CreateShop, staff application.CreateEmployee) error {
		for i := range 2 + rng.IntN(3) {
			s, err := shops.Execute(ctx, employee.Access{}, fmt.Sprintf("门店 %d", i+2))
			if err != nil {
				return err
			}
			w.shops = append(w.shops, s.ID)
		}
		for _, s := range w.shops {
			for i := range 1 + rng.IntN(2) {
				people = append(people, created{fmt.Sprintf("shop%d-staff%d", s, i), s})
			}
		}
		for i := range 2 + rng.IntN(2) {
			people = append(people, created{fmt.Sprintf("platform%d", i), 0})
		}
		for _, p := range people {
			where := application.Workplace{ShopID: p.shop, Platform: p.shop == 0}
			if _, err := staff.Execute(ctx, p.username, p.username, p.username+"'s password", where); err != nil {
				return err
			}
		}
		return nil
	}, quickPasswords)
	if err != nil {
		t.Fatal(err)
	}
	w.accounts = append(w.accounts, &account{username: "admin", header: instances[0].adminHeader(t)})
	for _, p := range people {
		header := w.instance().login(t, p.username, p.username+"'s password")
		w.accounts = append(w.accounts, &account{username: p.username, shop: p.shop, header: header})
	}
	return w
}

// instance is one of the instances, at random.
func (w *world) instance() *service { return w.instances[w.rng.IntN(len(w.instances))] }

// openSockets gives every account one or two sockets on random instances. A shop's employee
// names its own shop now and then (accepted); platform staff name a random subset of the shops,
// or none for every shop. Some ask for ?events=1. Each first connects with lastAlertId=0, so
// that it is owed every alert of its shops.
func (w *world) openSockets(t *testing.T) {
	t.Helper()
	for _, a := range w.accounts {
		for i := range 1 + w.rng.IntN(2) {
			v := &viewer{owner: a, sid: fmt.Sprintf("%s-%d", a.username, i), scope: a.scope()}
			switch {
			case a.shop != 0 && w.rng.IntN(2) == 0:
				v.query += fmt.Sprintf("&shopId=%d", a.shop)
			case a.shop == 0 && w.rng.IntN(3) > 0:
				v.scope = w.someShops()
				for _, s := range v.scope {
					v.query += fmt.Sprintf("&shopId=%d", s)
				}
			}
			if w.rng.IntN(3) == 0 {
				v.query += "&events=1"
			}
			v.connect(t, w.instance())
			w.viewers = append(w.viewers, v)
		}
	}
}

// someShops is a random non-empty subset of the shops, in increasing order.
func (w *world) someShops() []int64 {
	var some []int64
	for len(some) == 0 {
		for _, s := range w.shops {
			if w.rng.IntN(2) == 0 {
				some = append(some, s)
			}
		}
	}
	return some
}

// sees reports whether a scope (nil: every shop) holds shop.
func sees(scope []int64, shop int64) bool { return scope == nil || slices.Contains(scope, shop) }

// someoneElses is a shop other than own, at random.
func (w *world) someoneElses(own int64) int64 {
	for {
		if s := w.shops[w.rng.IntN(len(w.shops))]; s != own {
			return s
		}
	}
}
