package application

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/integration"
)

// IntegrationRepository stores the backends that publish alerts (POST /api/alerts).
type IntegrationRepository interface {
	// Add stores a new integration; a live one with the same name is integration.ErrNameTaken.
	Add(ctx context.Context, i integration.Integration) (integration.Integration, error)
	// ByKeyHash returns the live integration whose key has this hash, or integration.ErrNotFound.
	ByKeyHash(ctx context.Context, hash string) (integration.Integration, error)
	// List returns every integration, revoked ones too, in id order.
	List(ctx context.Context) ([]integration.Integration, error)
	// Revoke ends the live integration's key at at; none is integration.ErrNotFound.
	Revoke(ctx context.Context, name string, at time.Time) (integration.Integration, error)
}

// AlertPublisher appends published alerts to the alert log, through the same ordered path as
// payments and reminders, once per idempotency key.
type AlertPublisher interface {
	// Existing returns the alert that source published to shopID under key, if there is one.
	Existing(ctx context.Context, source string, shopID int64, key string) (alert.Alert, bool, error)
	// Publish appends a and returns it with its id and created true; when an alert with a's
	// source, shop and (non-empty) idempotency key exists, also one stored by a racing call, it
	// returns that one and created false, and appends nothing.
	Publish(ctx context.Context, a alert.Alert) (stored alert.Alert, created bool, err error)
}

// PublishLimiter bounds how fast one integration, and all of them for one shop, publish on this
// instance.
type PublishLimiter interface {
	// Allow takes one publish from the budgets of the integration and of the shop; when either
	// is empty it returns false and how long until it has one again.
	Allow(integration string, shopID int64) (ok bool, retryAfter time.Duration)
}

// Errors of publishing; match them with errors.Is.
var (
	// ErrIdempotencyConflict: the idempotency key was used for an alert with another body.
	ErrIdempotencyConflict = errors.New("idempotency key used for another alert")
	// ErrBadKey: no live integration has this key (it is also ErrUnauthenticated).
	ErrBadKey = fmt.Errorf("%w: unknown or revoked integration key", ErrUnauthenticated)
	// ErrTooManyPublishes: over the integration's or the shop's publish rate (as a *RetryAfterError).
	ErrTooManyPublishes = errors.New("too many alerts published")
)
