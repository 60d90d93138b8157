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

	lastSent int64 // the highest id written; lower or equal ids are dropped
	closed   bool
}

func (c *connActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		if c.opts.LastAlertID != nil {
			c.replay(*c.opts.LastAlertID)
		}
	case *deliver:
		c.pending.Add(-1)
		if !c.closed && msg.id > c.lastSent {
			c.send(msg.id, msg.frame)
		}
	case *tick:
		c.ping()
	}
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
		for _, a := range page {
			if !c.send(a.ID, encode(a)) {
				return
			}
		}
		if len(page) < c.pageSize {
			return
		}
	}
}

// send writes one frame and reports whether the socket is still usable.
func (c *connActor) send(id int64, frame []byte) bool {
	if err := c.socket.Send(frame); err != nil {
		if errors.Is(err, application.ErrWriteTimeout) {
			c.log.Warn("closing a slow dashboard socket: a write timed out", "sid", c.opts.SID, "code", application.CloseSlowConsumer.Code)
			c.close(application.CloseSlowConsumer)
		}
		c.closed = true
		return false
	}
	c.lastSent = id
	return true
}

func (c *connActor) ping() {
	if c.closed {
		return
	}
	if c.opts.Heartbeat {
		c.send(c.lastSent, heartbeatFrame)
		return
	}
	if err := c.socket.Ping(); err != nil {
		c.closed = true
	}
}

func (c *connActor) fail(what string, err error) {
	c.log.Error("dashboard socket failed: "+what, "sid", c.opts.SID, "err", err)
	c.close(application.CloseInternal)
}

func (c *connActor) close(reason application.CloseReason) {
	c.closed = true
	c.socket.Close(reason)
}
