package hub

import (
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// Messages of the manager and its children. Pointers, so that one deliver is shared by every
// child of a broadcast.
type (
	// connect registers a socket under key.
	connect struct {
		key    uint64
		socket application.DashboardSocket
		opts   application.DashboardOptions
	}
	// disconnect: the socket's handler has ended.
	disconnect struct{ key uint64 }
	// deliver is one alert, encoded once; shop and typ choose its sockets, created is for the
	// observer.
	deliver struct {
		id      int64
		shop    int64
		typ     alert.Type
		created time.Time
		frame   []byte
	}
	// tick asks every socket for a ping (or a heartbeat frame).
	tick struct{}
	// replayNext asks a socket's child, from itself, for the next page of its backlog.
	replayNext struct{}
	// shutdown closes every socket with 1001.
	shutdown struct{}
)

// entry is the manager's record of one socket.
type entry struct {
	key     uint64     // the registry's, given on Attach
	pid     *actor.PID // the socket's child actor
	page    dashboard  // whose sid
	socket  application.DashboardSocket
	pending *atomic.Int64 // frames sent to the child and not yet handled by it
	closing bool          // closed or being closed: out of the shop index, sent nothing more

	cred   application.Credential  // what the socket was opened with; closed when it is revoked
	filter application.AlertFilter // what it receives: where the shop index keeps it
}
