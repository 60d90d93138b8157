package persistence

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/push"
)

var _ application.PushSubscriptions = (*PushSubscriptions)(nil)

// subscriptionRow is the push_subscriptions table.
type subscriptionRow struct {
	bun.BaseModel `bun:"table:push_subscriptions"`

	ID           int64     `bun:"id,pk,autoincrement"`
	EmployeeID   int64     `bun:"employee_id,notnull"`
	TokenID      string    `bun:"token_id,notnull"`
	TokenVersion int64     `bun:"token_version,notnull"`
	Endpoint     string    `bun:"endpoint,notnull"`
	P256dh       string    `bun:"p256dh,notnull"`
	Auth         string    `bun:"auth,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
}

func (r *subscriptionRow) toDomain() push.Subscription {
	return push.Subscription{
		ID: r.ID, EmployeeID: r.EmployeeID, TokenID: r.TokenID, TokenVersion: r.TokenVersion,
		Endpoint: r.Endpoint, P256dh: r.P256dh, Auth: r.Auth, CreatedAt: r.CreatedAt.UTC(),
	}
}

// PushSubscriptions keeps the dashboards' push subscriptions in the database.
type PushSubscriptions struct{ db *bun.DB }

// NewPushSubscriptions returns the subscriptions kept in db.
func NewPushSubscriptions(db *bun.DB) *PushSubscriptions { return &PushSubscriptions{db: db} }

// Save implements application.PushSubscriptions. One endpoint is one row: a second save gives
// it to the new employee and token, with the browser's current keys.
func (s *PushSubscriptions) Save(ctx context.Context, sub push.Subscription) (push.Subscription, error) {
	row := &subscriptionRow{
		EmployeeID: sub.EmployeeID, TokenID: sub.TokenID, TokenVersion: sub.TokenVersion,
		Endpoint: sub.Endpoint, P256dh: sub.P256dh, Auth: sub.Auth, CreatedAt: sub.CreatedAt.UTC(),
	}
	_, err := s.db.NewInsert().Model(row).
		On("CONFLICT (endpoint) DO UPDATE").
		Set("employee_id = EXCLUDED.employee_id, token_id = EXCLUDED.token_id, token_version = EXCLUDED.token_version").
		Set("p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth").
		Returning("*").Exec(ctx, row)
	if err != nil {
		return push.Subscription{}, failed(err, "keep a push subscription")
	}
	return row.toDomain(), nil
}

// Remove implements application.PushSubscriptions.
func (s *PushSubscriptions) Remove(ctx context.Context, employeeID int64, endpoint string) error {
	_, err := s.db.NewDelete().Model((*subscriptionRow)(nil)).Where("employee_id = ? AND endpoint = ?", employeeID, endpoint).Exec(ctx)
	if err != nil {
		return failed(err, fmt.Sprintf("remove a push subscription of employee %d", employeeID))
	}
	return nil
}

// RemoveToken implements application.PushSubscriptions.
func (s *PushSubscriptions) RemoveToken(ctx context.Context, tokenID string) error {
	if _, err := s.db.NewDelete().Model((*subscriptionRow)(nil)).Where("token_id = ?", tokenID).Exec(ctx); err != nil {
		return failed(err, "remove a token's push subscriptions")
	}
	return nil
}
