package hub

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// manager is the connection-manager actor: it owns the registry of sockets, spawns and stops
// their child actors and fans every alert out to them.
type manager struct {
	cfg    Config
	alerts application.AlertLog
	log    *slog.Logger
	live   *atomic.Int64 // sockets registered, for Hub.Len

	byKey map[uint64]*entry
	byPID map[string]uint64    // child PID id → key
	bySID map[dashboard]uint64 // the current socket of each admin's sid

	holds func(application.Credential) bool // the last revoke's check (revoke.go), nil before it
}

// dashboard names one dashboard: a sid is unique within one admin account, so another
// account's page with the same sid is another dashboard and replaces nothing.
type dashboard struct {
	admin int64
	sid   string
}

func newManager(cfg Config, alerts application.AlertLog, log *slog.Logger, live *atomic.Int64) *manager {
	return &manager{
		cfg: cfg, alerts: alerts, log: log, live: live,
		byKey: map[uint64]*entry{}, byPID: map[string]uint64{}, bySID: map[dashboard]uint64{},
	}
}

// childSupervisor stops a child that panics, at once: its state (what it has sent) cannot be
// trusted after a restart, and the manager closes its socket so that the dashboard resumes.
var childSupervisor = actor.NewOneForOneStrategy(1, time.Second, func(any) actor.Directive { return actor.StopDirective })

func (m *manager) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *connect:
		m.connect(ctx, msg)
	case *disconnect:
		m.disconnect(ctx, msg.key)
	case *deliver:
		m.fanOut(ctx, msg)
	case *tick:
		for _, e := range m.byKey {
			if !e.closing {
				ctx.Send(e.pid, msg)
			}
		}
	case *revoke:
		m.revoke(msg)
	case *shutdown:
		for _, e := range m.byKey {
			e.closing = true
			e.socket.Close(application.CloseShutdown)
		}
	case *actor.Terminated:
		m.terminated(msg.Who)
	}
}

func (m *manager) connect(ctx actor.Context, msg *connect) {
	page := dashboard{admin: msg.opts.AdminID, sid: msg.opts.SID}
	if old, ok := m.bySID[page]; ok {
		if e := m.byKey[old]; e != nil && !e.closing {
			e.closing = true
			e.socket.Close(application.CloseReplaced)
		}
	}
	e := &entry{page: page, socket: msg.socket, pending: new(atomic.Int64), cred: msg.opts.Credential(), filter: msg.opts.Filter()}
	// Actor names are the system's own, never the client's sid.
	e.pid = ctx.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return &connActor{
			socket: msg.socket, opts: msg.opts, pending: e.pending, alerts: m.alerts,
			pageSize: m.cfg.ReplayPageSize, log: m.log, observer: m.cfg.Observer,
		}
	}))
	m.byKey[msg.key], m.byPID[e.pid.Id], m.bySID[page] = e, msg.key, msg.key
	m.live.Add(1)
	m.closeIfRevoked(e)
}

func (m *manager) disconnect(ctx actor.Context, key uint64) {
	e := m.byKey[key]
	if e == nil {
		return
	}
	e.closing = true
	ctx.Stop(e.pid)
}

// fanOut sends one shared frame to every open socket. A socket with more frames pending than
// the queue limit is closed as a slow consumer instead; the others are not affected.
func (m *manager) fanOut(ctx actor.Context, d *deliver) {
	a := alert.Alert{ShopID: d.shop, Type: d.typ}
	for _, e := range m.byKey {
		if e.closing || !e.filter.Admits(a) {
			continue
		}
		if e.pending.Add(1) > int64(m.cfg.QueueLimit) {
			e.pending.Add(-1)
			e.closing = true
			m.log.Warn("closing a slow dashboard socket: its queue is full", "sid", e.page.sid, "code", application.CloseSlowConsumer.Code, "queued", m.cfg.QueueLimit)
			e.socket.Close(application.CloseSlowConsumer)
			m.cfg.Observer.SlowConsumer(application.SlowQueueFull)
			continue
		}
		ctx.Send(e.pid, d)
	}
}

// terminated forgets a child that ended; one that ended by itself (a panic) has its socket
// closed so that the dashboard reconnects.
func (m *manager) terminated(who *actor.PID) {
	key, ok := m.byPID[who.Id]
	if !ok {
		return
	}
	e := m.byKey[key]
	if !e.closing {
		m.log.Error("a dashboard socket's actor failed; closing the socket", "sid", e.page.sid)
		e.socket.Close(application.CloseInternal)
	}
	if m.bySID[e.page] == key {
		delete(m.bySID, e.page)
	}
	delete(m.byPID, who.Id)
	delete(m.byKey, key)
	m.live.Add(-1)
}
