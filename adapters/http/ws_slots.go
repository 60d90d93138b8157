package http

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// The refusals of wsSlots.reserve.
var (
	errInstanceFull = errors.New("the instance has as many dashboard sockets as it allows")
	errAdminFull    = errors.New("the admin has as many dashboard sockets as allowed")
)

// wsSlots counts the dashboard sockets of this instance, in total (ORDERALERT_WS_MAX_CONNECTIONS)
// and per admin account (ORDERALERT_WS_MAX_PER_ADMIN), so that a refusal is a plain HTTP status
// before the upgrade. A slot is reserved before the upgrade and released when the socket's
// handler ends or the upgrade fails, so the count is exact however many upgrades race.
//
// The count is of dashboards: sockets of one admin with the same sid share a slot, because the
// hub replaces the older with the newer (4509). A page that reconnects while its old socket is
// still open (a laptop waking on another network) is therefore never refused by a limit that
// its own dead socket fills.
//
// It lives in the HTTP adapter, beside the other checks before the upgrade (draining, origin),
// because what it bounds — connections and the memory they hold — is this adapter's: the hub
// sees a socket only after the upgrade, too late to answer with an HTTP status.
type wsSlots struct {
	max, perAdmin int
	// claimWindow bounds how long a reservation waits for its handler: fasthttp can drop an
	// upgraded connection without ever running the handler (writing the 101 failed), and the
	// slot must not leak then.
	claimWindow time.Duration

	mu     sync.Mutex
	admins map[int64]int        // dashboards per admin
	sids   map[dashboardKey]int // sockets per dashboard; its size is the instance's dashboard count
	named  map[string]int       // dashboards per sid, of any admin, for full
}

type dashboardKey struct {
	admin int64
	sid   string
}

func newWSSlots(maxTotal, perAdmin int, claimWindow time.Duration) *wsSlots {
	return &wsSlots{max: maxTotal, perAdmin: perAdmin, claimWindow: claimWindow, admins: map[int64]int{}, sids: map[dashboardKey]int{}, named: map[string]int{}}
}

// full reports whether a socket with sid is sure to be refused because the instance is full: a
// cheap check before authentication, which spends a single-use ticket. A sid that is open may
// be a page reconnecting, which needs no new slot.
func (s *wsSlots) full(sid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sids) >= s.max && s.named[sid] == 0
}

// reserve takes a slot for a socket of admin with sid, or returns errAdminFull or
// errInstanceFull. The slot must be claimed by the socket's handler within the claim window and
// released when it ends, or released at once if the upgrade fails.
func (s *wsSlots) reserve(admin int64, sid string) (*wsSlot, error) {
	key := dashboardKey{admin: admin, sid: sid}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sids[key] == 0 {
		switch {
		case s.admins[admin] >= s.perAdmin:
			return nil, errAdminFull
		case len(s.sids) >= s.max:
			return nil, errInstanceFull
		}
		s.admins[admin]++
		s.named[sid]++
	}
	s.sids[key]++
	slot := &wsSlot{slots: s, key: key}
	slot.watchdog = time.AfterFunc(s.claimWindow, slot.expire)
	return slot, nil
}

func (s *wsSlots) free(key dashboardKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sids[key]--; s.sids[key] > 0 {
		return
	}
	delete(s.sids, key)
	if s.named[key.sid]--; s.named[key.sid] == 0 {
		delete(s.named, key.sid)
	}
	if s.admins[key.admin]--; s.admins[key.admin] == 0 {
		delete(s.admins, key.admin)
	}
}

// counts is the number of dashboards, in total and of admin, for tests.
func (s *wsSlots) counts(admin int64) (total, ofAdmin int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sids), s.admins[admin]
}

// wsSlot is one reservation: reserved, then claimed by the socket's handler, then released.
type wsSlot struct {
	slots    *wsSlots
	key      dashboardKey
	state    atomic.Int32
	watchdog *time.Timer
}

const (
	slotReserved int32 = iota
	slotClaimed
	slotReleased
)

// claim is the handler taking the slot; false if the claim window has passed and the slot was
// released, in which case the handler must close the socket.
func (s *wsSlot) claim() bool {
	if s.state.CompareAndSwap(slotReserved, slotClaimed) {
		s.watchdog.Stop()
		return true
	}
	return false
}

// release gives the slot back; later calls do nothing.
func (s *wsSlot) release() {
	if s.state.Swap(slotReleased) != slotReleased {
		s.watchdog.Stop()
		s.slots.free(s.key)
	}
}

// expire releases a slot that no handler claimed in time.
func (s *wsSlot) expire() {
	if s.state.CompareAndSwap(slotReserved, slotReleased) {
		s.slots.free(s.key)
	}
}
