package memory

import (
	"sync"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

var _ application.AlertFeedWaker = (*CommitRecorder)(nil)

// recentKept bounds what a CommitRecorder remembers, so that a long-running process does not grow.
const recentKept = 1000

// CommitRecorder remembers the most recent alerts it was given. It stands in for the real-time hub
// where no dashboard is attached (use-case tests, and the service until sockets exist).
type CommitRecorder struct {
	mu     sync.Mutex
	recent []alert.Alert
}

// Committed implements application.AlertFeedWaker; it only appends under a mutex.
func (b *CommitRecorder) Committed(a alert.Alert) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.recent) == recentKept {
		b.recent = append(b.recent[:0], b.recent[1:]...)
	}
	b.recent = append(b.recent, a)
}

// Recent returns the alerts broadcast so far, oldest first (at most the last 1000).
func (b *CommitRecorder) Recent() []alert.Alert {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]alert.Alert{}, b.recent...)
}
