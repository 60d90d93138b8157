package persistence

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/domain/employee"
)

// deletedEmployeeRow is the deleted_employees table: the ids of deleted accounts.
type deletedEmployeeRow struct {
	bun.BaseModel `bun:"table:deleted_employees"`

	ID        int64     `bun:"id,pk"`
	DeletedAt time.Time `bun:"deleted_at,notnull"`
}

// ByID implements application.EmployeeRepository.
func (r *EmployeeRepository) ByID(ctx context.Context, id int64) (employee.Employee, error) {
	row := &employeeRow{ID: id}
	if err := r.db.NewSelect().Model(row).WherePK().Scan(ctx); err != nil {
		return employee.Employee{}, employeeErrors.translate(err, "employee "+strconv.FormatInt(id, 10))
	}
	return row.toDomain(), nil
}

// Update implements application.EmployeeRepository. The row is locked until commit (PostgreSQL;
// SQLite serialises write transactions), so concurrent changes of one account apply one after
// the other and none is lost.
func (r *EmployeeRepository) Update(ctx context.Context, username string, change func(*employee.Employee) error) (employee.Employee, error) {
	var saved employee.Employee
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		row, err := selectEmployee(ctx, tx, username)
		if err != nil {
			return err
		}
		before := row.toDomain()
		e := before
		if err := change(&e); err != nil {
			return err
		}
		e.ID, e.Username, e.CreateTime = before.ID, before.Username, before.CreateTime
		update := toEmployeeRow(e)
		update.ID = e.ID
		if _, err := tx.NewUpdate().Model(update).WherePK().ExcludeColumn("username", "create_time").Exec(ctx); err != nil {
			return employeeErrors.translate(err, "update employee "+username)
		}
		saved = e
		return bumpChanges(ctx, tx)
	})
	if err != nil {
		return employee.Employee{}, unavailable(err, "update employee "+username)
	}
	return saved, nil
}

// Delete implements application.EmployeeRepository. The account's id is recorded in
// deleted_employees, so that every instance can tell it from an account created after its copy.
func (r *EmployeeRepository) Delete(ctx context.Context, username string) (employee.Employee, error) {
	var deleted employee.Employee
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		row, err := selectEmployee(ctx, tx, username)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model(row).WherePK().Exec(ctx); err != nil {
			return failed(err, "delete employee "+username)
		}
		if _, err := tx.NewInsert().Model(&deletedEmployeeRow{ID: row.ID, DeletedAt: time.Now().UTC()}).Exec(ctx); err != nil {
			return failed(err, "record the deletion of employee "+username)
		}
		deleted = row.toDomain()
		return bumpChanges(ctx, tx)
	})
	if err != nil {
		return employee.Employee{}, unavailable(err, "delete employee "+username)
	}
	return deleted, nil
}

// selectEmployee reads one account in tx and, on PostgreSQL, locks its row until tx ends.
func selectEmployee(ctx context.Context, tx bun.Tx, username string) (*employeeRow, error) {
	row := new(employeeRow)
	q := tx.NewSelect().Model(row).Where("username = ?", username)
	if isPostgres(tx) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, employeeErrors.translate(err, "employee "+username)
	}
	return row, nil
}
