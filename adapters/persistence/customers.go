package persistence

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/customer"
)

var _ application.CustomerRepository = (*CustomerRepository)(nil)

// customerRow is the customers table.
type customerRow struct {
	bun.BaseModel `bun:"table:customers"`

	ID        int64     `bun:"id,pk,autoincrement"`
	OpenID    string    `bun:"openid,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// CustomerRepository keeps the mini-program's users.
type CustomerRepository struct {
	db *bun.DB
}

// NewCustomerRepository returns the customers in db.
func NewCustomerRepository(db *bun.DB) *CustomerRepository { return &CustomerRepository{db: db} }

// ByOpenID implements application.CustomerRepository. The insert does nothing when the openid
// has its customer (the unique constraint decides racing first logins); the select then reads
// whichever row won.
func (r *CustomerRepository) ByOpenID(ctx context.Context, openid string, now time.Time) (customer.Customer, error) {
	row := &customerRow{OpenID: openid, CreatedAt: now.UTC()}
	if _, err := r.db.NewInsert().Model(row).On("CONFLICT (openid) DO NOTHING").Exec(ctx); err != nil {
		return customer.Customer{}, failed(err, "add the customer of an openid")
	}
	found := new(customerRow)
	if err := r.db.NewSelect().Model(found).Where("openid = ?", openid).Scan(ctx); err != nil {
		return customer.Customer{}, failed(err, "the customer of an openid")
	}
	return customer.Customer{ID: found.ID, OpenID: found.OpenID, CreatedAt: utc(found.CreatedAt)}, nil
}

// ByID implements application.CustomerRepository.
func (r *CustomerRepository) ByID(ctx context.Context, id int64) (customer.Customer, error) {
	found := new(customerRow)
	err := r.db.NewSelect().Model(found).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return customer.Customer{}, customer.ErrNotFound
	}
	if err != nil {
		return customer.Customer{}, failed(err, "the customer of an id")
	}
	return customer.Customer{ID: found.ID, OpenID: found.OpenID, CreatedAt: utc(found.CreatedAt)}, nil
}
