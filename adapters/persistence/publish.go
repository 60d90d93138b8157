package persistence

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

var _ application.AlertPublisher = (*AlertPublisher)(nil)

// AlertPublisher appends published alerts to the log through the path every alert takes
// (appendAlert: the order lock on PostgreSQL, the wake-up of other instances).
type AlertPublisher struct {
	db     *bun.DB
	orders *OrderRepository // for appendAlert
}

// NewAlertPublisher returns the publisher on db.
func NewAlertPublisher(db *bun.DB) *AlertPublisher {
	return &AlertPublisher{db: db, orders: NewOrderRepository(db)}
}

// Existing implements application.AlertPublisher, through the unique index on (source,
// shop_id, idempotency_key).
func (p *AlertPublisher) Existing(ctx context.Context, source string, shopID int64, key string) (alert.Alert, bool, error) {
	return existingAlert(ctx, p.db, source, shopID, key)
}

func existingAlert(ctx context.Context, db bun.IDB, source string, shopID int64, key string) (alert.Alert, bool, error) {
	row := new(alertRow)
	err := db.NewSelect().Model(row).
		Where("source = ? AND shop_id = ? AND idempotency_key = ?", source, shopID, key).
		Scan(ctx)
	switch {
	case err == nil:
		return row.toDomain(), true, nil
	case errors.Is(err, sql.ErrNoRows):
		return alert.Alert{}, false, nil
	default:
		return alert.Alert{}, false, failed(err, "find the alert of idempotency key "+key)
	}
}

// Publish implements application.AlertPublisher. Racing calls with one idempotency key all
// insert; the unique index lets one commit, and the others read what it stored. On PostgreSQL
// the order lock makes them take turns, so a loser's insert sees the winner's committed row.
func (p *AlertPublisher) Publish(ctx context.Context, a alert.Alert) (alert.Alert, bool, error) {
	var stored alert.Alert
	err := p.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		var err error
		stored, err = p.orders.appendAlert(ctx, tx, a)
		return err
	})
	switch {
	case err == nil:
		return stored, true, nil
	case a.IdempotencyKey != "" && errors.Is(err, errIdempotencyKeyTaken):
		existing, found, err := existingAlert(ctx, p.db, a.Source, a.ShopID, a.IdempotencyKey)
		if err == nil && !found { // pruned between the two statements: nothing to answer with
			err = errors.New("the alert of idempotency key " + a.IdempotencyKey + " vanished")
		}
		return existing, false, err
	default:
		return alert.Alert{}, false, unavailable(err, "publish "+a.String())
	}
}
