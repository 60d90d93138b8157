package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/shop"
)

// Limits of one page of alert history.
const (
	DefaultAlertLimit = 100
	MaxAlertLimit     = 1000
)

// ListAlerts reads the alert history a dashboard shows on load and replays after a reconnect.
type ListAlerts struct {
	Alerts AlertLog
}

// AlertQuery asks for the alerts of the scope's shops, of every kind, after an id, or for the
// newest ones when AfterID is nil; only those nobody has acknowledged with OpenOnly. A zero
// Limit means DefaultAlertLimit. Events are never listed: each alert carries its ack.
type AlertQuery struct {
	Shops    shop.Scope
	AfterID  *int64
	Limit    int
	OpenOnly bool
}

// Execute returns the alerts in ascending id order.
func (uc ListAlerts) Execute(ctx context.Context, q AlertQuery) ([]alert.Alert, error) {
	limit := q.Limit
	if limit == 0 {
		limit = DefaultAlertLimit
	}
	if limit < 0 || limit > MaxAlertLimit {
		return nil, fmt.Errorf("%w: limit %d is not between 1 and %d", ErrInvalidInput, q.Limit, MaxAlertLimit)
	}
	var (
		alerts []alert.Alert
		err    error
		filter = AlertFilter{Shops: q.Shops, AllKinds: true, OpenOnly: q.OpenOnly}
	)
	switch {
	case q.AfterID == nil:
		alerts, err = uc.Alerts.Latest(ctx, filter, limit)
	case *q.AfterID < 0:
		return nil, fmt.Errorf("%w: afterId %d is negative", ErrInvalidInput, *q.AfterID)
	default:
		alerts, err = uc.Alerts.After(ctx, filter, *q.AfterID, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	return alerts, nil
}
