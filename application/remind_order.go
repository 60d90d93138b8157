package application

import (
	"context"
	"fmt"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// RemindOrder is the customer tapping 催单: it rings the shop about an order being prepared or
// delivered, at most once per cooldown.
type RemindOrder struct {
	Orders   OrderRepository
	Feed     AlertFeedWaker
	Clock    Clock
	Cooldown time.Duration
}

// Execute reminds the shop of order orderID on behalf of userID. Another user's order is
// order.ErrNotFound, an order not in status 2–4 order.ErrStatus, a reminder within the cooldown
// order.ErrReminderTooFrequent; none of them appends an alert.
func (uc RemindOrder) Execute(ctx context.Context, orderID, userID int64) (alert.Alert, error) {
	now := uc.Clock.Now()
	a, err := uc.Orders.Remind(ctx, orderID, uc.Cooldown, func(o order.Order) (alert.Alert, error) {
		if err := o.CheckReminder(userID); err != nil {
			return alert.Alert{}, err
		}
		return alert.Reminder(o.ShopID, o.ID, o.Number, now), nil
	})
	if err != nil {
		return alert.Alert{}, fmt.Errorf("remind order %d: %w", orderID, err)
	}
	uc.Feed.Committed(a)
	return a, nil
}
