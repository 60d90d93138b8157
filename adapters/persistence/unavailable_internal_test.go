package persistence

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
)

// TestASQLiteLockHeldPastBusyTimeoutIsUnavailable: a writer that waited busy_timeout for
// another's write lock gets SQLITE_BUSY, which is a temporary condition, not a fault. The
// service's own timeout is ten seconds; these handles use 50 ms to get the same error quickly.
func TestASQLiteLockHeldPastBusyTimeoutIsUnavailable(t *testing.T) {
	t.Parallel()
	dsn := "file:" + filepath.Join(t.TempDir(), "busy.db") + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(50)&_txlock=immediate"
	holder, waiter := openRaw(t, dsn), openRaw(t, dsn)
	if _, err := holder.ExecContext(t.Context(), "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	tx, err := holder.BeginTx(t.Context(), nil) // immediate: takes the write lock now
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	_, err = waiter.ExecContext(t.Context(), "INSERT INTO t VALUES (1)")
	if err == nil {
		t.Fatal("a second writer got in while the first held the lock")
	}
	if got := orderErrors.translate(err, "add order"); !errors.Is(got, application.ErrDatabaseUnavailable) {
		t.Fatalf("%v: not application.ErrDatabaseUnavailable", got)
	}
}

// TestOtherErrorsAreNotUnavailable: the errors that are the statement's or the data's fault keep
// their meaning.
func TestOtherErrorsAreNotUnavailable(t *testing.T) {
	t.Parallel()
	db := openRaw(t, "file:"+filepath.Join(t.TempDir(), "other.db"))
	_, syntax := db.ExecContext(t.Context(), "SELEKT 1")
	_, missing := db.ExecContext(t.Context(), "SELECT * FROM nowhere")
	for name, err := range map[string]error{"syntax": syntax, "no such table": missing, "no rows": sql.ErrNoRows} {
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		if got := orderErrors.translate(err, "x"); errors.Is(got, application.ErrUnavailable) {
			t.Errorf("%s: %v is classed unavailable", name, got)
		}
	}
	if got := orderErrors.translate(sql.ErrNoRows, "x"); !errors.Is(got, order.ErrNotFound) {
		t.Errorf("no rows: %v", got)
	}
}

func openRaw(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(sqliteshim.ShimName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
