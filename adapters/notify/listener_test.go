package notify_test

import (
	"context"
	"database/sql"
	"log/slog"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/orderalert/orderalert/adapters/notify"
	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/tcpproxy"
)

const channel = "order_alerts"

// observer counts what the listener reports.
type observer struct{ connects, reconnects, disconnects atomic.Int64 }

func (o *observer) ListenerConnected(reconnect bool) {
	o.connects.Add(1)
	if reconnect {
		o.reconnects.Add(1)
	}
}
func (o *observer) ListenerDisconnected() { o.disconnects.Add(1) }

// listening starts a listener on its own database, through a proxy when proxied; it returns
// the pool the listener pings through, which the tests also use.
func listening(t *testing.T, proxied bool, ping time.Duration) (*notify.Listener, *observer, *bun.DB, *tcpproxy.Proxy) {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	var proxy *tcpproxy.Proxy
	if proxied {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		proxy = tcpproxy.Start(t, u.Host)
		u.Host = proxy.Addr()
		dsn = u.String()
	}
	db := bun.NewDB(sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn), pgdriver.WithTimeout(2*time.Second))), pgdialect.New())
	t.Cleanup(func() { _ = db.Close() })
	obs := &observer{}
	l := notify.NewListener(db, notify.Config{Channel: channel, PingInterval: ping, Observer: obs}, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := l.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Stop(context.Background()); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	if !l.Connected() || l.Ready(ctx) != nil || obs.connects.Load() != 1 {
		t.Fatalf("after Start: connected %v, connects %d", l.Connected(), obs.connects.Load())
	}
	return l, obs, db, proxy
}

func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what)
		}
	}
}

// notifyAndWait notifies the alert channel until the listener wakes up, failing after 5 s. It
// repeats the notification because LISTEN is sent without waiting for its answer: a
// notification committed in the same instant may reach the database before it.
func notifyAndWait(t *testing.T, l *notify.Listener, db *bun.DB) {
	t.Helper()
	select {
	case <-l.Wakeups():
	default:
	}
	deadline := time.After(5 * time.Second)
	for {
		if _, err := db.ExecContext(t.Context(), "SELECT pg_notify(?, '1')", channel); err != nil {
			t.Fatal(err)
		}
		select {
		case <-l.Wakeups():
			return
		case <-time.After(250 * time.Millisecond):
		case <-deadline:
			t.Fatal("notifications did not wake the listener within 5 s")
		}
	}
}

// terminateListener ends the listener's backend as an administrator (or a failover) would.
func terminateListener(t *testing.T, db *bun.DB) {
	t.Helper()
	var n int
	err := db.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'`).Scan(t.Context(), &n)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("terminated %d listener backends, want 1", n)
	}
}

// allowConnections returns a switch of whether db's database accepts new connections; those
// open stay open. PostgreSQL refuses the switch from inside the database, hence another one.
func allowConnections(t *testing.T, db *bun.DB) func(bool) {
	t.Helper()
	var name string
	if err := db.NewRaw("SELECT current_database()").Scan(t.Context(), &name); err != nil {
		t.Fatal(err)
	}
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(pgtest.ServerURL())))
	t.Cleanup(func() { _ = admin.Close() })
	return func(on bool) {
		if _, err := admin.ExecContext(context.Background(), "ALTER DATABASE "+name+" WITH ALLOW_CONNECTIONS "+map[bool]string{true: "true", false: "false"}[on]); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAListenerWhoseBackendIsTerminatedReconnectsAndSaysSo(t *testing.T) {
	t.Parallel()
	l, obs, db, _ := listening(t, false, 5*time.Second)
	notifyAndWait(t, l, db)

	terminateListener(t, db)
	eventually(t, "down, then up again", 10*time.Second, func() bool {
		return obs.disconnects.Load() == 1 && obs.reconnects.Load() == 1 && l.Connected()
	})
	notifyAndWait(t, l, db) // it listens on the new connection
	if n := obs.reconnects.Load(); n != 1 {
		t.Errorf("reconnects = %d, want 1", n)
	}
}

func TestAListenerIsNotReadyWhileTheDatabaseRefusesIt(t *testing.T) {
	t.Parallel()
	l, obs, db, _ := listening(t, false, 5*time.Second)
	allow := allowConnections(t, db)
	allow(false)
	t.Cleanup(func() { allow(true) })
	terminateListener(t, db)
	eventually(t, "not ready", 5*time.Second, func() bool { return l.Ready(t.Context()) != nil })
	time.Sleep(1500 * time.Millisecond) // three rounds of retries, all refused
	if l.Connected() || obs.reconnects.Load() != 0 {
		t.Fatalf("connected %v, reconnects %d while the database refuses connections", l.Connected(), obs.reconnects.Load())
	}
	allow(true)
	eventually(t, "ready again", 10*time.Second, func() bool { return l.Ready(t.Context()) == nil })
	notifyAndWait(t, l, db)
	if n := obs.reconnects.Load(); n != 1 {
		t.Errorf("reconnects = %d, want 1", n)
	}
}

// TestAListenerNoticesASilentConnection: a partition closes nothing, so only the listener's
// ping can tell that its connection stopped delivering.
func TestAListenerNoticesASilentConnection(t *testing.T) {
	t.Parallel()
	l, obs, db, proxy := listening(t, true, 200*time.Millisecond)
	notifyAndWait(t, l, db)
	proxy.Freeze()
	eventually(t, "down while frozen", 5*time.Second, func() bool { return !l.Connected() })
	proxy.Restore()
	eventually(t, "up after the partition", 15*time.Second, l.Connected)
	notifyAndWait(t, l, db)
	if obs.disconnects.Load() < 1 || obs.reconnects.Load() < 1 {
		t.Errorf("disconnects %d, reconnects %d; want at least 1 each", obs.disconnects.Load(), obs.reconnects.Load())
	}
}

func TestAListenerCutOffReconnectsWhenTheNetworkIsBack(t *testing.T) {
	t.Parallel()
	l, obs, db, proxy := listening(t, true, 5*time.Second)
	proxy.Cut()
	eventually(t, "down when cut", 5*time.Second, func() bool { return !l.Connected() })
	time.Sleep(time.Second) // a few refused attempts
	proxy.Restore()
	eventually(t, "up again", 10*time.Second, l.Connected)
	notifyAndWait(t, l, db)
	if obs.reconnects.Load() != 1 {
		t.Errorf("reconnects = %d, want 1", obs.reconnects.Load())
	}
}
