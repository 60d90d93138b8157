package persistence

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun/driver/pgdriver"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/orderalert/orderalert/domain/order"
)

// translate turns the drivers' errors into the domain's, so that use cases and the HTTP adapter
// never see a driver type. what names the operation for the message.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s: %w", what, order.ErrNotFound)
	case isUniqueViolation(err):
		return fmt.Errorf("%s: %w", what, order.ErrDuplicateNumber)
	default:
		return fmt.Errorf("%s: %w", what, err)
	}
}

// isUniqueViolation recognises a unique-constraint failure of either database. Only orders.number
// and employees.username are unique besides primary keys, which the databases assign.
func isUniqueViolation(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C') == "23505"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		return liteErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	}
	return false
}
