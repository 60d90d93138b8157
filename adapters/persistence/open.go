package persistence

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// postgresConnections bounds each instance's pool of PostgreSQL connections.
const postgresConnections = 20

// DefaultURL is the embedded database used when none is configured.
const DefaultURL = "./data/orderalert.db"

// Open returns a handle on the database the URL names: postgres:// or postgresql:// for
// PostgreSQL, anything else a SQLite file path or file: URL. It does not connect yet (see Ping),
// but it creates a SQLite file, mode 0600 in a 0700 folder. Errors never repeat the URL, which
// may hold a password. What it has to warn about goes to slog's default logger.
func Open(databaseURL string) (*bun.DB, error) {
	db, _, err := OpenWatched(databaseURL, slog.Default())
	return db, err
}

// OpenWatched is Open with the Health that watches whether the database can take writes, and
// the logger for what it notices.
func OpenWatched(databaseURL string, log *slog.Logger) (*bun.DB, *Health, error) {
	if databaseURL == "" {
		databaseURL = DefaultURL
	}
	var (
		db    *bun.DB
		guard *fileGuard
		err   error
	)
	scheme, _, hasScheme := strings.Cut(databaseURL, "://")
	switch {
	case IsPostgresURL(databaseURL):
		db, err = openPostgres(databaseURL)
	case hasScheme:
		err = fmt.Errorf("database URL: scheme %q is neither postgres:// nor a SQLite file", scheme)
	default:
		db, guard, err = openSQLite(databaseURL, log)
	}
	if err != nil {
		return nil, nil, err
	}
	health := newHealth(guard)
	db.AddQueryHook(healthHook{health: health})
	return db, health, nil
}

// IsPostgresURL reports whether the database URL names PostgreSQL.
func IsPostgresURL(databaseURL string) bool {
	scheme, _, _ := strings.Cut(databaseURL, "://")
	return scheme == "postgres" || scheme == "postgresql"
}

func openPostgres(databaseURL string) (db *bun.DB, err error) {
	if _, err := url.Parse(databaseURL); err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err // url.Error repeats the URL, password included
		}
		return nil, fmt.Errorf("database URL is not a valid postgres:// URL: %w", err)
	}
	defer func() {
		// pgdriver.WithDSN panics on options it cannot parse (an unknown sslmode, say).
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("database URL: %v", r)
		}
	}()
	connector := pgdriver.NewConnector(pgdriver.WithDSN(databaseURL))
	sqldb := sql.OpenDB(connector)
	// A bounded pool: a burst must wait for a connection, not exhaust the server's
	// max_connections (100 by default), which several instances share.
	sqldb.SetMaxOpenConns(postgresConnections)
	sqldb.SetMaxIdleConns(postgresConnections)
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

// Ping checks that the database answers within timeout, so that a wrong URL or a stopped server
// stops start-up with a clear error instead of failing the first request.
func Ping(ctx context.Context, db *bun.DB, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("%s database does not answer: %w", dialectName(db), err)
	}
	return nil
}

func dialectName(db bun.IDB) string {
	if isPostgres(db) {
		return "PostgreSQL"
	}
	return "SQLite"
}

func isPostgres(db bun.IDB) bool { return db.Dialect().Name() == dialect.PG }
