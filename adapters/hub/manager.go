package hub

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/orderalert/orderalert/application"
)

// manager is the connection-manager actor: it owns the registry of sockets, spawns and stops
// their child actors and fans every alert out to the sockets of its shop (registry.go).
type manager struct {
	cfg    Config
	alerts application.AlertLog
	log    *slog.Logger
	live   *atomic.Int64 // sockets registered, for Hub.Len

	sockets *registry

	holds func(application.Credential) bool // the last revoke's check (revoke.go), nil before it
}

func newManager(cfg Config, alerts application.AlertLog, log *slog.Logger, live *atomic.Int64) *manager {
	return &manager{
		cfg: cfg, alerts: alerts, log: log, live: live,
		sockets: newRegistry(),
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
		for e := range m.sockets.open() {
			ctx.Send(e.pid, msg)
		}
	case *revoke:
		m.revoke(msg)
	case *shutdown:
		for e := range m.sockets.open() {
			m.sockets.stopSending(e)
			e.socket.Close(application.CloseShutdown)
		}
	case *actor.Terminated:
		m.terminated(msg.Who)
	}
}

func (m *manager) connect(ctx actor.Context, msg *connect) {
	e := &entry{
		key: msg.key, page: dashboard{admin: msg.opts.AdminID, sid: msg.opts.SID}, socket: msg.socket,
		pending: new(atomic.Int64), cred: msg.opts.Credential(), filter: msg.opts.Filter(),
	}
	// Actor names are the system's own, never the client's sid.
	e.pid = ctx.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return &connActor{
			socket: msg.socket, opts: msg.opts, pending: e.pending, alerts: m.alerts,
			pageSize: m.cfg.ReplayPageSize, log: m.log, observer: m.cfg.Observer,
		}
	}))
	if old := m.sockets.add(e); old != nil {
		old.socket.Close(application.CloseReplaced)
	}
	m.live.Add(1)
	m.closeIfRevoked(e)
}

func (m *manager) disconnect(ctx actor.Context, key uint64) {
	e := m.sockets.byKey[key]
	if e == nil {
		return
	}
	m.sockets.stopSending(e)
	ctx.Stop(e.pid)
}

// fanOut sends one shared frame to the open sockets that take it — those of its shop and those
// of every shop (index.go) — and visits no other. A socket with more frames pending than the
// queue limit is closed as a slow consumer instead; the others are not affected.
func (m *manager) fanOut(ctx actor.Context, d *deliver) {
	for e := range m.sockets.receivers(d.shop, d.typ) {
		if e.pending.Add(1) > int64(m.cfg.QueueLimit) {
			e.pending.Add(-1)
			m.sockets.stopSending(e)
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
	e, ok := m.sockets.child(who.Id)
	if !ok {
		return
	}
	if m.sockets.stopSending(e) {
		m.log.Error("a dashboard socket's actor failed; closing the socket", "sid", e.page.sid)
		e.socket.Close(application.CloseInternal)
	}
	m.sockets.forget(e)
	m.live.Add(-1)
}
