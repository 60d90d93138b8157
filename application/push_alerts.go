package application

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/orderalert/orderalert/domain/push"
)

// SubscribePush keeps a dashboard's push subscription for the employee and the token that
// registered it (POST /admin/push/subscriptions).
type SubscribePush struct {
	Subscriptions PushSubscriptions
	Clock         Clock
	// PublicKey is the VAPID public key browsers subscribe with (GET /admin/push/key).
	PublicKey string
	// AllowPrivate accepts endpoints on private addresses and plain http
	// (ORDERALERT_PUSH_ALLOW_PRIVATE, for tests' stand-ins).
	AllowPrivate bool
}

// Execute keeps sub for the staff token claims; a subscription that cannot be pushed to is
// ErrInvalidInput.
func (uc SubscribePush) Execute(ctx context.Context, claims Claims, sub push.Subscription) (push.Subscription, error) {
	if err := sub.Check(uc.AllowPrivate); err != nil {
		return push.Subscription{}, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	sub.EmployeeID, sub.TokenID, sub.TokenVersion, sub.CreatedAt = claims.Subject, claims.ID, claims.Version, uc.Clock.Now()
	saved, err := uc.Subscriptions.Save(ctx, sub)
	if err != nil {
		return push.Subscription{}, fmt.Errorf("keep the push subscription of employee %d: %w", claims.Subject, err)
	}
	return saved, nil
}

// Unsubscribe deletes the employee's subscription of endpoint (DELETE /admin/push/subscriptions);
// one that is not kept is no error, as the browser's own unsubscribe is not.
func (uc SubscribePush) Unsubscribe(ctx context.Context, employeeID int64, endpoint string) error {
	if err := uc.Subscriptions.Remove(ctx, employeeID, endpoint); err != nil {
		return fmt.Errorf("remove a push subscription of employee %d: %w", employeeID, err)
	}
	return nil
}

// PushAlerts pushes every alert to its shop's subscribed dashboards (DESIGN §15): each pass
// moves the queue's cursor over the new alerts, making their deliveries, then attempts the due
// deliveries. Every instance runs it; the queue's claims let each delivery be attempted by one.
type PushAlerts struct {
	Queue    PushQueue
	Sender   PushSender
	Payload  PushPayload
	Observer PushObserver
	Log      *slog.Logger
	// TTL is how long a push is worth making and the push service keeps it
	// (ORDERALERT_ESCALATE_AFTER: past it, the escalation reaches someone anyway).
	TTL time.Duration
	// Lease bounds how long one attempt may hold a delivery (twice the sender's timeout).
	Lease time.Duration
}

// pushBatch is how many log rows or deliveries one pass takes; the next pass takes the rest.
const pushBatch = 200

// Enqueue makes the deliveries of the alerts logged since the last pass.
func (uc PushAlerts) Enqueue(ctx context.Context) (int, error) {
	n, err := uc.Queue.Enqueue(ctx, pushBatch, uc.Payload)
	if err != nil {
		return n, fmt.Errorf("enqueue pushes: %w", err)
	}
	return n, nil
}

// Repush pushes an escalated alert again, renotifying.
func (uc PushAlerts) Repush(ctx context.Context, alertID int64) error {
	if err := uc.Queue.Repush(ctx, alertID, uc.Payload); err != nil {
		return fmt.Errorf("push escalated alert %d again: %w", alertID, err)
	}
	return nil
}

// Deliver attempts the due pushes, one at a time, until none is due or it has made a batch of
// attempts. It returns how many it attempted.
func (uc PushAlerts) Deliver(ctx context.Context) (int, error) {
	for n := range pushBatch {
		d, ok, err := uc.Queue.Claim(ctx, uc.Lease, uc.TTL)
		if err != nil || !ok {
			return n, err
		}
		attemptCtx, cancel := context.WithTimeout(ctx, uc.Lease/2)
		a := uc.Sender.Send(attemptCtx, d, uc.TTL)
		cancel()
		uc.Observer.Pushed(a.Outcome)
		retryIn := pushRetryIn(d, a)
		if a.Outcome != PushSent {
			uc.Log.Log(ctx, pushLevel(a.Outcome), "push not delivered", "delivery", d.ID, "subscription", d.Subscription.ID,
				"employee", d.Subscription.EmployeeID, "attempt", d.Attempts, "outcome", PushOutcomeName(a.Outcome), "retry_in", retryIn, "err", a.Err)
		}
		// The attempt is made: record it even if the pass is being cancelled.
		if err := uc.Queue.Finish(context.WithoutCancel(ctx), d, a, retryIn); err != nil {
			return n + 1, fmt.Errorf("record push %d: %w", d.ID, err)
		}
	}
	return pushBatch, nil
}

// pushLevel: a dead subscription is the normal end of one (the browser unsubscribed, the user
// revoked the permission); a permanent refusal is a defect worth an ERROR.
func pushLevel(o PushOutcome) slog.Level {
	switch o {
	case PushGone:
		return slog.LevelInfo
	case PushFailed:
		return slog.LevelError
	}
	return slog.LevelWarn
}

// maxPushAttempts bounds a push that keeps failing; the TTL ends it sooner when shorter.
const maxPushAttempts = 6

// pushRetryIn is the backoff before the next attempt: the push service's Retry-After, else 2 s
// doubling up to a minute; none after success, a dead subscription or a permanent failure.
func pushRetryIn(d PushDelivery, a PushAttempt) time.Duration {
	if a.Outcome != PushRetry || d.Attempts >= maxPushAttempts {
		return 0
	}
	if a.RetryAfter > 0 {
		return min(a.RetryAfter, 5*time.Minute)
	}
	return min(2*time.Second<<(d.Attempts-1), time.Minute)
}

// PushOutcomeName is the outcome's name in logs and metrics.
func PushOutcomeName(o PushOutcome) string {
	switch o {
	case PushSent:
		return "sent"
	case PushRetry:
		return "retry"
	case PushGone:
		return "gone"
	case PushFailed:
		return "failed"
	}
	return "unknown"
}
