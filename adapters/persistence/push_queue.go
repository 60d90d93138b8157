package persistence

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/employee"
)

var _ application.PushQueue = (*PushQueue)(nil)

// pushDeliveryRow is the push_deliveries table.
type pushDeliveryRow struct {
	bun.BaseModel `bun:"table:push_deliveries"`

	ID             int64      `bun:"id,pk,autoincrement"`
	SubscriptionID int64      `bun:"subscription_id,notnull"`
	AlertID        int64      `bun:"alert_id,notnull"`
	Renotify       bool       `bun:"renotify,notnull"`
	Payload        string     `bun:"payload,notnull"`
	CreatedAt      time.Time  `bun:"created_at,notnull"`
	SendAt         time.Time  `bun:"send_at,notnull"`
	Attempts       int        `bun:"attempts,notnull"`
	LeaseUntil     *time.Time `bun:"lease_until"`
	EndedAt        *time.Time `bun:"ended_at"`
	Outcome        string     `bun:"outcome,nullzero"`
}

// How a push delivery ended (push_deliveries.outcome).
const (
	pushSent         = "sent"
	pushFailed       = "failed"
	pushAcknowledged = "acknowledged" // its alert was handled before it could be sent
	pushExpired      = "expired"      // older than its TTL: the escalation took over
)

// PushQueue is the durable push queue in the database; every due time and lease is the
// database's clock, as the escalation schedule's.
type PushQueue struct{ db *bun.DB }

// NewPushQueue returns the queue kept in db.
func NewPushQueue(db *bun.DB) *PushQueue { return &PushQueue{db: db} }

// Enqueue implements application.PushQueue. The cursor's row lock (FOR UPDATE on PostgreSQL,
// SQLite's one writer) makes one instance at a time turn a stretch of the log into deliveries;
// the log's ids commit in order (appendAlert's lock), so nothing is passed over.
func (q *PushQueue) Enqueue(ctx context.Context, limit int, payload application.PushPayload) (int, error) {
	// Most passes find nothing new. A plain read says so without the transaction below, which
	// takes SQLite's write lock (BEGIN IMMEDIATE) and the cursor's row lock 4 times a second on
	// every instance.
	var news bool
	err := q.db.NewRaw("SELECT EXISTS (SELECT 1 FROM order_alerts WHERE id > (SELECT last_alert_id FROM push_cursor WHERE id = 1))").Scan(ctx, &news)
	if err != nil {
		return 0, failed(err, "look for alerts to push")
	}
	if !news {
		return 0, nil
	}
	taken := 0
	err = q.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		var cursor int64
		sel := tx.NewSelect().Table("push_cursor").Column("last_alert_id").Where("id = 1")
		if isPostgres(tx) {
			sel = sel.For("UPDATE")
		}
		if err := sel.Scan(ctx, &cursor); err != nil {
			return failed(err, "read the push cursor")
		}
		var rows []alertRow
		if err := tx.NewSelect().Model(&rows).Where("id > ?", cursor).Order("id ASC").Limit(limit).Scan(ctx); err != nil {
			return failed(err, "read the alerts to push")
		}
		if len(rows) == 0 {
			return nil
		}
		taken = len(rows)
		var open []alert.Alert
		for i := range rows {
			if rows[i].Event == "" && rows[i].AckAt.IsZero() {
				open = append(open, rows[i].toDomain())
			}
		}
		if err := q.insertDeliveries(ctx, tx, open, false, payload); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Table("push_cursor").Set("last_alert_id = ?", rows[len(rows)-1].ID).Where("id = 1").Exec(ctx)
		return failedIf(err, "move the push cursor")
	})
	return taken, err
}

// Repush implements application.PushQueue.
func (q *PushQueue) Repush(ctx context.Context, alertID int64, payload application.PushPayload) error {
	return q.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		row := new(alertRow)
		err := tx.NewSelect().Model(row).Where("id = ? AND event IS NULL AND ack_at IS NULL", alertID).Scan(ctx)
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return failed(err, fmt.Sprintf("read alert %d to push again", alertID))
		}
		return q.insertDeliveries(ctx, tx, []alert.Alert{row.toDomain()}, true, payload)
	})
}

