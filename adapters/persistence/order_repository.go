package persistence

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

var _ application.OrderRepository = (*OrderRepository)(nil)

// OrderRepository stores orders and appends their alerts, in PostgreSQL or SQLite.
type OrderRepository struct {
	db *bun.DB
	// unorderedAlertIDs drops the lock that makes alert ids visible in id order. Only the test
	// that proves the lock is needed sets it.
	unorderedAlertIDs bool
}

// NewOrderRepository returns a repository on db, whose schema is migrated (see Migrate).
func NewOrderRepository(db *bun.DB) *OrderRepository { return &OrderRepository{db: db} }

// Add implements application.OrderRepository.
func (r *OrderRepository) Add(ctx context.Context, o order.Order) (order.Order, error) {
	row := toOrderRow(o)
	row.ID = 0
	if _, err := r.db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return order.Order{}, orderErrors.translate(err, "add order "+o.Number)
	}
	o.ID = row.ID
	return o, nil
}

// Get implements application.OrderRepository.
func (r *OrderRepository) Get(ctx context.Context, key application.OrderKey) (order.Order, error) {
	row, err := selectOrder(ctx, r.db, key, false)
	if err != nil {
		return order.Order{}, err
	}
	return row.toDomain(), nil
}

// Update implements application.OrderRepository.
func (r *OrderRepository) Update(ctx context.Context, key application.OrderKey, change application.OrderChange) (order.Order, *alert.Alert, error) {
	var (
		saved  order.Order
		stored *alert.Alert
	)
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		var err error
		saved, stored, err = r.update(ctx, tx, key, change)
		return err
	})
	if err != nil {
		// BEGIN and COMMIT fail outside the closure when the connection is lost.
		return order.Order{}, nil, unavailable(err, "update order "+key.String())
	}
	return saved, stored, nil
}

// update is Update's work in tx: the order's row stays locked until tx ends.
func (r *OrderRepository) update(ctx context.Context, tx bun.Tx, key application.OrderKey, change application.OrderChange) (order.Order, *alert.Alert, error) {
	row, err := selectOrder(ctx, tx, key, true)
	if err != nil {
		return order.Order{}, nil, err
	}
	before := row.toDomain()
	o := before
	a, err := change(&o)
	if err != nil {
		return order.Order{}, nil, err
	}
	o.ID, o.Number = before.ID, before.Number // an order's identity is not the change's to alter
	if !o.Equal(before) {
		if _, err := tx.NewUpdate().Model(toOrderRow(o)).WherePK().ExcludeColumn("number").Exec(ctx); err != nil {
			return order.Order{}, nil, orderErrors.translate(err, "update order "+o.Number)
		}
	}
	if a == nil {
		return o, nil, nil
	}
	appended, err := r.appendAlert(ctx, tx, *a)
	if err != nil {
		return order.Order{}, nil, err
	}
	return o, &appended, nil
}

// selectOrder reads one order; forUpdate locks its row until the transaction ends (PostgreSQL
// only: SQLite has no row locks and needs none, its write transactions being serialised).
func selectOrder(ctx context.Context, db bun.IDB, key application.OrderKey, forUpdate bool) (*orderRow, error) {
	row := new(orderRow)
	q := db.NewSelect().Model(row)
	if key.Number != "" {
		q = q.Where("number = ?", key.Number)
	} else {
		q = q.Where("id = ?", key.ID)
	}
	if forUpdate && isPostgres(db) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, orderErrors.translate(err, "order "+key.String())
	}
	return row, nil
}
