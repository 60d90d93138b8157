package persistence

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/uptrace/bun/driver/pgdriver"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/orderalert/orderalert/application"
)

// unavailable returns err unchanged unless it says the database cannot be reached or cannot
// take writes right now; then it wraps it, with the operation what, in
// application.ErrDatabaseUnavailable, so that the caller is told to retry (HTTP 503) instead of
// seeing an internal error. Every exported method of this package passes its error through it
// (translate does for single statements).
func unavailable(err error, what string) error {
	if err == nil || errors.Is(err, application.ErrDatabaseUnavailable) || !databaseUnavailable(err) {
		return err
	}
	if refusedByGuard(err) {
		return fmt.Errorf("%s: %w: %w (%w)", what, application.ErrDatabaseUnavailable, errNotTheOpenedFile, err)
	}
	return fmt.Errorf("%s: %w: %w", what, application.ErrDatabaseUnavailable, err)
}

// databaseUnavailable: the database cannot be reached, or its storage refuses writes.
func databaseUnavailable(err error) bool { return unreachable(err) || storageRefused(err) }

// unreachable recognises the drivers' ways of saying "the database is not there for us now",
// as opposed to "your statement is wrong": a connection that could not be made or was lost,
// a server shutting down or out of connection slots, an operation past its deadline (such as
// waiting for a pooled connection), a handle already closed, and an SQLite lock still held when
// busy_timeout ran out.
func unreachable(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgUnavailable(pgErr.Field('C'))
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		primary := liteErr.Code() & 0xff // extended codes keep the primary one in the low byte
		return primary == sqlite3.SQLITE_BUSY || primary == sqlite3.SQLITE_LOCKED
	}
	var netErr net.Error
	for _, target := range connectionLost {
		if errors.Is(err, target) {
			return true
		}
	}
	return errors.As(err, &netErr)
}

// connectionLost are the errors with which a connection ends: pgdriver reports a peer that
// closed as EOF or a syscall error, database/sql a connection it discarded or a handle that was
// closed (the service is stopping).
var connectionLost = []error{
	driver.ErrBadConn, sql.ErrConnDone, errDBClosed,
	io.EOF, io.ErrUnexpectedEOF, context.DeadlineExceeded,
	syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
}

// pgUnavailable: SQLSTATE class 08 (connection exception), 57P01–57P03 (the server is shutting
// down, crashed or not accepting connections yet; 57P01 is also what pg_terminate_backend
// sends) and 53300 (no connection slot left).
func pgUnavailable(sqlState string) bool {
	switch sqlState {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(sqlState, "08")
}

// errDBClosed is database/sql's "sql: database is closed", which it does not export: taken from
// a closed handle, so that errors.Is matches it by identity rather than by its text.
var errDBClosed = func() error {
	db := sql.OpenDB(noConnector{})
	_ = db.Close()
	return db.PingContext(context.Background())
}()

// noConnector is a connector that is never asked for a connection.
type noConnector struct{}

func (noConnector) Connect(context.Context) (driver.Conn, error) {
	return nil, errors.New("no connection")
}

func (noConnector) Driver() driver.Driver { return nil }
