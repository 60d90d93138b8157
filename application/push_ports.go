package application

import (
	"context"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/push"
)

// PushSubscriptions keeps the dashboards' Web Push subscriptions (DESIGN §15, §20.10).
type PushSubscriptions interface {
	// Save keeps sub for its employee and token. An endpoint kept already is given to them (a
	// browser that subscribed again after a logout and a login); it returns what is kept.
	Save(ctx context.Context, sub push.Subscription) (push.Subscription, error)
	// Remove deletes the employee's subscription of endpoint; none is no error.
	Remove(ctx context.Context, employeeID int64, endpoint string) error
	// RemoveToken deletes the subscriptions registered with the token tokenID (its logout).
	RemoveToken(ctx context.Context, tokenID string) error
}

// PushPayload writes what a push of an alert carries; renotify for an escalation's.
type PushPayload func(a alert.Alert, renotify bool) []byte

// PushDelivery is one push of one alert to one subscription, its payload frozen when it was
// made, so that every attempt sends the same message.
type PushDelivery struct {
	ID           int64
	Subscription push.Subscription
	AlertID      int64
	Payload      []byte
	Attempts     int // including the one this claim is for
}

// PushOutcome is what one attempt of a push came to.
type PushOutcome int

// The outcomes of a push attempt.
const (
	PushSent   PushOutcome = iota + 1
	PushRetry              // 429, 5xx, a timeout: again after a backoff
	PushGone               // 404 or 410: the subscription is dead and is deleted
	PushFailed             // refused for good (another 4xx, a payload too big): never again
)

// PushAttempt is the answer to one attempt.
type PushAttempt struct {
	Outcome    PushOutcome
	RetryAfter time.Duration // the push service's Retry-After, if it gave one
	Err        error         // why it was not sent; never carries the endpoint's secret path
}

// PushSender makes one attempt of a push, with the TTL the push service keeps it for.
type PushSender interface {
	Send(ctx context.Context, d PushDelivery, ttl time.Duration) PushAttempt
}

// PushQueue is the durable queue of pushes: at least once per alert and subscription, across
// instances and restarts, off the HTTP path and out of the alerts' transactions.
type PushQueue interface {
	// Enqueue takes up to limit rows of the alert log after the queue's cursor and, for each
	// alert still open, makes one delivery to each subscription of its shop's current staff (an
	// enabled employee of the shop, or platform staff, whose tokens the subscription's still
	// are), then moves the cursor past them, all in one transaction that one instance at a time
	// wins. It returns how many rows it took.
	Enqueue(ctx context.Context, limit int, payload PushPayload) (int, error)
	// Repush makes a renotifying delivery of the alert to each subscription of its shop: an
	// escalation. An alert no longer open makes none.
	Repush(ctx context.Context, alertID int64, payload PushPayload) error
	// Claim leases the next due delivery for lease and counts the attempt; none due: false. A
	// delivery whose alert was acknowledged since, or that is older than ttl, is ended instead.
	Claim(ctx context.Context, lease, ttl time.Duration) (PushDelivery, bool, error)
	// Finish records the attempt: sent, failed for good, the subscription gone (deleted with
	// its deliveries), or due again after retryIn.
	Finish(ctx context.Context, d PushDelivery, a PushAttempt, retryIn time.Duration) error
}

// PushObserver counts what pushing does (metrics).
type PushObserver interface {
	Pushed(outcome PushOutcome)
}
