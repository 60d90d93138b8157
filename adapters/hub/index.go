package hub

import (
	"iter"

	"github.com/orderalert/orderalert/domain/alert"
)

// shopIndex keeps the sockets that take frames by the shops they watch, so that an alert visits
// only the sockets that want it: those under its shop and those of every shop. A shop's
// employee's socket is under its shop; a platform socket that named shops (?shopId=) under each
// of them; a platform socket that named none in everyShop. A socket is therefore either in
// everyShop or under its shops, never both, and an alert (of one shop) meets it at most once.
//
// Within each place, sockets opened without ?events=1 are kept apart from those with it: they
// take only the built-in kinds, and an alert of another kind must not even visit them. A child
// thus never receives a frame its filter would drop, and other shops' traffic never counts
// against its queue limit.
type shopIndex struct {
	everyShop *audience
	byShop    map[int64]*audience // no empty audience is kept
}

// audience is the sockets of one place of the index, by the kinds they take.
type audience struct {
	builtin  map[uint64]*entry // kinds 1 and 2 only (no ?events=1)
	allKinds map[uint64]*entry // every kind (?events=1)
}

func newShopIndex() shopIndex {
	return shopIndex{everyShop: newAudience(), byShop: map[int64]*audience{}}
}

func newAudience() *audience {
	return &audience{builtin: map[uint64]*entry{}, allKinds: map[uint64]*entry{}}
}

// add puts e wherever its filter sends it.
func (x *shopIndex) add(e *entry) {
	if e.filter.Shops.All() {
		x.everyShop.add(e)
		return
	}
	for _, id := range e.filter.Shops.Shops() {
		a := x.byShop[id]
		if a == nil {
			a = newAudience()
			x.byShop[id] = a
		}
		a.add(e)
	}
}

// remove takes e out of every place add put it; a shop left without sockets is forgotten.
func (x *shopIndex) remove(e *entry) {
	if e.filter.Shops.All() {
		x.everyShop.remove(e)
		return
	}
	for _, id := range e.filter.Shops.Shops() {
		if a := x.byShop[id]; a != nil {
			a.remove(e)
			if a.empty() {
				delete(x.byShop, id)
			}
		}
	}
}

// receivers are the sockets that take an alert of type t of shop, each once. The caller may
// remove the socket it is visiting (a slow consumer) while it iterates.
func (x *shopIndex) receivers(shop int64, t alert.Type) iter.Seq[*entry] {
	return func(yield func(*entry) bool) {
		if !x.everyShop.each(t, yield) {
			return
		}
		if a := x.byShop[shop]; a != nil {
			a.each(t, yield)
		}
	}
}

func (a *audience) add(e *entry) { a.set(e)[e.key] = e }

func (a *audience) remove(e *entry) { delete(a.set(e), e.key) }

func (a *audience) set(e *entry) map[uint64]*entry {
	if e.filter.AllKinds {
		return a.allKinds
	}
	return a.builtin
}

func (a *audience) empty() bool { return len(a.builtin) == 0 && len(a.allKinds) == 0 }

// each yields the sockets that take type t, and reports whether yield asked for more.
func (a *audience) each(t alert.Type, yield func(*entry) bool) bool {
	for _, e := range a.allKinds {
		if !yield(e) {
			return false
		}
	}
	if !t.Builtin() {
		return true
	}
	for _, e := range a.builtin {
		if !yield(e) {
			return false
		}
	}
	return true
}
