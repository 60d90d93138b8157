package application

import (
	"context"
	"fmt"
	"time"
)

// PruneAlerts forgets the alerts older than the retention (ORDERALERT_ALERT_RETENTION): a
// dashboard that reconnects replays what is kept, and the log stops growing.
type PruneAlerts struct {
	Alerts AlertLog
	// Clock decides what "older" means. Alerts are stamped with it when they are created, so
	// the cut is made on the same clock; an instance's skew of seconds against a retention of
	// days only moves which run removes an alert.
	Clock     Clock
	Retention time.Duration
}

// Execute deletes the alerts created more than Retention ago and returns how many it deleted.
func (uc PruneAlerts) Execute(ctx context.Context) (int64, error) {
	if uc.Retention <= 0 {
		return 0, fmt.Errorf("%w: alert retention %s is not positive", ErrInvalidInput, uc.Retention)
	}
	n, err := uc.Alerts.Prune(ctx, uc.Clock.Now().Add(-uc.Retention))
	if err != nil {
		return n, fmt.Errorf("prune alerts older than %s: %w", uc.Retention, err)
	}
	return n, nil
}
