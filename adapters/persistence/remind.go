package persistence

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// claimReminder sets last_reminded_at to the database's now, unless the order was reminded less
// than the cooldown ago. Deciding it in one statement against the database's clock is what
// makes the cooldown hold across instances whose clocks disagree. The parameters are the
// cooldown in seconds and the order id.
var claimReminder = map[bool]string{
	// PostgreSQL: statement_timestamp(), the time this statement starts, after the row lock
	// was taken; now() would be the start of the transaction, possibly before a wait.
	true: `UPDATE orders SET last_reminded_at = statement_timestamp()
		WHERE id = ? AND (last_reminded_at IS NULL
			OR last_reminded_at <= statement_timestamp() - make_interval(secs => ?))`,
	// SQLite: times are text in Bun's format, which unixepoch() reads; the new value is written
	// in that same format.
	false: `UPDATE orders SET last_reminded_at = strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')
		WHERE id = ? AND (last_reminded_at IS NULL
			OR unixepoch('now', 'subsec') - unixepoch(last_reminded_at, 'subsec') >= ?)`,
}

// Remind implements application.OrderRepository.
func (r *OrderRepository) Remind(ctx context.Context, id int64, cooldown time.Duration, check application.ReminderCheck) (alert.Alert, error) {
	var stored alert.Alert
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		row, err := selectOrder(ctx, tx, application.ByID(id), true)
		if err != nil {
			return err
		}
		a, err := check(row.toDomain())
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, claimReminder[isPostgres(tx)], id, cooldown.Seconds())
		if err != nil {
			return fmt.Errorf("claim reminder of order %d: %w", id, err)
		}
		claimed, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("claim reminder of order %d: %w", id, err)
		}
		if claimed == 0 {
			return fmt.Errorf("order %d: %w", id, order.ErrReminderTooFrequent)
		}
		stored, err = r.appendAlert(ctx, tx, a)
		return err
	})
	if err != nil {
		return alert.Alert{}, unavailable(err, fmt.Sprintf("remind order %d", id))
	}
	return stored, nil
}
