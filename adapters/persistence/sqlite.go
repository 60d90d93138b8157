package persistence

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"
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

// sqliteConnections bounds the pool of an SQLite database.
const sqliteConnections = 8

func openSQLite(location string) (*bun.DB, error) {
	dsn, path, err := sqliteDSN(location)
	if err != nil {
		return nil, err
	}
	if path != "" {
		// The default ./data/ must work on a fresh clone; 0700 because it will hold secrets.
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create the SQLite database's folder: %w", err)
		}
	}
	sqldb, err := sql.Open(sqliteshim.ShimName, dsn)
	if err != nil {
		return nil, fmt.Errorf("open SQLite database %s: %w", location, err)
	}
	// SQLite runs one writer at a time, so more connections only add memory (each has its own
	// page cache): under a burst, thousands of requests each opened one and the process grew
	// past a gigabyte. A few connections serve the readers beside the writer.
	sqldb.SetMaxOpenConns(sqliteConnections)
	sqldb.SetMaxIdleConns(sqliteConnections)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// sqliteDSN turns a file path or file: URL into the driver's DSN with the pragmas added, and
// returns the file's path ("" for an in-memory database).
func sqliteDSN(location string) (dsn, path string, err error) {
	if !strings.HasPrefix(location, "file:") {
		location = "file:" + location
	}
	rest := strings.TrimPrefix(location, "file:")
	path, rawQuery, _ := strings.Cut(rest, "?")
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", "", fmt.Errorf("SQLite database URL: bad query: %w", err)
	}
	if path == "" {
		return "", "", fmt.Errorf("SQLite database URL names no file")
	}
	if path == ":memory:" || query.Get("mode") == "memory" {
		path = ""
	}
	sep := "?"
	if rawQuery != "" {
		sep = "&"
	}
	return location + sep + strings.Join(sqlitePragmas, "&"), path, nil
}
