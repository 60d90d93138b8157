// Package notify carries "an alert was committed" between instances that share one PostgreSQL
// database, with LISTEN/NOTIFY through pgdriver's listener.
//
// A notification is only a wake-up: the feed of each instance then reads the alert log after its
// own cursor, so a notification may be lost (what is sent while the listener reconnects is gone)
// without losing an alert — the feed's timer reads the log at least every second anyway, and
// catches up.
//
// pgdriver's listener reconnects silently. To know whether it is listening — for /readyz and
// the metrics — the listener is driven here with pgdriver's low-level ReceiveTimeout instead of
// its Channel: a receive error means the connection broke (pgdriver discards it and dials again
// on the next receive), and a ping, a NOTIFY on a channel of this instance's own sent through
// the pool when nothing was heard for a while, proves that the connection still delivers.
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Config tunes a listener.
type Config struct {
	// Channel is the channel the alert log notifies at each commit.
	Channel string
	// PingInterval is how long a connection may stay silent before it is pinged; one that stays
	// silent for another interval after a ping is taken for dead. Zero means 5 s.
	PingInterval time.Duration
	// Observer is told when the connection goes down and comes back; nil for none.
	Observer Observer
}

// Observer is told of the listener's connection, for metrics.
type Observer interface {
	// ListenerConnected: the listener is listening; reconnect is false for its first connection.
	ListenerConnected(reconnect bool)
	// ListenerDisconnected: the listener lost its connection and is reconnecting.
	ListenerDisconnected()
}

const (
	defaultPingInterval = 5 * time.Second
	// retryInterval paces the attempts while the connection is down.
	retryInterval = 500 * time.Millisecond
	// pingTimeout bounds one ping through the pool.
	pingTimeout = 2 * time.Second
	// replaceTimeout bounds the dial of a fresh connection that replaces a dead one.
	replaceTimeout = 5 * time.Second
)

// Listener turns notifications on one channel into wake-ups and knows whether it is listening.
type Listener struct {
	db          *bun.DB
	cfg         Config
	pingChannel string
	log         *slog.Logger
	wake        chan struct{}
	connected   atomic.Bool

	mu      sync.Mutex // guards ln and stopped: the loop replaces ln, Stop closes it
	ln      *pgdriver.Listener
	stopped bool

	cancel context.CancelFunc
	done   chan struct{}
}

// NewListener returns a listener for cfg.Channel; Start begins listening.
func NewListener(db *bun.DB, cfg Config, log *slog.Logger) *Listener {
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = defaultPingInterval
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix) // never fails (crypto/rand panics rather than return an error)
	return &Listener{
		db: db, cfg: cfg, log: log.With("component", "listener"),
		// Each instance pings a channel of its own, so that it hears only its own pings.
		pingChannel: cfg.Channel + "_ping_" + hex.EncodeToString(suffix),
		wake:        make(chan struct{}, 1), done: make(chan struct{}),
	}
}

// Wakeups delivers one value after one or more notifications, and after a reconnection (what
// other instances committed meanwhile was not announced).
func (l *Listener) Wakeups() <-chan struct{} { return l.wake }

// Connected reports whether the listener is listening now.
func (l *Listener) Connected() bool { return l.connected.Load() }

// Name names the listener in readiness reports.
func (l *Listener) Name() string { return "listener" }

// Ready returns an error while the listener is not listening: this instance then learns of other
// instances' alerts only by polling, up to a second late.
func (l *Listener) Ready(context.Context) error {
	if !l.Connected() {
		return errors.New("not listening for other instances' alerts")
	}
	return nil
}

// Start listens; it fails if the database refuses.
func (l *Listener) Start(ctx context.Context) error {
	ln := pgdriver.NewListener(l.db)
	if err := ln.Listen(ctx, l.cfg.Channel, l.pingChannel); err != nil {
		_ = ln.Close()
		return fmt.Errorf("listen for alerts of other instances: %w", err)
	}
	l.ln = ln
	l.connected.Store(true)
	l.cfg.Observer.ListenerConnected(false)
	runCtx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	go l.run(runCtx)
	return nil
}

// Stop stops listening.
func (l *Listener) Stop(context.Context) error {
	if l.cancel == nil {
		return nil
	}
	l.cancel()
	l.mu.Lock()
	l.stopped = true
	err := l.ln.Close() // wakes a receive in progress
	l.mu.Unlock()
	<-l.done
	return err
}

func (l *Listener) current() *pgdriver.Listener {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ln
}

func (l *Listener) signal() {
	select {
	case l.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
}

type nopObserver struct{}

func (nopObserver) ListenerConnected(bool) {}
func (nopObserver) ListenerDisconnected()  {}
