package persistence_test

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/test/pgtest"
)

// testLog logs to the test's output.
func testLog(t *testing.T) *slog.Logger { return slog.New(slog.NewTextHandler(t.Output(), nil)) }

// openWatched opens url with its Health, closed when the test ends.
func openWatched(t *testing.T, url string) (*bun.DB, *persistence.Health) {
	t.Helper()
	db, health, err := persistence.OpenWatched(url, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db, health
}

// TestAFullSQLiteDatabaseIsUnavailable: SQLite answers SQLITE_FULL when the disk, or here the
// database's max_page_count, leaves no room for a new page. That is the storage refusing writes,
// not a bug: the write is "database unavailable", and it wrote nothing.
func TestAFullSQLiteDatabaseIsUnavailable(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "orderalert.db")
	db := openDB(t, path)
	if _, err := persistence.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := db.QueryRowContext(t.Context(), "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	full := openDB(t, fmt.Sprintf("file:%s?_pragma=max_page_count(%d)", path, pages+2))
	repo := persistence.NewOrderRepository(full)
	added := 0
	for ; ; added++ {
		_, err := repo.Add(t.Context(), newOrder(fmt.Sprintf("full-%04d", added)))
		if err != nil {
			wantUnavailable(t, fmt.Sprintf("add order %d to a full database", added), err)
			break
		}
		if added == 5000 {
			t.Fatal("5000 orders fit in two pages")
		}
	}
	if n, err := full.NewSelect().Table("orders").Count(t.Context()); err != nil || n != added {
		t.Fatalf("%d orders (%v) after %d were added, want the refused one absent", n, err, added)
	}
}

// TestAReadOnlySQLiteDatabaseIsUnavailable: a database SQLite may only read (a read-only mount,
// here mode=ro) answers writes with SQLITE_READONLY: unavailable.
func TestAReadOnlySQLiteDatabaseIsUnavailable(t *testing.T) {
	t.Parallel()
	_, _, path, _ := migratedSQLite(t)
	repo := persistence.NewOrderRepository(openDB(t, "file:"+path+"?mode=ro"))
	_, err := repo.Add(t.Context(), newOrder("read-only-1"))
	wantUnavailable(t, "add an order to a read-only SQLite database", err)
}

// readOnlyPostgres is a migrated fresh PostgreSQL database with an order in it, made read-only
// for new sessions as a standby or an operator's default_transaction_read_only would; set
// restores it.
func readOnlyPostgres(t *testing.T) (url string, o order.Order, set func(on bool)) {
	t.Helper()
	url = pgtest.NewDatabase(t)
	admin := openDB(t, url)
	if _, err := persistence.Migrate(t.Context(), admin); err != nil {
		t.Fatal(err)
	}
	o, err := persistence.NewOrderRepository(admin).Add(t.Context(), newOrder("read-only-pg"))
	if err != nil {
		t.Fatal(err)
	}
	set = func(on bool) {
		t.Helper()
		query := "ALTER DATABASE ? SET default_transaction_read_only = on"
		if !on {
			query = "ALTER DATABASE ? RESET default_transaction_read_only"
		}
		if _, err := admin.ExecContext(t.Context(), query, bun.Ident(pgtest.Name(url))); err != nil {
			t.Fatal(err)
		}
	}
	set(true)
	return url, o, set
}

// TestAReadOnlyPostgresIsUnavailableAndNotReady: on a PostgreSQL that refuses writes (SQLSTATE
// 25006, as a standby does) every kind of write is "database unavailable" and readiness says
// so even before any write was tried; a new pool on the database made writable again is ready.
func TestAReadOnlyPostgresIsUnavailableAndNotReady(t *testing.T) {
	t.Parallel()
	url, o, set := readOnlyPostgres(t)
	db, health := openWatched(t, url)
	probe := persistence.NewProbe(db, health, testLog(t))
	if err := probe.Ready(t.Context()); err == nil {
		t.Error("a read-only PostgreSQL is ready")
	} else {
		t.Logf("probe: %v", err)
	}
	repo := persistence.NewOrderRepository(db)
	_, err := repo.Add(t.Context(), newOrder("read-only-pg-2"))
	wantUnavailable(t, "add an order", err)
	_, _, err = repo.Update(t.Context(), application.ByID(o.ID), pay)
	wantUnavailable(t, "pay an order", err)
	_, err = repo.Remind(t.Context(), o.ID, time.Minute, func(order.Order) (alert.Alert, error) {
		return alert.Reminder(o.ShopID, o.ID, o.Number, time.Now()), nil
	})
	wantUnavailable(t, "remind an order", err)
	err = persistence.NewTicketLedger(db).Use(t.Context(), "ticket-read-only", time.Now().Add(time.Minute))
	wantUnavailable(t, "record a ticket", err)
	if errors.Is(err, application.ErrUnauthenticated) {
		t.Errorf("a ticket refused by a read-only database reads as already used: %v", err)
	}

	set(false)
	writable, writableHealth := openWatched(t, url)
	if err := persistence.NewProbe(writable, writableHealth, testLog(t)).Ready(t.Context()); err != nil {
		t.Errorf("writable again, not ready: %v", err)
	}
}
