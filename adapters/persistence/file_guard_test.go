package persistence_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// sqliteSuffixes are the database file and its companions, which move together.
var sqliteSuffixes = []string{"", "-wal", "-shm"}

// moveSQLite renames the database at from, with its -wal and -shm, to to.
func moveSQLite(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range sqliteSuffixes {
		if err := os.Rename(from+suffix, to+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
}

// migratedSQLite is a migrated SQLite database in a fresh folder, a probe of it, its path, and
// an order in it.
func migratedSQLite(t *testing.T) (*bun.DB, *persistence.Probe, string, order.Order) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orderalert.db")
	db, health := openWatched(t, path)
	if _, err := persistence.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	o, err := persistence.NewOrderRepository(db).Add(t.Context(), newOrder("guard-1"))
	if err != nil {
		t.Fatal(err)
	}
	return db, persistence.NewProbe(db, health, testLog(t)), path, o
}

// wantReady fails unless the probe's answer is ready (nil) or not, as want says.
func wantReady(t *testing.T, probe *persistence.Probe, want bool) {
	t.Helper()
	err := probe.Ready(t.Context())
	if got := err == nil; got != want {
		t.Fatalf("probe: %v, want ready = %v", err, want)
	}
	t.Logf("probe: %v", err)
}

func pay(o *order.Order) (*alert.Alert, error) {
	if _, err := o.ConfirmPayment(order.Payment{Method: 1, TransactionID: "tx-guard", At: o.OrderTime}); err != nil {
		return nil, err
	}
	a := alert.NewOrder(o.ShopID, o.ID, o.Number, o.OrderTime)
	return &a, nil
}

// TestWritesToAMovedSQLiteFileAreRefused: the database file is moved away while it is open. The
// process could go on writing to it — and every write would be lost to the next start, which
// opens what is at the path — so writes, single statements and transactions alike, are refused
// as "the database is unavailable" before they commit, reads still answer, readiness is down,
// and once the file is back at its path writes are accepted again and readiness is back. A
// restart finds exactly what was acknowledged.
func TestWritesToAMovedSQLiteFileAreRefused(t *testing.T) {
	t.Parallel()
	db, probe, path, first := migratedSQLite(t)
	repo := persistence.NewOrderRepository(db)
	wantReady(t, probe, true)
	away := path + ".moved"
	moveSQLite(t, path, away)
	wantReady(t, probe, false)

	_, err := repo.Add(t.Context(), newOrder("guard-2"))
	wantUnavailable(t, "add an order to a moved file", err)
	_, _, err = repo.Update(t.Context(), application.ByID(first.ID), pay)
	wantUnavailable(t, "pay an order in a moved file", err)
	if _, err := repo.Get(t.Context(), application.ByID(first.ID)); err != nil {
		t.Fatalf("read from the moved file: %v", err)
	}

	moveSQLite(t, away, path)
	if _, err := repo.Add(t.Context(), newOrder("guard-3")); err != nil {
		t.Fatalf("add once the file is back: %v", err)
	}
	// The refused writes were the guard's, not the storage's: nothing to wait for.
	wantReady(t, probe, true)
	_ = db.Close()

	reopened := persistence.NewOrderRepository(openDB(t, path))
	for number, want := range map[string]bool{"guard-1": true, "guard-2": false, "guard-3": true} {
		_, err := reopened.Get(t.Context(), application.ByNumber(number))
		if got := err == nil; got != want {
			t.Errorf("order %s after a restart: found %v (%v), want %v", number, got, err, want)
		}
	}
	if o, err := reopened.Get(t.Context(), application.ByID(first.ID)); err != nil || o.PayStatus != order.PayStatusUnpaid {
		t.Errorf("the order whose payment was refused: %+v %v, want it unpaid", o, err)
	}
	if log, err := persistence.NewAlertLog(openDB(t, path)).After(t.Context(), application.EveryAlert(), 0, 10); err != nil || len(log) != 0 {
		t.Errorf("alert log: %v %v, want the refused payment's alert absent", log, err)
	}
}

// TestADeletedSQLiteFileIsNotRecreated: the file is deleted while open. A write on an open
// connection is refused, and a new connection fails instead of creating an empty database at
// the path (whose missing tables would make every request an internal error, and whose writes
// would mix with nothing the service had).
func TestADeletedSQLiteFileIsNotRecreated(t *testing.T) {
	t.Parallel()
	db, probe, path, _ := migratedSQLite(t)
	repo := persistence.NewOrderRepository(db)
	for _, suffix := range sqliteSuffixes {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	_, err := repo.Add(t.Context(), newOrder("deleted-1"))
	wantUnavailable(t, "add an order to a deleted file", err)

	db.SetMaxIdleConns(0) // every call opens a new connection
	_, err = repo.Add(t.Context(), newOrder("deleted-2"))
	wantUnavailable(t, "add an order on a new connection", err)
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file is at the deleted database's path: %v", err)
	}
	wantReady(t, probe, false)
}
