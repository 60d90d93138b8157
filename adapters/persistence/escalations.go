package persistence

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

var _ application.EscalationSchedule = (*EscalationSchedule)(nil)

// How far an alert's escalation got (order_alerts.escalation).
const (
	escalationUndecided = 0
	escalationScreened  = 1 // a screen was there during the grace
	escalationDone      = 2
)

// What ended a delivery (escalation_deliveries.outcome).
const (
	deliverySent           = "sent"
	deliveryFailed         = "failed"
	deliveryAcknowledged   = "acknowledged" // every alert it covers was handled before it went
	deliveryChannelRemoved = "channel_removed"
)

// deliveryRow is the escalation_deliveries table.
type deliveryRow struct {
	bun.BaseModel `bun:"table:escalation_deliveries"`

	ID         int64      `bun:"id,pk,autoincrement"`
	ChannelID  int64      `bun:"channel_id,notnull"`
	ShopID     int64      `bun:"shop_id,notnull"`
	Reason     string     `bun:"reason,notnull"`
	AlertIDs   string     `bun:"alert_ids,notnull"`
	Body       string     `bun:"body,notnull"`
	CreatedAt  time.Time  `bun:"created_at,notnull"`
	SendAt     time.Time  `bun:"send_at,notnull"`
	Attempts   int        `bun:"attempts,notnull"`
	LeaseUntil *time.Time `bun:"lease_until"`
	EndedAt    *time.Time `bun:"ended_at"`
	Outcome    string     `bun:"outcome,nullzero"`
	LastError  string     `bun:"last_error,nullzero"`
}

// EscalationSchedule is the durable schedule in the database. Every due time, claim and lease
// is decided by the database's clock in the statement that acts on it (db_clock.go), so that
// instances whose clocks disagree still take each alert and each delivery once.
type EscalationSchedule struct {
	db *bun.DB
}

// NewEscalationSchedule returns the schedule in db.
func NewEscalationSchedule(db *bun.DB) *EscalationSchedule { return &EscalationSchedule{db: db} }

// DueForScreenCheck implements application.EscalationSchedule, from the partial index of
// alerts still to decide.
func (s *EscalationSchedule) DueForScreenCheck(ctx context.Context, grace time.Duration, limit int) ([]alert.Alert, error) {
	return s.due(ctx, "escalation = ?", escalationUndecided, grace, limit)
}

// DueUnacknowledged implements application.EscalationSchedule.
func (s *EscalationSchedule) DueUnacknowledged(ctx context.Context, after time.Duration, limit int) ([]alert.Alert, error) {
	return s.due(ctx, "escalation < ?", escalationDone, after, limit)
}

func (s *EscalationSchedule) due(ctx context.Context, step string, value int, age time.Duration, limit int) ([]alert.Alert, error) {
	var rows []alertRow
	err := s.db.NewSelect().Model(&rows).
		Where("event IS NULL AND ack_at IS NULL").Where(step, value).
		Where(olderThan(s.db, "created_at"), age.Seconds()).
		Order("created_at ASC", "id ASC").Limit(limit).Scan(ctx)
	if err != nil {
		return nil, failed(err, "alerts due for escalation")
	}
	return toAlerts(rows), nil
}

// Screened implements application.EscalationSchedule.
func (s *EscalationSchedule) Screened(ctx context.Context, alertID int64) error {
	_, err := s.db.NewUpdate().Model((*alertRow)(nil)).Set("escalation = ?", escalationScreened).
		Where("id = ? AND escalation = ?", alertID, escalationUndecided).Exec(ctx)
	if err != nil {
		return failed(err, fmt.Sprintf("record the screen of alert %d", alertID))
	}
	return nil
}

// Escalate implements application.EscalationSchedule. The conditional update decides which
// instance escalates the alert; the shop's channel rows are then locked (PostgreSQL), so that
// two alerts escalated at once count each channel's rate one after the other.
func (s *EscalationSchedule) Escalate(ctx context.Context, alertID int64, reason string, compose application.Composer, rate application.Rate) (bool, error) {
	escalated := false
	err := s.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*alertRow)(nil)).Set("escalation = ?", escalationDone).
			Where("id = ? AND event IS NULL AND ack_at IS NULL AND escalation < ?", alertID, escalationDone).Exec(ctx)
		if err != nil {
			return failed(err, fmt.Sprintf("claim the escalation of alert %d", alertID))
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // decided by another instance, or handled meanwhile
		}
		escalated = true
		row := new(alertRow)
		if err := tx.NewSelect().Model(row).Where("id = ?", alertID).Scan(ctx); err != nil {
			return failed(err, fmt.Sprintf("alert %d", alertID))
		}
		var channels []channelRow
		q := tx.NewSelect().Model(&channels).Where("shop_id = ?", row.ShopID).Order("id ASC")
		if isPostgres(tx) {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); err != nil {
			return failed(err, fmt.Sprintf("channels of shop %d", row.ShopID))
		}
		for i := range channels {
			if err := s.deliver(ctx, tx, &channels[i], row.toDomain(), reason, compose, rate); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, unavailable(err, fmt.Sprintf("escalate alert %d", alertID))
	}
	return escalated, nil
}

