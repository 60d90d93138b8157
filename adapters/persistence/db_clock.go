package persistence

import (
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// SQL fragments that read the database's clock, for what several instances decide — heartbeats,
// due times, claims and leases (DESIGN §20.4, §20.9): each statement compares with the clock of
// the one database they share, never with an instance's own. A "?" in a fragment takes seconds.
//
// PostgreSQL's statement_timestamp() is when the statement starts, after any wait for a lock
// (now() would be the transaction's start). SQLite keeps times as text in the form Bun writes a
// UTC time.Time; strftime writes that form ('2006-01-02 15:04:05.000+00:00'), so that values it
// wrote compare as text in time order, and unixepoch() reads any of them.

// sqliteNow is SQLite's clock in Bun's form, open for modifiers.
const sqliteNow = `strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'`

// dbNow is the database's clock.
func dbNow(db bun.IDB) string {
	if isPostgres(db) {
		return "statement_timestamp()"
	}
	return sqliteNow + ")"
}

// dbAgo is the database's clock d ago. The expression holds only a number formatted here.
func dbAgo(db bun.IDB, d time.Duration) string {
	if isPostgres(db) {
		return fmt.Sprintf("(statement_timestamp() - make_interval(secs => %.6f))", d.Seconds())
	}
	return fmt.Sprintf("%s, '-%.6f seconds')", sqliteNow, d.Seconds())
}

// dbNowPlus is now plus ? seconds.
func dbNowPlus(db bun.IDB) string {
	if isPostgres(db) {
		return "(statement_timestamp() + make_interval(secs => ?))"
	}
	return sqliteNow + ", printf('%+.6f seconds', ?))"
}

// olderThan holds when column is at least ? seconds in the past.
func olderThan(db bun.IDB, column string) string {
	if isPostgres(db) {
		return column + " <= statement_timestamp() - make_interval(secs => ?)"
	}
	return "unixepoch(" + column + ", 'subsec') <= unixepoch('now', 'subsec') - ?"
}

// withinTheLast holds when column is in the last ? seconds, now included.
func withinTheLast(db bun.IDB, column string) string {
	if isPostgres(db) {
		return "(" + column + " > statement_timestamp() - make_interval(secs => ?) AND " + column + " <= statement_timestamp())"
	}
	return "(unixepoch(" + column + ", 'subsec') > unixepoch('now', 'subsec') - ? AND unixepoch(" + column + ", 'subsec') <= unixepoch('now', 'subsec'))"
}

// inThePast holds when column is now or before.
func inThePast(db bun.IDB, column string) string {
	if isPostgres(db) {
		return column + " <= statement_timestamp()"
	}
	return "unixepoch(" + column + ", 'subsec') <= unixepoch('now', 'subsec')"
}

// inTheFuture holds when column is after now.
func inTheFuture(db bun.IDB, column string) string {
	if isPostgres(db) {
		return column + " > statement_timestamp()"
	}
	return "unixepoch(" + column + ", 'subsec') > unixepoch('now', 'subsec')"
}
