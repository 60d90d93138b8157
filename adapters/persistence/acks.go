package persistence

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

var _ application.AlertAcker = (*OrderRepository)(nil)

// Ack implements application.AlertAcker. On PostgreSQL the alert's row is locked first, so of
// racing acks (any instance) the first to commit wins and the others read its ack once it has
// committed; the order lock of appendAlert comes after, as the last lock. SQLite runs one write
// transaction at a time (BEGIN IMMEDIATE), which gives the same.
func (r *OrderRepository) Ack(ctx context.Context, id int64, scope shop.Scope, ack alert.Ack) (application.Acked, error) {
	var acked application.Acked
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		var rows []alertRow
		q := tx.NewSelect().Model(&rows).Where("id = ? AND event IS NULL", id)
		if err := lockedForAck(scoped(q, scope)).Scan(ctx); err != nil {
			return failed(err, fmt.Sprintf("alert %d", id))
		}
		if len(rows) == 0 {
			return fmt.Errorf("alert %d: %w", id, alert.ErrNotFound)
		}
		a := rows[0].toDomain()
		if !a.Open() {
			acked = application.Acked{Alert: a}
			return nil
		}
		var err error
		acked, err = r.ackLocked(ctx, tx, a, ack)
		return err
	})
	if err != nil {
		return application.Acked{}, unavailable(err, fmt.Sprintf("ack alert %d", id))
	}
	return acked, nil
}

// AckOpen implements application.AlertAcker.
func (r *OrderRepository) AckOpen(ctx context.Context, sel application.OpenAlerts, ack alert.Ack) ([]application.Acked, error) {
	var acked []application.Acked
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		var err error
		acked, err = r.ackOpen(ctx, tx, sel, ack)
		return err
	})
	if err != nil {
		return nil, unavailable(err, fmt.Sprintf("ack the open alerts of order %d", sel.OrderID))
	}
	return acked, nil
}

// UpdateAndAck implements application.OrderRepository: the order's row is locked first (by
// update), then its open alerts' rows, then the order lock.
func (r *OrderRepository) UpdateAndAck(ctx context.Context, key application.OrderKey, change application.OrderChange, ack alert.Ack) (order.Order, []application.Acked, error) {
	var (
		saved order.Order
		acked []application.Acked
	)
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if saved, _, err = r.update(ctx, tx, key, change); err != nil {
			return err
		}
		acked, err = r.ackOpen(ctx, tx, application.OpenAlerts{Shops: shop.Only(saved.ShopID), OrderID: saved.ID}, ack)
		return err
	})
	if err != nil {
		return order.Order{}, nil, unavailable(err, "update and ack order "+key.String())
	}
	return saved, acked, nil
}

// ackOpen acknowledges, in tx, the open alerts sel selects. Their rows are locked in id order,
// so two transactions acking overlapping sets wait for each other instead of deadlocking.
func (r *OrderRepository) ackOpen(ctx context.Context, tx bun.Tx, sel application.OpenAlerts, ack alert.Ack) ([]application.Acked, error) {
	var rows []alertRow
	q := tx.NewSelect().Model(&rows).Where("order_id = ? AND ack_at IS NULL AND event IS NULL", sel.OrderID)
	if sel.Source == "" {
		q = q.Where("source IS NULL")
	} else {
		q = q.Where("source = ?", sel.Source)
	}
	if err := lockedForAck(scoped(q, sel.Shops)).Order("id ASC").Scan(ctx); err != nil {
		return nil, failed(err, fmt.Sprintf("the open alerts of order %d", sel.OrderID))
	}
	acked := make([]application.Acked, 0, len(rows))
	for i := range rows {
		one, err := r.ackLocked(ctx, tx, rows[i].toDomain(), ack)
		if err != nil {
			return nil, err
		}
		acked = append(acked, one)
	}
	return acked, nil
}

// ackLocked sets the ack of open alert a, whose row tx holds, and appends its event.
func (r *OrderRepository) ackLocked(ctx context.Context, tx bun.Tx, a alert.Alert, ack alert.Ack) (application.Acked, error) {
	ack.AlertID = a.ID
	res, err := tx.NewUpdate().Model((*alertRow)(nil)).
		Set("ack_at = ?", ack.At).Set("ack_by_id = ?", nullZero(ack.By.ID)).
		Set("ack_by_name = ?", nullEmpty(ack.By.Name)).Set("ack_sid = ?", nullEmpty(ack.SID)).
		Where("id = ? AND ack_at IS NULL", a.ID).Exec(ctx)
	if err != nil {
		return application.Acked{}, failed(err, "ack "+a.String())
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		// The row was locked (or the transaction is SQLite's only writer): it cannot be acked
		// by anyone else in between.
		return application.Acked{}, errors.Join(fmt.Errorf("ack %s: %d rows changed, want 1", a, n), err)
	}
	a.Ack = &ack
	event, err := r.appendAlert(ctx, tx, alert.AckEvent(a, ack))
	if err != nil {
		return application.Acked{}, err
	}
	return application.Acked{Alert: a, Event: &event}, nil
}

// scoped keeps the rows of the scope's shops.
func scoped(q *bun.SelectQuery, scope shop.Scope) *bun.SelectQuery {
	if scope.All() {
		return q
	}
	shops := scope.Shops()
	if len(shops) == 0 {
		return q.Where("1 = 0")
	}
	return q.Where("shop_id IN (?)", bun.List(shops))
}

// lockedForAck locks the rows read until the transaction ends, on PostgreSQL (SQLite's write
// transactions exclude each other whole).
func lockedForAck(q *bun.SelectQuery) *bun.SelectQuery {
	if isPostgres(q.DB()) {
		return q.For("UPDATE")
	}
	return q
}

func nullZero(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
