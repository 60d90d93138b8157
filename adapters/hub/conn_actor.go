package hub

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/orderalert/orderalert/application"
)

// connActor is one dashboard socket's child actor and its only writer.
type connActor struct {
	socket   application.DashboardSocket
	opts     application.DashboardOptions
	pending  *atomic.Int64
	alerts   application.AlertLog
	pageSize int
	log      *slog.Logger
	observer Observer

	lastSent  int64      // the highest id written or queued; lower or equal ids are dropped
	replaying bool       // the backlog is still being read: live frames are left to the replay
	batch     []*deliver // alerts waiting for the last queued deliver, written together
	frames    [][]byte   // the batch's frames, the argument of one write (reused)
	closed    bool
}

// maxBatch bounds the frames written with one system call.
const maxBatch = 64

func (c *connActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		if c.opts.LastAlertID != nil {
			c.startReplay(ctx, *c.opts.LastAlertID)
		}
	case *replayNext:
		c.replayPage(ctx)
	case *deliver:
		more := c.pending.Add(-1) > 0
		// While replaying, a live alert is left to the replay, which reads it from the log: it
		// was committed before the feed read it, and a page is still to be read after it.
		if c.closed || c.replaying || msg.id <= c.lastSent {
			return
		}
		// While more frames wait in the mailbox, collect them: a socket that fell behind
		// catches up with one write for many frames instead of one each.
		c.batch = append(c.batch, msg)
		c.lastSent = msg.id
		if !more || len(c.batch) >= maxBatch {
			c.flush()
		}
	case *tick:
		c.flush()
		c.ping()
	}
}

func (c *connActor) flush() {
	if len(c.batch) == 0 {
		return
	}
	for _, d := range c.batch {
		c.frames = append(c.frames, d.frame)
	}
	if c.send(c.frames...) {
		written := time.Now()
		for _, d := range c.batch {
			c.observer.Delivered(d.typ, written.Sub(d.created))
		}
	}
	clear(c.frames)
	c.frames = c.frames[:0]
	clear(c.batch)
	c.batch = c.batch[:0]
}

// startReplay checks the client's lastAlertID and writes the first page of its backlog.
func (c *connActor) startReplay(ctx actor.Context, lastAlertID int64) {
	// Against the highest id ever assigned, not the newest stored alert: once every alert is
	// pruned, a client holding the last id is up to date, not ahead.
	newest, err := c.alerts.LastAssignedID(context.Background())
	if err != nil {
		c.fail("read the last alert id", err)
		return
	}
	if lastAlertID > newest {
		// The client saw ids this database never had: it was replaced or restored.
		c.close(application.CloseResync)
		return
	}
	c.lastSent, c.replaying = lastAlertID, true
	c.replayPage(ctx)
}

// replayPage writes the next page of the backlog after lastSent and, if the page was full,
// queues the next one behind whatever the mailbox holds. The replay thus goes at the socket's
// pace, and between pages the child handles its mailbox: live frames (dropped, see Receive),
// so that they never pile up against the queue limit however long the backlog, and pings.
func (c *connActor) replayPage(ctx actor.Context) {
	if c.closed {
		return
	}
	page, err := c.alerts.After(context.Background(), c.opts.Filter(), c.lastSent, c.pageSize)
	if err != nil {
		c.fail("replay alerts", err)
		return
	}
	if len(page) > 0 {
		frames := make([][]byte, len(page))
		for i, a := range page {
			frames[i] = encode(a)
		}
		if !c.send(frames...) {
			return
		}
		for _, a := range page {
			c.observer.Replayed(a.Type)
		}
		c.lastSent = page[len(page)-1].ID
	}
	if len(page) < c.pageSize {
		c.replaying = false // caught up: from now on live frames are written
		return
	}
	ctx.Send(ctx.Self(), &replayNext{})
}

// send writes frames and reports whether the socket is still usable.
func (c *connActor) send(frames ...[]byte) bool { return c.wrote(c.socket.Send(frames...)) }

// wrote reports whether a write (frames or a ping) left the socket usable; one that timed out
// closes it as a slow consumer.
func (c *connActor) wrote(err error) bool {
	if err == nil {
		return true
	}
	if errors.Is(err, application.ErrWriteTimeout) {
		c.log.Warn("closing a slow dashboard socket: a write timed out", "sid", c.opts.SID, "code", application.CloseSlowConsumer.Code)
		c.close(application.CloseSlowConsumer)
		c.observer.SlowConsumer(application.SlowWriteTimeout)
	}
	c.closed = true
	return false
}

// ping pings every socket: its pong is what extends the server's read deadline. A socket that
// asked for heartbeats gets {"type":0} besides, in addition to the ping and never instead of
// it, because a browser answers pings but cannot see them.
func (c *connActor) ping() {
	if c.closed {
		return
	}
	if c.wrote(c.socket.Ping()) && c.opts.Heartbeat {
		c.send(heartbeatFrame)
	}
}

func (c *connActor) fail(what string, err error) {
	if errors.Is(err, application.ErrUnavailable) {
		// Nothing is wrong with this socket: the client should come back a little later.
		c.log.Warn("dashboard socket closed: "+what, "sid", c.opts.SID, "err", err, "code", application.CloseTryAgain.Code)
		c.close(application.CloseTryAgain)
		return
	}
	c.log.Error("dashboard socket failed: "+what, "sid", c.opts.SID, "err", err)
	c.close(application.CloseInternal)
}

func (c *connActor) close(reason application.CloseReason) {
	c.closed = true
	c.socket.Close(reason)
}
