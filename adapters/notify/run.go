package notify

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// run receives until ctx ends, and keeps track of whether the connection is up.
func (l *Listener) run(ctx context.Context) {
	defer close(l.done)
	var (
		pinged   bool // a ping is on its way and nothing was heard since
		failures int  // receive errors in a row
		downAt   time.Time
	)
	for ctx.Err() == nil {
		timeout := l.cfg.PingInterval
		if !l.connected.Load() {
			timeout = retryInterval
		}
		channel, _, err := l.current().ReceiveTimeout(ctx, timeout)
		switch {
		case ctx.Err() != nil:
			return
		case err == nil:
			pinged, failures = false, 0
			if !l.connected.Load() {
				l.up(time.Since(downAt))
			}
			if channel == l.cfg.Channel {
				l.signal()
			}
		case errors.Is(err, os.ErrDeadlineExceeded):
			// Nothing arrived in time on an open connection. A ping that failed counts as sent:
			// a database the pool cannot reach either is no proof that the listener is fine.
			if l.connected.Load() && pinged {
				l.down(errors.New("no answer to a ping"), &downAt)
				pinged = false
				l.replace(ctx) // pgdriver would keep waiting on a connection that looks open
				continue
			}
			l.ping(ctx)
			pinged = true
		default:
			// The connection broke, or could not be made: pgdriver has discarded it and dials
			// again on the next receive. A ping shows when that has worked.
			l.down(err, &downAt)
			if failures++; failures > 1 {
				sleep(ctx, retryInterval)
			}
			l.ping(ctx)
			pinged = false
		}
	}
}

// ping sends a notification to this instance's own channel through the pool.
func (l *Listener) ping(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	// A failed ping needs no handling: no answer arrives, and the next timeout says so.
	_, _ = l.db.ExecContext(ctx, "SELECT pg_notify(?, '')", l.pingChannel)
}

func (l *Listener) down(err error, since *time.Time) {
	if !l.connected.Swap(false) {
		return // already down: one log line per outage
	}
	*since = time.Now()
	l.cfg.Observer.ListenerDisconnected()
	l.log.Warn("lost the PostgreSQL listener connection; reconnecting (other instances' alerts arrive by polling meanwhile)", "err", err)
}

func (l *Listener) up(downtime time.Duration) {
	l.connected.Store(true)
	l.cfg.Observer.ListenerConnected(true)
	l.log.Info("PostgreSQL listener reconnected", "down_for", downtime.Round(time.Millisecond).String())
	l.signal() // read what other instances committed while nobody was listening
}

// replace swaps the current pgdriver listener for a fresh one, which dials at once (or on its
// first receive, if the database refuses now). The dial happens outside the lock, bounded, so
// that Stop never waits on it for long.
func (l *Listener) replace(ctx context.Context) {
	fresh := pgdriver.NewListener(l.db)
	listenCtx, cancel := context.WithTimeout(ctx, replaceTimeout)
	_ = fresh.Listen(listenCtx, l.cfg.Channel, l.pingChannel)
	cancel()
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		_ = fresh.Close()
		return
	}
	old := l.ln
	l.ln = fresh
	l.mu.Unlock()
	_ = old.Close()
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
