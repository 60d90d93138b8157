package persistence

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestPostgresStorageErrorsAreUnavailable: PostgreSQL's SQLSTATEs for "the storage cannot take
// this now" are unavailable, and those that blame the statement or the data are not. Each is
// raised for real by the server (RAISE … USING ERRCODE), so the driver's error is the one a
// full disk or a standby produces.
func TestPostgresStorageErrorsAreUnavailable(t *testing.T) {
	t.Parallel()
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(pgtest.NewDatabase(t))))
	t.Cleanup(func() { _ = db.Close() })
	cases := []struct {
		name, state string
		unavailable bool
	}{
		{"read_only_sql_transaction", "25006", true},
		{"insufficient_resources", "53000", true},
		{"disk_full", "53100", true},
		{"out_of_memory", "53200", true},
		{"io_error", "58030", true},
		{"unique_violation", "23505", false},
		{"not_null_violation", "23502", false},
		{"check_violation", "23514", false},
		{"invalid_text_representation", "22P02", false},
		{"syntax_error", "42601", false},
		{"data_corrupted", "XX001", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := db.ExecContext(t.Context(), "DO $$ BEGIN RAISE EXCEPTION 'raised by the test' USING ERRCODE = '"+c.state+"'; END $$")
			if err == nil {
				t.Fatal("no error raised")
			}
			if got := errors.Is(orderErrors.translate(err, "x"), application.ErrDatabaseUnavailable); got != c.unavailable {
				t.Fatalf("%v: unavailable = %v, want %v", err, got, c.unavailable)
			}
		})
	}
}

// TestSQLiteConstraintViolationsAreNotUnavailable: NOT NULL and CHECK violations are the data's
// fault and stay internal errors, though the guard's refusal shares their primary code.
func TestSQLiteConstraintViolationsAreNotUnavailable(t *testing.T) {
	t.Parallel()
	db := openRaw(t, "file:"+filepath.Join(t.TempDir(), "constraints.db"))
	if _, err := db.ExecContext(t.Context(), "CREATE TABLE c (x INTEGER NOT NULL CHECK (x > 0))"); err != nil {
		t.Fatal(err)
	}
	_, notNull := db.ExecContext(t.Context(), "INSERT INTO c VALUES (NULL)")
	_, check := db.ExecContext(t.Context(), "INSERT INTO c VALUES (0)")
	for name, err := range map[string]error{"not null": notNull, "check": check} {
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		if got := orderErrors.translate(err, "x"); errors.Is(got, application.ErrUnavailable) {
			t.Errorf("%s: %v is classed unavailable", name, got)
		}
	}
}
