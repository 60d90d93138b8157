package persistence

import (
	"errors"
	"strings"

	"github.com/uptrace/bun/driver/pgdriver"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// storageRefused recognises the databases' ways of saying "the storage cannot take this write
// now", which a retry may get past once an operator has acted, as opposed to a statement or
// data at fault (a constraint violation stays what it is):
//   - SQLite: SQLITE_FULL (the disk, or max_page_count), SQLITE_READONLY and its extended codes
//     (a read-only mount or file), SQLITE_IOERR and its extended codes (the disk failed a read
//     or write), SQLITE_CANTOPEN (the file or its folder is gone or unreadable), SQLITE_PROTOCOL
//     (the WAL's locks raced), and the guard's refusal of a file that is no longer the one at its
//     path (file_guard.go);
//   - PostgreSQL: 25006 read_only_sql_transaction (a standby, or default_transaction_read_only),
//     class 53 insufficient resources (53100 disk_full, 53200 out_of_memory, …) and class 58
//     system errors (58030 io_error, …).
//
// A damaged database (SQLITE_CORRUPT, SQLITE_NOTADB, PostgreSQL's XX001) is left an internal
// error: trying again in two seconds cannot help it.
func storageRefused(err error) bool {
	if errors.Is(err, errNotTheOpenedFile) || refusedByGuard(err) {
		return true
	}
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		state := pgErr.Field('C')
		return state == "25006" || strings.HasPrefix(state, "53") || strings.HasPrefix(state, "58")
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff { // extended codes keep the primary one in the low byte
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL:
			return true
		}
	}
	return false
}

// refusedByGuard reports whether err is a commit the file guard turned into a rollback, which
// the driver reports only as "constraint failed (commit hook)": the only commit hook is the
// guard's.
func refusedByGuard(err error) bool {
	var liteErr *sqlite.Error
	return errors.As(err, &liteErr) && liteErr.Code() == sqlite3.SQLITE_CONSTRAINT_COMMITHOOK
}
