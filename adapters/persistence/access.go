package persistence

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

var (
	_ application.AccessStore   = (*AccessStore)(nil)
	_ application.TokenDenylist = (*AccessStore)(nil)
)

// deniedTokenRow is the denied_tokens table: logged-out admin tokens.
type deniedTokenRow struct {
	bun.BaseModel `bun:"table:denied_tokens"`

	ID         string    `bun:"id,pk"`
	EmployeeID int64     `bun:"employee_id,notnull"`
	ExpiresAt  time.Time `bun:"expires_at,notnull"`
}

// AccessStore reads what the access check keeps in memory and records logouts.
type AccessStore struct{ db *bun.DB }

// NewAccessStore returns the store in db.
func NewAccessStore(db *bun.DB) *AccessStore { return &AccessStore{db: db} }

// bumpChanges moves the change counter in tx. Its one row is locked until tx commits, so it is
// the last statement of every transaction that moves it: changes of accounts lock the account's
// row first and the counter's last, in that order everywhere, and cannot deadlock.
func bumpChanges(ctx context.Context, tx bun.Tx) error {
	if _, err := tx.ExecContext(ctx, "UPDATE change_counter SET value = value + 1 WHERE id = 1"); err != nil {
		return fmt.Errorf("move the change counter: %w", err)
	}
	return nil
}

// Changes implements application.AccessStore: one indexed read of one row, every second per
// instance.
func (s *AccessStore) Changes(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.NewRaw("SELECT value FROM change_counter WHERE id = 1").Scan(ctx, &n); err != nil {
		return 0, failed(err, "read the change counter")
	}
	return n, nil
}

// LoadAccess implements application.AccessStore. The reads are not one snapshot, and need not be:
// each shows at least what was committed before it, and a deletion read after the account's row
// wins, as deletions are final.
func (s *AccessStore) LoadAccess(ctx context.Context, now time.Time) (application.AccessRecords, error) {
	var accounts []employeeRow
	if err := s.db.NewSelect().Model(&accounts).Column("id", "status", "token_version", "shop_id").Scan(ctx); err != nil {
		return application.AccessRecords{}, failed(err, "load the accounts' access")
	}
	var deleted []int64
	if err := s.db.NewSelect().Model((*deletedEmployeeRow)(nil)).Column("id").Scan(ctx, &deleted); err != nil {
		return application.AccessRecords{}, failed(err, "load the deleted accounts")
	}
	var denied []string
	if err := s.db.NewSelect().Model((*deniedTokenRow)(nil)).Column("id").Where("expires_at > ?", now.UTC()).Scan(ctx, &denied); err != nil {
		return application.AccessRecords{}, failed(err, "load the denied tokens")
	}
	r := application.AccessRecords{Employees: make(map[int64]employee.Access, len(accounts)+len(deleted)), Denied: make(map[string]struct{}, len(denied))}
	for i := range accounts {
		r.Employees[accounts[i].ID] = accounts[i].toDomain().Access()
	}
	for _, id := range deleted {
		r.Employees[id] = employee.Access{Deleted: true}
	}
	for _, id := range denied {
		r.Denied[id] = struct{}{}
	}
	return r, nil
}

// CurrentAccess implements application.AccessStore, in one round trip.
func (s *AccessStore) CurrentAccess(ctx context.Context, empID int64, tokenID string) (employee.Access, bool, error) {
	var (
		status  int
		version int64
		shopID  sql.NullInt64
		denied  bool
	)
	err := s.db.NewRaw(`SELECT status, token_version, shop_id, EXISTS (SELECT 1 FROM denied_tokens WHERE id = ?)
		FROM employees WHERE id = ?`, tokenID, empID).Scan(ctx, &status, &version, &shopID, &denied)
	if err != nil {
		return employee.Access{}, false, employeeErrors.translate(err, "access of employee "+strconv.FormatInt(empID, 10))
	}
	return employee.Access{Status: employee.Status(status), TokenVersion: version, ShopID: shopID.Int64}, denied, nil
}

// Deny implements application.TokenDenylist. The denials that have expired go in the same
// transaction, so the table holds at most the logouts of one token lifetime.
func (s *AccessStore) Deny(ctx context.Context, id string, empID int64, expiresAt time.Time) error {
	err := s.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		row := &deniedTokenRow{ID: id, EmployeeID: empID, ExpiresAt: expiresAt.UTC()}
		if _, err := tx.NewInsert().Model(row).On("CONFLICT (id) DO NOTHING").Exec(ctx); err != nil {
			return failed(err, "deny a token")
		}
		if _, err := tx.NewDelete().Model((*deniedTokenRow)(nil)).Where("expires_at <= ?", time.Now().UTC()).Exec(ctx); err != nil {
			return failed(err, "forget expired denials")
		}
		return bumpChanges(ctx, tx)
	})
	return unavailable(err, "deny a token of employee "+strconv.FormatInt(empID, 10))
}
