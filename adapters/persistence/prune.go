package persistence

import (
	"context"
	"fmt"
	"time"
)

// Batches of a prune. One statement deletes at most pruneBatch alerts and commits at once, so
// neither database holds a lock for the whole prune. Between two batches the pruner pauses:
// SQLite has one writer at a time, and a writer waiting in SQLite's busy handler sleeps and
// retries, so without the pause a pruner issuing batch after batch could keep it waiting.
const (
	pruneBatch = 500
	prunePause = 10 * time.Millisecond
)

// The batch statements. Neither takes the advisory lock that orders alert ids (alert_log.go):
// a delete makes no id visible, so it cannot break the order readers rely on, and it must not
// queue behind or ahead of the writers that hold that lock. On PostgreSQL SKIP LOCKED lets
// several instances prune at once, each deleting rows the others have not claimed, instead of
// waiting for each other's row locks; the created_at index finds the rows on both.
const (
	prunePostgres = `DELETE FROM order_alerts WHERE id IN (
		SELECT id FROM order_alerts WHERE created_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)`
	pruneSQLite = `DELETE FROM order_alerts WHERE id IN (
		SELECT id FROM order_alerts WHERE created_at < ? LIMIT ?)`
)

// Prune implements application.AlertLog. Ids are never reused after it: SQLite's AUTOINCREMENT
// keeps the highest id in sqlite_sequence and PostgreSQL's identity sequence never goes back,
// whatever rows are deleted.
func (l *AlertLog) Prune(ctx context.Context, before time.Time) (int64, error) {
	query := pruneSQLite
	if isPostgres(l.db) {
		query = prunePostgres
	}
	var total int64
	for {
		res, err := l.db.ExecContext(ctx, query, before.UTC(), pruneBatch)
		if err != nil {
			return total, failed(err, "prune alerts created before "+before.Format(time.RFC3339))
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, failed(err, "prune alerts")
		}
		total += n
		if n < pruneBatch {
			// Done, or (PostgreSQL) the rest is claimed by another instance's prune.
			return total, l.pruneDeliveries(ctx, before)
		}
		select {
		case <-ctx.Done():
			return total, fmt.Errorf("prune alerts: %w", ctx.Err())
		case <-time.After(prunePause):
		}
	}
}

// LastAssignedID implements application.AlertLog, from the id generator rather than the rows,
// which a prune may have emptied: SQLite's sqlite_sequence row of the table (absent until the
// first insert), or PostgreSQL's identity sequence (NULL until first used). The sequence is
// not transactional, so on PostgreSQL it may count an id still being committed; it is an upper
// bound of every id a reader can have seen, which is what a "client is ahead" check needs.
func (l *AlertLog) LastAssignedID(ctx context.Context) (int64, error) {
	query := `SELECT seq FROM sqlite_sequence WHERE name = 'order_alerts'`
	if isPostgres(l.db) {
		query = `SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('order_alerts', 'id')), 0)`
	}
	var id int64
	err := l.db.QueryRowContext(ctx, query).Scan(&id)
	if isNoRows(err) {
		return 0, nil
	}
	if err != nil {
		return 0, failed(err, "read the last alert id")
	}
	return id, nil
}

// pruneDeliveries deletes the escalation deliveries that ended before before, and the push
// deliveries made before it: they go with the alerts they were for. An escalation delivery that
// has not ended is kept, whatever its age, until it does.
func (l *AlertLog) pruneDeliveries(ctx context.Context, before time.Time) error {
	_, err := l.db.NewDelete().Model((*deliveryRow)(nil)).
		Where("created_at < ? AND ended_at IS NOT NULL", before.UTC()).Exec(ctx)
	if err != nil {
		return failed(err, "prune escalation deliveries")
	}
	// A push that old is of no use, ended or not: its TTL ran out long before.
	if _, err := l.db.NewDelete().Model((*pushDeliveryRow)(nil)).Where("created_at < ?", before.UTC()).Exec(ctx); err != nil {
		return failed(err, "prune push deliveries")
	}
	return nil
}
