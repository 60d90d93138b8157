package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

var (
	_ application.Dashboards     = (*Hub)(nil)
	_ application.AlertFeedWaker = (*Hub)(nil)
)

// Config tunes the hub.
type Config struct {
	PingInterval   time.Duration   // ping (or heartbeat frame) period
	QueueLimit     int             // frames queued per socket before it is closed as slow
	ReplayPageSize int             // alerts read per page when a socket resumes
	FeedInterval   time.Duration   // longest time before the feed looks at the log unwoken
	RemoteWakeups  <-chan struct{} // commits of other instances (PostgreSQL NOTIFY); nil for none
	Observer       Observer        // told of deliveries and slow consumers, for metrics; nil for none
}

// Hub is the connection manager and the feed that drives it.
type Hub struct {
	cfg     Config
	system  *actor.ActorSystem
	manager *actor.PID
	feed    *feed
	live    atomic.Int64
	keys    atomic.Uint64

	stopFeed context.CancelFunc
	feedDone chan struct{}
	sessions sync.WaitGroup // attached sockets whose handler has not ended
	stopping atomic.Bool
	stopOnce sync.Once
	stopErr  error
}

// New builds the hub; Start starts it.
func New(cfg Config, alerts application.AlertLog, log *slog.Logger) *Hub {
	log = log.With("component", "hub")
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	h := &Hub{cfg: cfg, feedDone: make(chan struct{})}
	h.system = actor.NewActorSystem(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(atLeast(log.Handler(), slog.LevelWarn)) }),
	)
	h.feed = &feed{
		alerts: alerts, local: make(chan struct{}, 1), remote: cfg.RemoteWakeups, interval: cfg.FeedInterval,
		log: log, deliver: func(a alert.Alert) {
			h.system.Root.Send(h.manager, &deliver{id: a.ID, shop: a.ShopID, typ: a.Type, created: a.CreatedAt, frame: encode(a)})
		},
	}
	h.manager = h.system.Root.Spawn(actor.PropsFromProducer(
		func() actor.Actor { return newManager(cfg, alerts, log, &h.live) },
		actor.WithSupervisor(childSupervisor),
	))
	return h
}

// Start positions the feed at the newest alert and starts it and the ping ticker.
func (h *Hub) Start(ctx context.Context) error {
	if err := h.feed.start(ctx); err != nil {
		return fmt.Errorf("start the alert feed: %w", err)
	}
	feedCtx, cancel := context.WithCancel(context.Background())
	h.stopFeed = cancel
	go func() {
		defer close(h.feedDone)
		h.feed.run(feedCtx)
	}()
	go h.tick(feedCtx)
	return nil
}

func (h *Hub) tick(ctx context.Context) {
	t := time.NewTicker(h.cfg.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.system.Root.Send(h.manager, &tick{})
		}
	}
}

// Committed implements application.AlertFeedWaker: it only wakes the feed, which reads the
// committed alert from the log in id order with every other.
func (h *Hub) Committed(alert.Alert) { h.feed.wake() }

// Attach implements application.Dashboards.
func (h *Hub) Attach(socket application.DashboardSocket, opts application.DashboardOptions) (func(), error) {
	if h.stopping.Load() {
		return nil, fmt.Errorf("attach dashboard: %w", application.ErrUnavailable)
	}
	key := h.keys.Add(1)
	h.sessions.Add(1)
	h.system.Root.Send(h.manager, &connect{key: key, socket: socket, opts: opts})
	var once sync.Once
	return func() {
		once.Do(func() {
			h.system.Root.Send(h.manager, &disconnect{key: key})
			h.sessions.Done()
		})
	}, nil
}

// Len is the number of sockets the manager holds.
func (h *Hub) Len() int { return int(h.live.Load()) }

// Stop closes every socket with 1001, waits for their handlers to end, then stops the actors
// and the feed. protoactor's Shutdown alone stops no actor, hence the explicit stop. Only the
// first call does it (the application stops the hub before the HTTP server drains, and again
// with its own lifecycle); later ones return its result.
func (h *Hub) Stop(ctx context.Context) error {
	h.stopOnce.Do(func() { h.stopErr = h.stop(ctx) })
	return h.stopErr
}

func (h *Hub) stop(ctx context.Context) error {
	h.stopping.Store(true)
	h.system.Root.Send(h.manager, &shutdown{})
	ended := make(chan struct{})
	go func() { h.sessions.Wait(); close(ended) }()
	var err error
	select {
	case <-ended:
	case <-ctx.Done():
		err = errors.New("stop hub: dashboard sockets still open at the deadline")
	}
	if stopErr := h.system.Root.StopFuture(h.manager).Wait(); stopErr != nil && err == nil {
		err = fmt.Errorf("stop hub: %w", stopErr)
	}
	if h.stopFeed != nil {
		h.stopFeed()
		<-h.feedDone
	}
	h.system.Shutdown()
	return err
}