// deliver makes the alert's delivery to one channel. Within the channel's rate it is a message
// of its own, sent now. Past it, the alert waits in one merged message sent when the window
// allows: the one already waiting, if none of its attempts was made, else a new one.
func (s *EscalationSchedule) deliver(ctx context.Context, tx bun.Tx, ch *channelRow, a alert.Alert, reason string, compose application.Composer, rate application.Rate) error {
	waiting := new(deliveryRow)
	err := tx.NewSelect().Model(waiting).
		Where("channel_id = ? AND ended_at IS NULL AND attempts = 0", ch.ID).Where(inTheFuture(tx, "send_at")).
		Order("id DESC").Limit(1).Scan(ctx)
	switch {
	case err == nil:
		return s.join(ctx, tx, ch, waiting, a, compose)
	case !errors.Is(err, sql.ErrNoRows):
		return failed(err, fmt.Sprintf("the waiting delivery of channel %d", ch.ID))
	}
	var (
		sent  int
		first bun.NullTime
	)
	err = tx.NewSelect().Model((*deliveryRow)(nil)).ColumnExpr("count(*), min(send_at)").
		Where("channel_id = ?", ch.ID).Where(withinTheLast(tx, "send_at"), rate.Per.Seconds()).Scan(ctx, &sent, &first)
	if err != nil {
		return failed(err, fmt.Sprintf("the rate of channel %d", ch.ID))
	}
	body, err := compose.Body(ch.toDomain().Kind, reason, []alert.Alert{a})
	if err != nil {
		return fmt.Errorf("compose the escalation of %s: %w", a, err)
	}
	d := &deliveryRow{
		ChannelID: ch.ID, ShopID: a.ShopID, Reason: reason, AlertIDs: strconv.FormatInt(a.ID, 10),
		Body: string(body), CreatedAt: time.Now().UTC(),
	}
	q := tx.NewInsert().Model(d)
	if sent < rate.N || first.IsZero() {
		q = q.Value("send_at", dbNow(tx))
	} else {
		// The window frees when its oldest message leaves it.
		q = q.Value("send_at", "?", first.UTC().Add(rate.Per))
	}
	if _, err := q.Returning("id").Exec(ctx); err != nil {
		return failed(err, fmt.Sprintf("make the delivery of %s to channel %d", a, ch.ID))
	}
	return nil
}

// join adds the alert to a delivery that waits for the channel's window, and writes its body
// anew for every alert it now covers (none of its attempts was made: nobody has seen it).
func (s *EscalationSchedule) join(ctx context.Context, tx bun.Tx, ch *channelRow, d *deliveryRow, a alert.Alert, compose application.Composer) error {
	ids := append(parseIDs(d.AlertIDs), a.ID)
	var rows []alertRow
	if err := tx.NewSelect().Model(&rows).Where("id IN (?)", bun.List(ids)).Order("id ASC").Scan(ctx); err != nil {
		return failed(err, fmt.Sprintf("the alerts of delivery %d", d.ID))
	}
	body, err := compose.Body(ch.toDomain().Kind, d.Reason, toAlerts(rows))
	if err != nil {
		return fmt.Errorf("compose delivery %d: %w", d.ID, err)
	}
	_, err = tx.NewUpdate().Model(d).Set("alert_ids = ?", formatIDs(ids)).Set("body = ?", string(body)).
		Where("id = ? AND attempts = 0", d.ID).Exec(ctx)
	if err != nil {
		return failed(err, fmt.Sprintf("merge %s into delivery %d", a, d.ID))
	}
	return nil
}

// Claim implements application.EscalationSchedule.
func (s *EscalationSchedule) Claim(ctx context.Context, lease time.Duration) (application.Delivery, bool, error) {
	for {
		d, ch, found, settled, err := s.claimOne(ctx, lease)
		if err != nil || !found {
			return application.Delivery{}, false, err
		}
		if settled { // ended without an attempt: look at the next one
			continue
		}
		return application.Delivery{
			ID: d.ID, Channel: ch.toDomain(), Reason: d.Reason, AlertIDs: parseIDs(d.AlertIDs), Body: []byte(d.Body), Attempts: d.Attempts,
		}, true, nil
	}
}