// insertDeliveries makes a delivery of each alert to each subscription of its shop's current
// staff. A delivery made already (the same alert, subscription and renotify) is left alone.
func (q *PushQueue) insertDeliveries(ctx context.Context, tx bun.Tx, alerts []alert.Alert, renotify bool, payload application.PushPayload) error {
	if len(alerts) == 0 {
		return nil
	}
	type audience struct {
		ID     int64 `bun:"id"`
		ShopID int64 `bun:"shop_id"` // 0: platform staff, every shop
	}
	var subs []audience
	err := tx.NewSelect().TableExpr("push_subscriptions AS s").Column("s.id").ColumnExpr("COALESCE(e.shop_id, 0) AS shop_id").
		Join("JOIN employees AS e ON e.id = s.employee_id").
		Where("e.status = ? AND e.token_version = s.token_version", employee.StatusEnabled).
		Order("s.id ASC").Scan(ctx, &subs)
	if err != nil {
		return failed(err, "read the push subscriptions")
	}
	var rows []pushDeliveryRow
	for _, a := range alerts {
		body := "" // written only for an alert someone is subscribed to
		for _, s := range subs {
			if s.ShopID != 0 && s.ShopID != a.ShopID {
				continue
			}
			if body == "" {
				body = string(payload(a, renotify))
			}
			rows = append(rows, pushDeliveryRow{SubscriptionID: s.ID, AlertID: a.ID, Renotify: renotify, Payload: body})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	_, err = tx.NewInsert().Model(&rows).
		Value("created_at", dbNow(tx)).Value("send_at", dbNow(tx)).
		On("CONFLICT (subscription_id, alert_id, renotify) DO NOTHING").Exec(ctx)
	return failedIf(err, "make push deliveries")
}

// Claim implements application.PushQueue.
func (q *PushQueue) Claim(ctx context.Context, lease, ttl time.Duration) (application.PushDelivery, bool, error) {
	for {
		d, found, settled, err := q.claimOne(ctx, lease, ttl)
		if err != nil || !found {
			return application.PushDelivery{}, false, err
		}
		if !settled {
			return d, true, nil
		}
	}
}

// claimOne leases the next due delivery, or ends it when it is no use any more (settled): its
// alert was acknowledged, or it is older than the TTL.
func (q *PushQueue) claimOne(ctx context.Context, lease, ttl time.Duration) (d application.PushDelivery, found, settled bool, err error) {
	err = q.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		row := new(pushDeliveryRow)
		if found, err = nextDue(ctx, tx, row, "the next due push"); err != nil || !found {
			return err
		}
		open, err := tx.NewSelect().Model((*alertRow)(nil)).Where("id = ? AND ack_at IS NULL", row.AlertID).Count(ctx)
		if err != nil {
			return failed(err, fmt.Sprintf("the alert of push %d", row.ID))
		}
		old, err := tx.NewSelect().Model((*pushDeliveryRow)(nil)).Where("id = ?", row.ID).Where(olderThan(tx, "created_at"), ttl.Seconds()).Count(ctx)
		if err != nil {
			return failed(err, fmt.Sprintf("the age of push %d", row.ID))
		}
		switch {
		case open == 0:
			settled = true
			return q.end(ctx, tx, row.ID, pushAcknowledged)
		case old > 0:
			settled = true
			return q.end(ctx, tx, row.ID, pushExpired)
		}
		sub := new(subscriptionRow)
		if err := tx.NewSelect().Model(sub).Where("id = ?", row.SubscriptionID).Scan(ctx); err != nil {
			return failed(err, fmt.Sprintf("the subscription of push %d", row.ID))
		}
		row.Attempts++
		_, err = tx.NewUpdate().Model((*pushDeliveryRow)(nil)).Set("attempts = ?", row.Attempts).
			Set("lease_until = "+dbNowPlus(tx), lease.Seconds()).Where("id = ?", row.ID).Exec(ctx)
		if err != nil {
			return failed(err, fmt.Sprintf("lease push %d", row.ID))
		}
		d = application.PushDelivery{ID: row.ID, Subscription: sub.toDomain(), AlertID: row.AlertID, Payload: []byte(row.Payload), Attempts: row.Attempts}
		return nil
	})
	return d, found, settled, err
}

func (q *PushQueue) end(ctx context.Context, tx bun.IDB, id int64, outcome string) error {
	_, err := tx.NewUpdate().Model((*pushDeliveryRow)(nil)).Set("ended_at = "+dbNow(tx)).Set("outcome = ?", outcome).
		Set("lease_until = NULL").Where("id = ? AND ended_at IS NULL", id).Exec(ctx)
	return failedIf(err, fmt.Sprintf("end push %d", id))
}

// Finish implements application.PushQueue. It acts only on the attempt it was claimed for: an
// instance whose lease ran out, and whose delivery another claimed again, changes nothing.
func (q *PushQueue) Finish(ctx context.Context, d application.PushDelivery, a application.PushAttempt, retryIn time.Duration) error {
	return q.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		mine := func(u *bun.UpdateQuery) *bun.UpdateQuery {
			return u.Where("id = ? AND attempts = ? AND ended_at IS NULL", d.ID, d.Attempts)
		}
		var err error
		switch {
		case a.Outcome == application.PushGone:
			// The subscription is dead: it goes, and its deliveries with it.
			_, err = tx.NewDelete().Model((*subscriptionRow)(nil)).Where("id = ?", d.Subscription.ID).Exec(ctx)
		case a.Outcome == application.PushSent:
			_, err = mine(tx.NewUpdate().Model((*pushDeliveryRow)(nil)).Set("ended_at = "+dbNow(tx)).Set("outcome = ?", pushSent).Set("lease_until = NULL")).Exec(ctx)
		case a.Outcome == application.PushFailed || retryIn <= 0:
			_, err = mine(tx.NewUpdate().Model((*pushDeliveryRow)(nil)).Set("ended_at = "+dbNow(tx)).Set("outcome = ?", pushFailed).Set("lease_until = NULL")).Exec(ctx)
		default:
			_, err = mine(tx.NewUpdate().Model((*pushDeliveryRow)(nil)).Set("send_at = "+dbNowPlus(tx), retryIn.Seconds()).Set("lease_until = NULL")).Exec(ctx)
		}
		return failedIf(err, fmt.Sprintf("record push %d", d.ID))
	})
}

// failedIf is failed for an error, nil for none.
func failedIf(err error, what string) error {
	if err == nil {
		return nil
	}
	return failed(err, what)
}
