package persistence

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun/driver/pgdriver"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/integration"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// domainErrors are what "no row" and "unique violation" mean for one table.
type domainErrors struct{ notFound, duplicate error }

var (
	orderErrors    = domainErrors{notFound: order.ErrNotFound, duplicate: order.ErrDuplicateNumber}
	employeeErrors = domainErrors{notFound: employee.ErrNotFound, duplicate: employee.ErrUsernameTaken}
	shopErrors     = domainErrors{notFound: shop.ErrNotFound, duplicate: shop.ErrInvalid}
	kindErrors     = domainErrors{notFound: alert.ErrUnknownKind, duplicate: alert.ErrKindTaken}
	// The log's only unique index besides the id is the publishers' idempotency key.
	alertErrors       = domainErrors{notFound: order.ErrNotFound, duplicate: errIdempotencyKeyTaken}
	integrationErrors = domainErrors{notFound: integration.ErrNotFound, duplicate: integration.ErrNameTaken}
)

// errIdempotencyKeyTaken: a racing publish stored the alert of this idempotency key first.
var errIdempotencyKeyTaken = errors.New("idempotency key taken")

// translate turns the drivers' errors into the domain's, so that use cases and the HTTP adapter
// never see a driver type, and a database that cannot be reached into
// application.ErrDatabaseUnavailable. what names the operation for the message.
func (d domainErrors) translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case isNoRows(err):
		return fmt.Errorf("%s: %w", what, d.notFound)
	case isUniqueViolation(err):
		return fmt.Errorf("%s: %w", what, d.duplicate)
	default:
		return failed(err, what)
	}
}

// failed wraps err with the operation what, in application.ErrDatabaseUnavailable when it says
// the database could not be reached or refused the write.
func failed(err error, what string) error {
	if databaseUnavailable(err) {
		return unavailable(err, what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// isUniqueViolation recognises a unique or primary-key violation of either database.
func isUniqueViolation(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C') == "23505"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		code := liteErr.Code()
		return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
