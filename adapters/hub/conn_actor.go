package hub

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"

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

	lastSent int64    // the highest id written or queued; lower or equal ids are dropped
	batch    [][]byte // frames waiting for the last queued deliver, written together
	closed   bool
}

// maxBatch bounds the frames written with one system call.
const maxBatch = 64

func (c *connActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		if c.opts.LastAlertID != nil {
			c.replay(*c.opts.LastAlertID)
		}
	case *deliver:
		more := c.pending.Add(-1) > 0
		if c.closed || msg.id <= c.lastSent {
			return
		}
		// While more frames wait in the mailbox, collect them: a socket that fell behind
		// catches up with one write for many frames instead of one each.
		c.batch = append(c.batch, msg.frame)
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
	c.send(c.batch...)
	clear(c.batch)
	c.batch = c.batch[:0]
}

// replay writes every stored alert after lastAlertID, in pages, before any live frame: live
// frames wait in the mailbox meanwhile and are deduplicated by id afterwards.
func (c *connActor) replay(lastAlertID int64) {
	ctx := context.Background()
	newest, err := c.alerts.Latest(ctx, 1)
	if err != nil {
		c.fail("read the newest alert", err)
		return
	}
	if len(newest) == 0 && lastAlertID > 0 || len(newest) == 1 && lastAlertID > newest[0].ID {
		// The client saw ids this database never had: it was replaced or restored.
		c.close(application.CloseResync)
		return
	}
	c.lastSent = lastAlertID
	for !c.closed {
		page, err := c.alerts.After(ctx, c.lastSent, c.pageSize)
		if err != nil {
			c.fail("replay alerts", err)
			return
		}
		if len(page) == 0 {
			return
		}
		frames := make([][]byte, len(page))
		for i, a := range page {
			frames[i] = encode(a)
		}
		if !c.send(frames...) {
			return
		}
		c.lastSent = page[len(page)-1].ID
		if len(page) < c.pageSize {
			return
		}
	}
}

// send writes frames and reports whether the socket is still usable.
func (c *connActor) send(frames ...[]byte) bool {
	if err := c.socket.Send(frames...); err != nil {
		if errors.Is(err, application.ErrWriteTimeout) {
			c.log.Warn("closing a slow dashboard socket: a write timed out", "sid", c.opts.SID, "code", application.CloseSlowConsumer.Code)
			c.close(application.CloseSlowConsumer)
		}
		c.closed = true
		return false
	}
	return true
}

func (c *connActor) ping() {
	if c.closed {
		return
	}
	if c.opts.Heartbeat {
		c.send(heartbeatFrame)
		return
	}
	if err := c.socket.Ping(); err != nil {
		c.closed = true
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