// claimOne leases the next due delivery, or ends it when there is nothing left to send it for
// (settled): every alert it covers was handled, or its channel was removed.
func (s *EscalationSchedule) claimOne(ctx context.Context, lease time.Duration) (d *deliveryRow, ch *channelRow, found, settled bool, err error) {
	err = s.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		d = new(deliveryRow)
		if found, err = nextDue(ctx, tx, d, "the next due delivery"); err != nil || !found {
			return err
		}
		open, err := tx.NewSelect().Model((*alertRow)(nil)).
			Where("id IN (?) AND ack_at IS NULL AND event IS NULL", bun.List(parseIDs(d.AlertIDs))).Count(ctx)
		if err != nil {
			return failed(err, fmt.Sprintf("the alerts of delivery %d", d.ID))
		}
		ch = new(channelRow)
		chErr := tx.NewSelect().Model(ch).Where("id = ?", d.ChannelID).Scan(ctx)
		switch {
		case open == 0:
			settled = true
			return s.end(ctx, tx, d.ID, deliveryAcknowledged, "")
		case errors.Is(chErr, sql.ErrNoRows):
			settled = true
			return s.end(ctx, tx, d.ID, deliveryChannelRemoved, "")
		case chErr != nil:
			return failed(chErr, fmt.Sprintf("channel %d", d.ChannelID))
		}
		d.Attempts++
		_, err = tx.NewUpdate().Model((*deliveryRow)(nil)).Set("attempts = ?", d.Attempts).
			Set("lease_until = "+dbNowPlus(tx), lease.Seconds()).
			Where("id = ? AND attempts = ?", d.ID, d.Attempts-1).Exec(ctx)
		if err != nil {
			return failed(err, fmt.Sprintf("lease delivery %d", d.ID))
		}
		return nil
	})
	if err != nil {
		return nil, nil, false, false, unavailable(err, "claim a delivery")
	}
	return d, ch, found, settled, nil
}

func (s *EscalationSchedule) end(ctx context.Context, tx bun.IDB, id int64, outcome, lastError string) error {
	_, err := tx.NewUpdate().Model((*deliveryRow)(nil)).Set("ended_at = "+dbNow(tx)).Set("outcome = ?", outcome).
		Set("last_error = ?", nullEmpty(truncateText(lastError, 300))).Set("lease_until = NULL").
		Where("id = ? AND ended_at IS NULL", id).Exec(ctx)
	if err != nil {
		return failed(err, fmt.Sprintf("end delivery %d", id))
	}
	return nil
}

// Finish implements application.EscalationSchedule. It acts only on the attempt it was claimed
// for: an instance whose lease ran out (and whose delivery another instance claimed again)
// changes nothing.
func (s *EscalationSchedule) Finish(ctx context.Context, d application.Delivery, a application.Attempt, retryIn time.Duration) error {
	lastError := ""
	if a.Err != nil {
		lastError = a.Err.Error()
	}
	q := s.db.NewUpdate().Model((*deliveryRow)(nil)).Where("id = ? AND attempts = ? AND ended_at IS NULL", d.ID, d.Attempts)
	switch {
	case a.Outcome == application.AttemptSent:
		q = q.Set("ended_at = "+dbNow(s.db)).Set("outcome = ?", deliverySent).Set("lease_until = NULL")
	case a.Outcome == application.AttemptFailed || retryIn <= 0:
		q = q.Set("ended_at = "+dbNow(s.db)).Set("outcome = ?", deliveryFailed).Set("lease_until = NULL")
	default:
		q = q.Set("send_at = "+dbNowPlus(s.db), retryIn.Seconds()).Set("lease_until = NULL")
	}
	if _, err := q.Set("last_error = ?", nullEmpty(truncateText(lastError, 300))).Exec(ctx); err != nil {
		return failed(err, fmt.Sprintf("record the attempt of delivery %d", d.ID))
	}
	return nil
}

func parseIDs(s string) []int64 {
	var ids []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

func formatIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// truncateText keeps at most n bytes of s, on a rune boundary.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// nextDue reads into row the next due, unleased, unended row of a delivery queue (columns
// send_at, lease_until, ended_at), locking it on PostgreSQL so that another instance skips it;
// none: false.
func nextDue(ctx context.Context, tx bun.Tx, row any, what string) (bool, error) {
	q := tx.NewSelect().Model(row).Where("ended_at IS NULL").Where(inThePast(tx, "send_at")).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("lease_until IS NULL").WhereOr(inThePast(tx, "lease_until"))
		}).Order("send_at ASC", "id ASC").Limit(1)
	if isPostgres(tx) {
		q = q.For("UPDATE SKIP LOCKED")
	}
	switch err := q.Scan(ctx); {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, failed(err, what)
	}
	return true, nil
}
