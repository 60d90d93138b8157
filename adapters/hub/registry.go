package hub

import (
	"iter"

	"github.com/orderalert/orderalert/domain/alert"
)

// registry is the manager's record of its sockets; only the manager's goroutine touches it, so
// it needs no lock. It knows every socket until its child has ended (by key, and by child for
// Terminated), the current socket of each dashboard (admin, sid), and, in the shop index, the
// sockets that still take frames: one that is closing leaves the index at once, so that no
// alert visits it while its child winds down.
type registry struct {
	byKey   map[uint64]*entry
	byPID   map[string]uint64    // child PID id → key
	bySID   map[dashboard]uint64 // the current socket of each admin's sid
	sending shopIndex
}

// dashboard names one dashboard: a sid is unique within one admin account, so another
// account's page with the same sid is another dashboard and replaces nothing.
type dashboard struct {
	admin int64
	sid   string
}

func newRegistry() *registry {
	return &registry{byKey: map[uint64]*entry{}, byPID: map[string]uint64{}, bySID: map[dashboard]uint64{}, sending: newShopIndex()}
}

// add registers e, whose child is spawned, as its dashboard's current socket. It returns the
// open socket of the same dashboard that e replaces, if any: that one takes no frame from now
// on, and the caller closes it (4509).
func (r *registry) add(e *entry) (replaced *entry) {
	if old, ok := r.bySID[e.page]; ok {
		if o := r.byKey[old]; o != nil && r.stopSending(o) {
			replaced = o
		}
	}
	r.byKey[e.key], r.byPID[e.pid.Id], r.bySID[e.page] = e, e.key, e.key
	r.sending.add(e)
	return replaced
}

// stopSending marks e as closing: it leaves the index and takes no frame any more. It reports
// whether e was still open, so that whoever closes a socket closes it once.
func (r *registry) stopSending(e *entry) bool {
	if e.closing {
		return false
	}
	e.closing = true
	r.sending.remove(e)
	return true
}

// child is the socket whose child actor has this PID id.
func (r *registry) child(pid string) (*entry, bool) {
	key, ok := r.byPID[pid]
	if !ok {
		return nil, false
	}
	return r.byKey[key], true
}

// forget removes e, whose child has ended, from everything; its dashboard's sid is freed only if
// no newer socket took it.
func (r *registry) forget(e *entry) {
	r.stopSending(e)
	if r.bySID[e.page] == e.key {
		delete(r.bySID, e.page)
	}
	delete(r.byPID, e.pid.Id)
	delete(r.byKey, e.key)
}

// receivers are the open sockets that take an alert of type t of shop.
func (r *registry) receivers(shop int64, t alert.Type) iter.Seq[*entry] {
	return r.sending.receivers(shop, t)
}

// open are the sockets not closing, for pings, revocation and shutdown.
func (r *registry) open() iter.Seq[*entry] {
	return func(yield func(*entry) bool) {
		for _, e := range r.byKey {
			if !e.closing && !yield(e) {
				return
			}
		}
	}
}
