package persistence

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

var _ application.EmployeeRepository = (*EmployeeRepository)(nil)

// employeeRow is the employees table (sky-take-out's employee).
type employeeRow struct {
	bun.BaseModel `bun:"table:employees"`

	ID         int64     `bun:"id,pk,autoincrement"`
	Name       string    `bun:"name,notnull"`
	Username   string    `bun:"username,notnull"`
	Password   string    `bun:"password,notnull"` // the bcrypt hash
	Phone      string    `bun:"phone,nullzero"`
	Status     int       `bun:"status,notnull"`
	Version    int64     `bun:"token_version,notnull"`
	ShopID     int64     `bun:"shop_id,nullzero"` // NULL: platform staff
	CreateTime time.Time `bun:"create_time,notnull"`
	UpdateTime time.Time `bun:"update_time,notnull"`
}

func (r *employeeRow) toDomain() employee.Employee {
	return employee.Employee{
		ID: r.ID, Name: r.Name, Username: r.Username, PasswordHash: r.Password, Phone: r.Phone,
		Status: employee.Status(r.Status), TokenVersion: r.Version, ShopID: r.ShopID, CreateTime: utc(r.CreateTime), UpdateTime: utc(r.UpdateTime),
	}
}

func toEmployeeRow(e employee.Employee) *employeeRow {
	return &employeeRow{
		Name: e.Name, Username: e.Username, Password: e.PasswordHash, Phone: e.Phone,
		Status: int(e.Status), Version: e.TokenVersion, ShopID: e.ShopID, CreateTime: e.CreateTime, UpdateTime: e.UpdateTime,
	}
}

// EmployeeRepository stores admin accounts.
type EmployeeRepository struct{ db *bun.DB }

// NewEmployeeRepository returns the repository on db.
func NewEmployeeRepository(db *bun.DB) *EmployeeRepository { return &EmployeeRepository{db: db} }

// ByUsername implements application.EmployeeRepository.
func (r *EmployeeRepository) ByUsername(ctx context.Context, username string) (employee.Employee, error) {
	row := new(employeeRow)
	if err := r.db.NewSelect().Model(row).Where("username = ?", username).Scan(ctx); err != nil {
		return employee.Employee{}, employeeErrors.translate(err, "employee "+username)
	}
	return row.toDomain(), nil
}

// Add implements application.EmployeeRepository.
func (r *EmployeeRepository) Add(ctx context.Context, e employee.Employee) (employee.Employee, error) {
	row := toEmployeeRow(e)
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return employeeErrors.translate(err, "add employee "+e.Username)
		}
		return bumpChanges(ctx, tx)
	})
	if err != nil {
		return employee.Employee{}, unavailable(err, "add employee "+e.Username)
	}
	e.ID = row.ID
	return e, nil
}

// AddFirst implements application.EmployeeRepository. The insert carries its own condition, so
// two instances starting on an empty table cannot both pass it: the second either sees the first
// row or, on PostgreSQL where both may read an empty table, hits the unique username.
func (r *EmployeeRepository) AddFirst(ctx context.Context, e employee.Employee) (bool, error) {
	row := toEmployeeRow(e)
	var added bool
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewRaw(`INSERT INTO employees (name, username, password, phone, status, token_version, create_time, update_time)
			SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM employees)`,
			row.Name, row.Username, row.Password, row.Phone, row.Status, row.Version, row.CreateTime, row.UpdateTime).Exec(ctx)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n != 1 {
			return err
		}
		added = true
		return bumpChanges(ctx, tx)
	})
	if isUniqueViolation(err) {
		return false, nil
	}
	if err != nil {
		return false, failed(err, "add first employee")
	}
	return added, nil
}

// Count implements application.EmployeeRepository.
func (r *EmployeeRepository) Count(ctx context.Context) (int, error) {
	n, err := r.db.NewSelect().Model((*employeeRow)(nil)).Count(ctx)
	if err != nil {
		return 0, failed(err, "count employees")
	}
	return n, nil
}
