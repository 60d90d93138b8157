package persistence

import "github.com/uptrace/bun"

// SQL fragments that read the database's clock, for due times, claims and leases that several
// instances decide (DESIGN §20.4): each statement compares with the clock of the one database
// they share, never with an instance's own. A "?" in a fragment takes seconds.
//
// PostgreSQL's statement_timestamp() is when the statement starts, after any wait for a lock
// (now() would be the transaction's start). SQLite keeps times as text in Bun's format, which
// unixepoch() reads; what it writes, it writes in that same format. dbNow is in db_clock.go.

// dbNowPlus is now plus ? seconds.
func dbNowPlus(db bun.IDB) string {
	if isPostgres(db) {
		return "(statement_timestamp() + make_interval(secs => ?))"
	}
	return "strftime('%Y-%m-%d %H:%M:%f+00:00', 'now', printf('%+.6f seconds', ?))"
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
