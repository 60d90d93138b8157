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
			// Nothing arrived in time on an open connection.
			if l.connected.Load() && pinged {
				l.down(errors.New("no answer to a ping"), &downAt)
				pinged = false
				l.replace(ctx) // pgdriver would keep waiting on a connection that looks open
				continue
			}
			pinged = l.ping(ctx) == nil
		default:
			// The connection broke, or could not be made: pgdriver has discarded it and dials
			// again on the next receive. A ping shows when that has worked.
			l.down(err, &downAt)
			if failures++; failures > 1 {
				sleep(ctx, retryInterval)
			}
			pinged = l.ping(ctx) == nil
		}
	}
}

// ping sends a notification to this instance's own channel through the pool.
func (l *Listener) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	_, err := l.db.ExecContext(ctx, "SELECT pg_notify(?, '')", l.pingChannel)
	return err
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

// replace closes the current pgdriver listener and starts another, which dials at once (or on
// its first receive, if the database refuses now).
func (l *Listener) replace(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return
	}
	_ = l.ln.Close()
	l.ln = pgdriver.NewListener(l.db)
	_ = l.ln.Listen(ctx, l.cfg.Channel, l.pingChannel)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
