package persistence_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	neturl "net/url"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/test/pgtest"
)

// onePostgresConnection opens a migrated fresh PostgreSQL database whose pool holds a single
// connection, and returns the pool, another one to act on it, and that connection's backend pid.
func onePostgresConnection(t *testing.T) (db, admin *bun.DB, pid int) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	db, admin = openDB(t, url), openDB(t, url)
	if _, err := persistence.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if err := db.NewRaw("SELECT pg_backend_pid()").Scan(t.Context(), &pid); err != nil {
		t.Fatal(err)
	}
	return db, admin, pid
}

// terminate ends backend pid, as an operator or a failover does, and waits until it is gone.
func terminate(t *testing.T, admin *bun.DB, pid int) {
	t.Helper()
	if _, err := admin.ExecContext(t.Context(), "SELECT pg_terminate_backend(?)", pid); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var n int
		if err := admin.NewRaw("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", pid).Scan(t.Context(), &n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("backend %d still there 5 s after pg_terminate_backend", pid)
		}
	}
}

func newOrder(number string) order.Order {
	return order.Order{Number: number, ShopID: 1, Status: order.StatusPendingPayment, UserID: 7, Amount: 990, PayMethod: 1, OrderTime: time.Now()}
}

func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, application.ErrDatabaseUnavailable) || !errors.Is(err, application.ErrUnavailable) {
		t.Fatalf("%s: %v, want application.ErrDatabaseUnavailable", what, err)
	}
	t.Logf("%s: %v", what, err)
}

// TestATerminatedBackendIsUnavailableThenRecovers: the pooled connection's backend is ended with
// pg_terminate_backend (SQLSTATE 57P01 on its next use): the read says the database is
// unavailable, and the next one gets a new connection by itself.
func TestATerminatedBackendIsUnavailableThenRecovers(t *testing.T) {
	t.Parallel()
	db, admin, pid := onePostgresConnection(t)
	repo := persistence.NewOrderRepository(db)
	terminate(t, admin, pid)
	_, err := repo.Get(t.Context(), application.ByID(1))
	wantUnavailable(t, "read on a terminated connection", err)
	if _, err := repo.Get(t.Context(), application.ByID(1)); !errors.Is(err, order.ErrNotFound) {
		t.Fatalf("the read after: %v, want order.ErrNotFound from a new connection", err)
	}
}

// TestABackendTerminatedInsideATransactionWritesNothing: the connection of a payment's
// transaction is terminated after the order was locked and before the update and the alert:
// the update says unavailable, and neither the order nor the alert log changed.
func TestABackendTerminatedInsideATransactionWritesNothing(t *testing.T) {
	t.Parallel()
	db, admin, pid := onePostgresConnection(t)
	repo, alerts := persistence.NewOrderRepository(db), persistence.NewAlertLog(db)
	o, err := repo.Add(t.Context(), newOrder("terminated-1"))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = repo.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
		terminate(t, admin, pid)
		if _, err := o.ConfirmPayment(order.Payment{Method: 1, TransactionID: "tx-1", At: time.Now()}); err != nil {
			return nil, err
		}
		a := alert.NewOrder(o.ShopID, o.ID, o.Number, time.Now())
		return &a, nil
	})
	wantUnavailable(t, "payment whose connection was terminated", err)
	got, err := repo.Get(t.Context(), application.ByID(o.ID))
	if err != nil || got.PayStatus != order.PayStatusUnpaid || got.Status != order.StatusPendingPayment {
		t.Fatalf("order after the failed payment: %+v %v, want it unpaid", got, err)
	}
	if log, err := alerts.After(t.Context(), application.EveryAlert(), 0, 10); err != nil || len(log) != 0 {
		t.Fatalf("alert log after the failed payment: %v %v, want empty", log, err)
	}
}

// TestUnreachableAndClosedDatabasesAreUnavailable: a server that refuses connections, a
// connection slot that cannot be had (SQLSTATE 53300) and a handle closed at shutdown are
// unavailable; a database that does not exist is a configuration error, and a caller that gave
// up is not the database's fault.
func TestUnreachableAndClosedDatabasesAreUnavailable(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	cases := []struct {
		name        string
		db          func(t *testing.T) *bun.DB
		ctx         func(t *testing.T) context.Context
		unavailable bool
	}{
		{"connection refused", func(t *testing.T) *bun.DB {
			return openDB(t, "postgres://postgres@"+closedPort(t)+"/x?sslmode=disable")
		}, nil, true},
		{"no connection slot for the role", func(t *testing.T) *bun.DB {
			return openDB(t, roleWithoutConnections(t, url))
		}, nil, true},
		{"closed handle", func(t *testing.T) *bun.DB {
			db := openDB(t, url)
			_ = db.Close()
			return db
		}, nil, true},
		{"no such database", func(t *testing.T) *bun.DB {
			return openDB(t, changeURL(t, url, func(u *neturl.URL) { u.Path += "_missing" }))
		}, nil, false},
		{"caller gone", func(t *testing.T) *bun.DB { return openDB(t, url) }, func(t *testing.T) context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return ctx
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			if c.ctx != nil {
				ctx = c.ctx(t)
			}
			_, err := persistence.NewAlertLog(c.db(t)).Latest(ctx, application.EveryAlert(), 1)
			if err == nil {
				t.Fatal("no error")
			}
			t.Log(err)
			if got := errors.Is(err, application.ErrDatabaseUnavailable); got != c.unavailable {
				t.Fatalf("%v: unavailable = %v, want %v", err, got, c.unavailable)
			}
		})
	}
}

// closedPort is a local address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// roleWithoutConnections creates a login role allowed no connection at all (superusers ignore
// the limit) and returns url as that role; the role is dropped when the test ends.
func roleWithoutConnections(t *testing.T, url string) string {
	t.Helper()
	admin := openDB(t, url)
	var suffix int64
	if err := admin.NewRaw("SELECT (random() * 1e12)::bigint").Scan(t.Context(), &suffix); err != nil {
		t.Fatal(err)
	}
	role := fmt.Sprintf("orderalert_test_noconn_%d", suffix)
	if _, err := admin.ExecContext(t.Context(), "CREATE ROLE "+role+" LOGIN CONNECTION LIMIT 0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.ExecContext(context.Background(), "DROP ROLE IF EXISTS "+role) })
	return changeURL(t, url, func(u *neturl.URL) { u.User = neturl.User(role) })
}

func changeURL(t *testing.T, url string, change func(*neturl.URL)) string {
	t.Helper()
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	change(u)
	return u.String()
}
