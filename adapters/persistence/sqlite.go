package persistence

import (
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
)

// sqlitePragmas make SQLite fit a server: WAL lets readers run beside the writer; busy_timeout
// makes a writer wait for the lock instead of failing; foreign keys are off unless asked for; and
// _txlock=immediate takes the write lock at BEGIN, because a deferred transaction that upgrades
// from read to write fails with SQLITE_BUSY without ever calling the busy handler. The syntax is
// modernc.org/sqlite's, the driver sqliteshim picks without the cgosqlite tag.
var sqlitePragmas = []string{
	"_pragma=journal_mode(WAL)",
	"_pragma=busy_timeout(10000)",
	"_pragma=foreign_keys(1)",
	"_txlock=immediate",
}

// sqliteCompanions are the files SQLite keeps beside the database, with its mode (SQLite gives
// a new one the database file's permissions).
var sqliteCompanions = []string{"-wal", "-shm", "-journal"}

// sqliteConnections bounds the pool of an SQLite database.
const sqliteConnections = 8

func openSQLite(location string, log *slog.Logger) (*bun.DB, *fileGuard, error) {
	dsn, path, readOnly, err := sqliteDSN(location)
	if err != nil {
		return nil, nil, err
	}
	var guard *fileGuard
	if path != "" {
		if guard, err = prepareSQLiteFiles(path, readOnly, log); err != nil {
			return nil, nil, err
		}
	}
	sqldb := sql.OpenDB(sqliteConnector{dsn: dsn, guard: guard})
	// SQLite runs one writer at a time, so more connections only add memory (each has its own
	// page cache): under a burst, thousands of requests each opened one and the process grew
	// past a gigabyte. A few connections serve the readers beside the writer.
	sqldb.SetMaxOpenConns(sqliteConnections)
	sqldb.SetMaxIdleConns(sqliteConnections)
	return bun.NewDB(sqldb, sqlitedialect.New()), guard, nil
}

// prepareSQLiteFiles creates the database file 0600 in a private folder before SQLite sees it
// (SQLite would create it 0644 less the umask, and its -wal and -shm with the same mode),
// tightens the files an older version left looser, and remembers which file the path names.
func prepareSQLiteFiles(path string, readOnly bool, log *slog.Logger) (*fileGuard, error) {
	// The default ./data/ must work on a fresh clone.
	if err := PrivateDir(filepath.Dir(path), log); err != nil {
		return nil, fmt.Errorf("SQLite database's folder: %w", err)
	}
	if readOnly {
		TightenFile(path, log)
	} else if err := createPrivate(path, log); err != nil {
		return nil, fmt.Errorf("SQLite database: %w", err)
	}
	for _, suffix := range sqliteCompanions {
		TightenFile(path+suffix, log)
	}
	return newFileGuard(path, log)
}

// sqliteDSN turns a file path or file: URL into the driver's DSN with the pragmas added, and
// returns the file's path ("" for an in-memory database) and whether it is opened read-only.
// Unless the URL chooses a mode, SQLite opens the file read-write without creating it:
// prepareSQLiteFiles has, and a file deleted later must not come back empty.
func sqliteDSN(location string) (dsn, path string, readOnly bool, err error) {
	if !strings.HasPrefix(location, "file:") {
		location = "file:" + location
	}
	rest := strings.TrimPrefix(location, "file:")
	path, rawQuery, _ := strings.Cut(rest, "?")
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", "", false, fmt.Errorf("SQLite database URL: bad query: %w", err)
	}
	if path == "" {
		return "", "", false, fmt.Errorf("SQLite database URL names no file")
	}
	mode := query.Get("mode")
	if path == ":memory:" || mode == "memory" {
		path = ""
	}
	params := sqlitePragmas
	if mode == "" && path != "" {
		params = append([]string{"mode=rw"}, sqlitePragmas...)
	}
	sep := "?"
	if rawQuery != "" {
		sep = "&"
	}
	return location + sep + strings.Join(params, "&"), path, mode == "ro", nil
}
