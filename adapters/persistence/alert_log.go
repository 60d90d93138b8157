package persistence

import (
	"context"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

var _ application.AlertLog = (*AlertLog)(nil)

// AlertChannel is the PostgreSQL notification channel on which every appended alert is
// announced to the instances that share the database (adapters/notify listens to it).
const AlertChannel = "order_alerts"

// alertIDOrderLock is the key of the PostgreSQL advisory lock that orders alert commits. Any
// constant works; this one spells "ALERTLOG" in ASCII, to be recognisable in pg_locks.
const alertIDOrderLock int64 = 0x414c4552544c4f47

// appendAlert inserts an alert in tx and returns it with its id.
//
// Alert ids must become visible in id order: a dashboard that has seen id K resumes "after K",
// so an id below K that commits later would be lost to it. A sequence alone does not give that —
// under concurrent transactions T1 may take id 5 and T2 id 6, T2 commit first, and a reader see 6
// without 5. On PostgreSQL every alert-writing transaction therefore takes one transaction-level
// advisory lock just before it draws an id, and holds it until it commits or rolls back. Ids are
// then drawn in commit order: whoever holds id K committed every smaller id before it could
// draw K, so any snapshot that shows K shows them too. It is the last lock the transaction takes
// (after the order's row lock), so it cannot deadlock, and it serialises only the short step from
// the insert to the commit. SQLite needs no lock: it runs one write transaction at a time.
func (r *OrderRepository) appendAlert(ctx context.Context, tx bun.Tx, a alert.Alert) (alert.Alert, error) {
	if isPostgres(tx) && !r.unorderedAlertIDs {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", alertIDOrderLock); err != nil {
			return alert.Alert{}, fmt.Errorf("take the alert order lock: %w", err)
		}
	}
	row := toAlertRow(a)
	row.ID = 0
	if _, err := tx.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return alert.Alert{}, alertErrors.translate(err, "append "+a.String())
	}
	a.ID = row.ID
	if isPostgres(tx) {
		// Delivered at commit, and never after a rollback: other instances' feeds wake up.
		if _, err := tx.ExecContext(ctx, "SELECT pg_notify(?, ?)", AlertChannel, strconv.FormatInt(a.ID, 10)); err != nil {
			return alert.Alert{}, fmt.Errorf("notify other instances: %w", err)
		}
	}
	return a, nil
}

// AlertLog reads the alert log.
type AlertLog struct {
	db *bun.DB
}

// NewAlertLog returns the alert log in db.
func NewAlertLog(db *bun.DB) *AlertLog { return &AlertLog{db: db} }

// After implements application.AlertLog. A scoped read walks the (shop_id, id) index.
func (l *AlertLog) After(ctx context.Context, f application.AlertFilter, afterID int64, limit int) ([]alert.Alert, error) {
	var rows []alertRow
	q := l.db.NewSelect().Model(&rows).Where("id > ?", afterID)
	err := filtered(q, f).Order("id ASC").Limit(limit).Scan(ctx)
	if err != nil {
		return nil, orderErrors.translate(err, fmt.Sprintf("alerts after %d", afterID))
	}
	return toAlerts(rows), nil
}

// Latest implements application.AlertLog.
func (l *AlertLog) Latest(ctx context.Context, f application.AlertFilter, limit int) ([]alert.Alert, error) {
	var rows []alertRow
	err := filtered(l.db.NewSelect().Model(&rows), f).Order("id DESC").Limit(limit).Scan(ctx)
	if err != nil {
		return nil, orderErrors.translate(err, "latest alerts")
	}
	alerts := toAlerts(rows)
	for i, j := 0, len(alerts)-1; i < j; i, j = i+1, j-1 {
		alerts[i], alerts[j] = alerts[j], alerts[i]
	}
	return alerts, nil
}

// filtered applies f in SQL, so that a page holds only alerts the reader wants and a short page
// means the reader is caught up.
func filtered(q *bun.SelectQuery, f application.AlertFilter) *bun.SelectQuery {
	q = scoped(q, f.Shops)
	if !f.AllKinds { // events have type 0: this leaves them out too
		q = q.Where("type IN (?)", bun.List([]int{int(alert.TypeNewOrder), int(alert.TypeReminder)}))
	}
	switch {
	case f.OpenOnly: // the partial index order_alerts_open_idx
		q = q.Where("ack_at IS NULL AND event IS NULL")
	case !f.Events:
		q = q.Where("event IS NULL")
	}
	return q
}

func toAlerts(rows []alertRow) []alert.Alert {
	alerts := make([]alert.Alert, len(rows))
	for i := range rows {
		alerts[i] = rows[i].toDomain()
	}
	return alerts
}

// CountOpen returns how many alerts of every shop nobody has acknowledged, from the partial
// index of open alerts.
func (l *AlertLog) CountOpen(ctx context.Context) (int64, error) {
	n, err := l.db.NewSelect().Model((*alertRow)(nil)).Where("ack_at IS NULL AND event IS NULL").Count(ctx)
	if err != nil {
		return 0, failed(err, "count the open alerts")
	}
	return int64(n), nil
}
