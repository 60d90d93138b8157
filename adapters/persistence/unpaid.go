package persistence

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
)

var _ application.UnpaidOrders = (*OrderRepository)(nil)

// ClaimUnpaid implements application.UnpaidOrders with one statement: the orders due and not
// leased get the lease, decided by the database's clock, and come back. On PostgreSQL SKIP
// LOCKED lets instances claim at once without waiting for each other; SQLite has one writer.
func (r *OrderRepository) ClaimUnpaid(ctx context.Context, timeout, lease time.Duration, limit int) ([]order.Order, error) {
	skip := ""
	if isPostgres(r.db) {
		skip = " FOR UPDATE SKIP LOCKED"
	}
	var ids []int64
	err := r.db.NewRaw(`UPDATE orders SET cancel_lease_until = `+dbNowPlus(r.db)+`
		WHERE id IN (SELECT id FROM orders WHERE status = ? AND `+olderThan(r.db, "order_time")+`
			AND (cancel_lease_until IS NULL OR `+inThePast(r.db, "cancel_lease_until")+`)
			ORDER BY order_time, id LIMIT ?`+skip+`)
		RETURNING id`, lease.Seconds(), int(order.StatusPendingPayment), timeout.Seconds(), limit).Scan(ctx, &ids)
	if err != nil {
		return nil, failed(err, "claim unpaid orders")
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []orderRow
	if err := r.db.NewSelect().Model(&rows).Where("id IN (?)", bun.List(ids)).Order("order_time ASC", "id ASC").Scan(ctx); err != nil {
		return nil, failed(err, "the claimed unpaid orders")
	}
	out := make([]order.Order, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}
