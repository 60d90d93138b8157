package application

import (
	"context"
	"time"

	"github.com/orderalert/orderalert/domain/shop"
)

// Screen is one connected dashboard as GET /admin/presence lists it.
type Screen struct {
	SID          string
	EmployeeID   int64
	EmployeeName string
	ShopID       int64   // the employee's shop; 0: platform staff
	ShopIDs      []int64 // a platform socket's ?shopId=, empty = every shop
	ConnectedAt  time.Time
	// Audio and Visible are the page's last state message; nil until its first one, and always
	// for a socket without ?events=1.
	Audio, Visible *bool
	Instance       string // the instance the socket is connected to
}

// PresenceChange is the state of one of an instance's screens after a change (connect, state,
// disconnect). It carries the whole row, so that changes coalesce — of several changes of one
// screen only the last need be written — and a batch holds each screen once. Screen's
// EmployeeName and Instance are the store's to fill in.
type PresenceChange struct {
	Screen Screen
	// DisconnectedAt is set once the socket has ended; nil while it is connected.
	DisconnectedAt *time.Time
}

// PresenceStore keeps the screens of every instance.
type PresenceStore interface {
	// Heartbeat records that instance is alive now, by the database's clock (instances' clocks
	// may differ), creating its row on the first call.
	Heartbeat(ctx context.Context, instance string) error
	// Apply writes a batch of instance's changes, at most one per screen (EmployeeID, SID), in
	// one transaction; a change replaces what was stored of its screen. The employee's name is
	// read from the employee's record.
	Apply(ctx context.Context, instance string, changes []PresenceChange) error
	// Screens are the connected screens watching any shop of scope (a platform socket watches
	// the shops it named, or every shop), on instances whose heartbeat is at most staleAfter
	// old, in order of ConnectedAt.
	Screens(ctx context.Context, scope shop.Scope, staleAfter time.Duration) ([]Screen, error)
	// Forget deletes a stopping instance's rows: its screens are gone at once, not after
	// staleAfter.
	Forget(ctx context.Context, instance string) error
	// Prune deletes screens disconnected more than olderThan ago and instances silent for
	// more than olderThan, with their screens. It may run on several instances at once.
	Prune(ctx context.Context, olderThan time.Duration) error
}

// ScreenPresence answers the escalation's no_screen question (DESIGN §20.3).
type ScreenPresence interface {
	// HadScreen reports whether between from and to some socket watching shopID (its shop
	// employee's, or a platform socket that named it with ?shopId=) was connected, on an
	// instance alive then, with audio true or unknown (null). A platform socket without ?shopId=
	// does not count; audio:false does not count. "Alive then" is a heartbeat at most
	// staleAfter before from or later. shopID 0 asks for a platform socket watching every shop
	// instead: in a deployment of one shop, its owner is platform staff (the first admin is).
	HadScreen(ctx context.Context, shopID int64, from, to time.Time, staleAfter time.Duration) (bool, error)
}

// ScreenTracker records this instance's dashboards for the presence of every instance. Its
// methods never wait on the database: a socket's read loop calls them.
type ScreenTracker interface {
	// Opened records a socket from its upgrade: SID, EmployeeID, ShopID and ShopIDs of screen
	// are read. The returned TrackedScreen is told the socket's states and its end.
	Opened(screen Screen) TrackedScreen
}

// TrackedScreen is one socket recorded by a ScreenTracker. Its methods may be called from any
// goroutine.
type TrackedScreen interface {
	// State records the page's state message; of several within the tracker's write interval
	// only the last is written.
	State(audio, visible bool)
	// Closed records that the socket ended. A newer socket of the same dashboard (EmployeeID,
	// SID) that replaced this one stays connected.
	Closed()
}
