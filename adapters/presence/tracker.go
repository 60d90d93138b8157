package presence

import (
	"slices"
	"sync"
	"time"

	"github.com/orderalert/orderalert/application"
)

var _ application.ScreenTracker = (*Tracker)(nil)

// dashboard names a screen within this instance, as the presence table's key does.
type dashboard struct {
	employee int64
	sid      string
}

// Tracker keeps this instance's screens and the changes the Writer has not written yet.
type Tracker struct {
	now func() time.Time

	mu        sync.Mutex
	connected map[dashboard]*tracked
	pending   map[dashboard]application.PresenceChange
}

// NewTracker returns a tracker that stamps connections and disconnections with now.
func NewTracker(now func() time.Time) *Tracker {
	return &Tracker{now: now, connected: map[dashboard]*tracked{}, pending: map[dashboard]application.PresenceChange{}}
}

// tracked is one socket; row is its screen as last recorded, under the tracker's mutex.
type tracked struct {
	tracker *Tracker
	key     dashboard
	row     application.PresenceChange
}

// Opened implements application.ScreenTracker. A socket that replaces another of the same
// dashboard takes its row: connectedAt is the newer socket's, and audio and visible are unknown
// again until it reports them.
func (t *Tracker) Opened(screen application.Screen) application.TrackedScreen {
	row := application.Screen{
		SID: screen.SID, EmployeeID: screen.EmployeeID, ShopID: screen.ShopID,
		ShopIDs: slices.Clone(screen.ShopIDs), ConnectedAt: t.now(),
	}
	s := &tracked{tracker: t, key: dashboard{screen.EmployeeID, screen.SID}, row: application.PresenceChange{Screen: row}}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.connected[s.key] = s
	t.pending[s.key] = s.row
	return s
}

// State implements application.TrackedScreen. A state equal to the last one is no change, and
// is not written again.
func (s *tracked) State(audio, visible bool) {
	t := s.tracker
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.connected[s.key] != s {
		return // replaced or closed: the row is another socket's now, or gone
	}
	r := &s.row.Screen
	if r.Audio != nil && *r.Audio == audio && r.Visible != nil && *r.Visible == visible {
		return
	}
	r.Audio, r.Visible = &audio, &visible
	t.pending[s.key] = s.row
}

// Closed implements application.TrackedScreen.
func (s *tracked) Closed() {
	t := s.tracker
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.connected[s.key] != s {
		return
	}
	delete(t.connected, s.key)
	at := t.now()
	s.row.DisconnectedAt = &at
	t.pending[s.key] = s.row
}

// take returns the pending changes and forgets them.
func (t *Tracker) take() []application.PresenceChange {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.pending) == 0 {
		return nil
	}
	changes := make([]application.PresenceChange, 0, len(t.pending))
	for _, c := range t.pending {
		changes = append(changes, c)
	}
	clear(t.pending)
	return changes
}

// putBack returns changes that could not be written, unless a newer change of the same screen
// came meanwhile: that one holds the whole row and supersedes them.
func (t *Tracker) putBack(changes []application.PresenceChange) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range changes {
		key := dashboard{c.Screen.EmployeeID, c.Screen.SID}
		if _, newer := t.pending[key]; !newer {
			t.pending[key] = c
		}
	}
}
