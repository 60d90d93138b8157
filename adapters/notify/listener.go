// Package notify carries "an alert was committed" between instances that share one PostgreSQL
// database, with LISTEN/NOTIFY through pgdriver's listener.
//
// A notification is only a wake-up: the feed of each instance then reads the alert log after its
// own cursor, so a notification may be lost (pgdriver reconnects a broken listener silently,
// and what was sent meanwhile is gone) without losing an alert — the feed's timer reads the log
// at least every second anyway, and catches up.
package notify

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Listener turns notifications on one channel into wake-ups.
type Listener struct {
	db      *bun.DB
	channel string
	wake    chan struct{}
	ln      *pgdriver.Listener
	cancel  context.CancelFunc
	done    chan struct{}
}

// NewListener returns a listener of channel (the one the alert log notifies at each commit);
// Start begins listening.
func NewListener(db *bun.DB, channel string) *Listener {
	return &Listener{db: db, channel: channel, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// Wakeups delivers one value after one or more notifications.
func (l *Listener) Wakeups() <-chan struct{} { return l.wake }

// Start listens; it fails if the database refuses.
func (l *Listener) Start(ctx context.Context) error {
	l.ln = pgdriver.NewListener(l.db)
	if err := l.ln.Listen(ctx, l.channel); err != nil {
		_ = l.ln.Close()
		return fmt.Errorf("listen for alerts of other instances: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	go l.run(runCtx)
	return nil
}

func (l *Listener) run(ctx context.Context) {
	defer close(l.done)
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-l.ln.Channel():
			if !ok {
				return
			}
			select {
			case l.wake <- struct{}{}:
			default: // a wake-up is pending already
			}
		}
	}
}

// Stop stops listening.
func (l *Listener) Stop(context.Context) error {
	if l.cancel == nil {
		return nil
	}
	l.cancel()
	err := l.ln.Close()
	<-l.done
	return err
}
