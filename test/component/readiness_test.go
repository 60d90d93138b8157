package component_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/tcpproxy"
)

// readiness is /readyz's status and its checks.
func (s *service) readiness(t *testing.T) (int, map[string]string) {
	t.Helper()
	r := s.call(t, http.MethodGet, "/readyz", nil, nil)
	return r.Status, decode[map[string]string](t, r)
}

// readyUntil polls /readyz until it answers status with the check named check at value,
// failing after within.
func (s *service) readyUntil(t *testing.T, within time.Duration, status int, check, value string) {
	t.Helper()
	began := time.Now()
	for deadline := began.Add(within); ; time.Sleep(50 * time.Millisecond) {
		got, checks := s.readiness(t)
		if got == status && checks[check] == value {
			t.Logf("/readyz %d with %s %q after %s", status, check, value, time.Since(began).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never answered %d with %s %q within %s; last %d %v", status, check, value, within, got, checks)
		}
	}
}

// TestReadyzFollowsTheListener: on PostgreSQL, /readyz is 503 while the LISTEN connection is down
// — here its backend is terminated while the database refuses new connections, so the listener
// cannot come back — and 200 once it is back; the reconnect is counted.
func TestReadyzFollowsTheListener(t *testing.T) {
	t.Parallel()
	s := start(t, pgtest.NewDatabase(t), nil)
	s.readyUntil(t, 5*time.Second, http.StatusOK, "listener", "ok")
	s.scrape(t).want(t, 1, "orderalert_listener_connected")

	var name string
	if err := s.db.NewRaw("SELECT current_database()").Scan(t.Context(), &name); err != nil {
		t.Fatal(err)
	}
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(pgtest.ServerURL())))
	t.Cleanup(func() { _ = admin.Close() })
	allow := func(on string) {
		if _, err := admin.ExecContext(context.Background(), "ALTER DATABASE "+name+" WITH ALLOW_CONNECTIONS "+on); err != nil {
			t.Fatal(err)
		}
	}
	allow("false")
	t.Cleanup(func() { allow("true") })
	var terminated int
	if err := s.db.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %'`).Scan(t.Context(), &terminated); err != nil {
		t.Fatal(err)
	}
	if terminated != 1 {
		t.Fatalf("terminated %d listener backends, want 1", terminated)
	}
	s.readyUntil(t, 5*time.Second, http.StatusServiceUnavailable, "listener", "unavailable")
	m := s.scrape(t)
	m.want(t, 0, "orderalert_listener_connected")
	m.want(t, 0, "orderalert_listener_reconnects_total")

	allow("true")
	s.readyUntil(t, 10*time.Second, http.StatusOK, "listener", "ok")
	m = s.scrape(t)
	m.want(t, 1, "orderalert_listener_connected")
	m.want(t, 1, "orderalert_listener_reconnects_total")
}

// TestReadyzFollowsTheDatabase: the network to PostgreSQL is cut (every connection closed, new
// ones refused): /readyz turns 503 naming the database and the listener, and 200 again once the
// network is back; the listener's reconnect is counted.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := tcpproxy.Start(t, u.Host)
	u.Host = proxy.Addr()
	s := start(t, u.String(), nil)
	s.readyUntil(t, 5*time.Second, http.StatusOK, "database", "ok")

	proxy.Cut()
	s.readyUntil(t, 5*time.Second, http.StatusServiceUnavailable, "database", "unavailable")
	if _, checks := s.readiness(t); checks["listener"] != "unavailable" {
		t.Errorf("listener check %q while the network is cut", checks["listener"])
	}
	proxy.Restore()
	s.readyUntil(t, 10*time.Second, http.StatusOK, "database", "ok")
	s.readyUntil(t, 5*time.Second, http.StatusOK, "listener", "ok")
	s.scrape(t).want(t, 1, "orderalert_listener_reconnects_total")
}
