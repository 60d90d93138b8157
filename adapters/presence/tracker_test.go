package presence

import (
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
)

func TestTrackerWritesChangesOnlyAndTheLastWins(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 3, 4, 0, 0, 0, time.UTC)
	tr := NewTracker(func() time.Time { return at })
	s := tr.Opened(application.Screen{SID: "front", EmployeeID: 3, ShopID: 2})
	if got := tr.take(); len(got) != 1 || got[0].Screen.Audio != nil || !got[0].Screen.ConnectedAt.Equal(at) {
		t.Fatalf("after the connect: %+v", got)
	}
	s.State(true, true)
	s.State(false, true)
	got := tr.take()
	if len(got) != 1 || *got[0].Screen.Audio || !*got[0].Screen.Visible {
		t.Fatalf("two states within a write: %+v, want the last alone", got)
	}
	s.State(false, true)
	if got := tr.take(); len(got) != 0 {
		t.Fatalf("the same state again is a change: %+v", got)
	}
	s.Closed()
	if got := tr.take(); len(got) != 1 || got[0].DisconnectedAt == nil {
		t.Fatalf("after the close: %+v", got)
	}
}

func TestAReplacedSocketsEndLeavesTheNewOneConnected(t *testing.T) {
	t.Parallel()
	tr := NewTracker(time.Now)
	old := tr.Opened(application.Screen{SID: "front", EmployeeID: 3})
	newer := tr.Opened(application.Screen{SID: "front", EmployeeID: 3})
	tr.take()
	old.State(true, true)
	old.Closed()
	if got := tr.take(); len(got) != 0 {
		t.Fatalf("the replaced socket wrote %+v over its successor's row", got)
	}
	newer.State(true, false)
	if got := tr.take(); len(got) != 1 || got[0].DisconnectedAt != nil || !*got[0].Screen.Audio {
		t.Fatalf("the newer socket's state: %+v", got)
	}
}

func TestAFailedBatchIsPutBackUnderNewerChanges(t *testing.T) {
	t.Parallel()
	tr := NewTracker(time.Now)
	a := tr.Opened(application.Screen{SID: "a", EmployeeID: 1})
	tr.Opened(application.Screen{SID: "b", EmployeeID: 1})
	failed := tr.take()
	a.State(true, true)
	tr.putBack(failed)
	got := map[string]application.PresenceChange{}
	for _, c := range tr.take() {
		got[c.Screen.SID] = c
	}
	if len(got) != 2 || got["a"].Screen.Audio == nil || got["b"].Screen.Audio != nil {
		t.Fatalf("after putting back: %+v, want a's newer state and b's connect", got)
	}
}
