package application

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/integration"
	"github.com/orderalert/orderalert/domain/shop"
)

// Bounds of a published alert's fields, in characters; an order number is kept as an order's
// (VARCHAR(50)).
const (
	MaxPublishedOrderNumber = 50
	MaxIdempotencyKey       = 128
)

// Publication is one POST /api/alerts: who publishes (the key), and the alert.
type Publication struct {
	Key            string
	Type           alert.Type
	ShopID         int64 // 0: the key's shop
	OrderID        int64 // the caller's, 0 for none
	OrderNumber    string
	Content        string // empty: the kind's content template, filled in
	IdempotencyKey string // empty: every call is a new alert
}

// PublishAlert lets a backend that keeps its own orders ring its shop's dashboards (DESIGN §13):
// the alert goes through the same log, fan-out and replay as a payment's. A repeated call with
// the same idempotency key answers the first call's alert and appends nothing, however the calls
// race, on however many instances.
type PublishAlert struct {
	Integrations IntegrationRepository
	Shops        ShopRepository
	Kinds        AlertKindRepository
	Alerts       AlertPublisher
	Limiter      PublishLimiter
	Feed         AlertFeedWaker
	Clock        Clock
}

// Execute checks the key, the shop, the kind and the fields, in that order, and publishes.
// created is false when an earlier call with the same idempotency key stored the alert.
func (uc PublishAlert) Execute(ctx context.Context, p Publication) (a alert.Alert, created bool, err error) {
	publisher, err := authenticate(ctx, uc.Integrations, p.Key)
	if err != nil {
		return alert.Alert{}, false, err
	}
	if a, err = uc.build(ctx, publisher, p); err != nil {
		return alert.Alert{}, false, err
	}
	if ok, after := uc.Limiter.Allow(publisher.Name, a.ShopID); !ok {
		// Retrying an accepted call is never 429: over the rate, a replay still gets its alert.
		// The lookup is made only here, so a publish within the rate costs no extra read.
		if a.IdempotencyKey != "" {
			existing, found, err := uc.Alerts.Existing(ctx, a.Source, a.ShopID, a.IdempotencyKey)
			if err != nil {
				return alert.Alert{}, false, err
			}
			if found {
				return sameOrConflict(existing, a)
			}
		}
		return alert.Alert{}, false, &RetryAfterError{Err: ErrTooManyPublishes, After: after}
	}
	stored, created, err := uc.Alerts.Publish(ctx, a)
	if err != nil {
		return alert.Alert{}, false, fmt.Errorf("publish %s: %w", a, err)
	}
	if !created {
		return sameOrConflict(stored, a) // an earlier or racing call stored it
	}
	uc.Feed.Committed(stored)
	return stored, true, nil
}

// authenticate returns the live integration whose key this is.
func authenticate(ctx context.Context, integrations IntegrationRepository, key string) (integration.Integration, error) {
	if !integration.LooksLikeKey(key) {
		return integration.Integration{}, fmt.Errorf("publish: not an integration key: %w", ErrBadKey)
	}
	i, err := integrations.ByKeyHash(ctx, integration.HashKey(key))
	switch {
	case err == nil:
		return i, nil
	case errors.Is(err, integration.ErrNotFound):
		return integration.Integration{}, fmt.Errorf("publish: %w", ErrBadKey)
	default:
		return integration.Integration{}, err
	}
}

// build checks the publication and returns the alert it asks for.
func (uc PublishAlert) build(ctx context.Context, by integration.Integration, p Publication) (alert.Alert, error) {
	shopID := p.ShopID
	switch {
	case shopID == 0 && by.ShopID == 0:
		return alert.Alert{}, fmt.Errorf("%w: shopId is required: the key may publish to any shop", ErrInvalidInput)
	case shopID == 0:
		shopID = by.ShopID
	case shopID < 0:
		return alert.Alert{}, fmt.Errorf("%w: shopId must be positive", ErrInvalidInput)
	case !by.MayPublishTo(shopID):
		return alert.Alert{}, fmt.Errorf("integration %s publishing to shop %d: %w", by.Name, shopID, shop.ErrForbidden)
	}
	if _, err := uc.Shops.Get(ctx, shopID); err != nil {
		return alert.Alert{}, err
	}
	kind, err := uc.Kinds.Get(ctx, p.Type)
	if err != nil {
		return alert.Alert{}, err
	}
	if err := checkPublished(p); err != nil {
		return alert.Alert{}, err
	}
	content := p.Content
	if content == "" {
		if p.OrderNumber == "" && strings.Contains(kind.ContentTemplate, "{orderNumber}") {
			return alert.Alert{}, fmt.Errorf("%w: send content or orderNumber: kind %d writes its content from the order number (%s)", ErrInvalidInput, kind.Code, kind.ContentTemplate)
		}
		content = kind.Content(p.OrderNumber)
	}
	if utf8.RuneCountInString(content) > alert.MaxContentLength {
		return alert.Alert{}, fmt.Errorf("%w: content has at most %d characters, not %d", ErrInvalidInput, alert.MaxContentLength, utf8.RuneCountInString(content))
	}
	return alert.Alert{
		Type: p.Type, ShopID: shopID, Source: by.Name, IdempotencyKey: p.IdempotencyKey,
		OrderID: p.OrderID, OrderNumber: p.OrderNumber, Content: content, CreatedAt: uc.Clock.Now(),
	}, nil
}

func checkPublished(p Publication) error {
	switch {
	case p.OrderID < 0:
		return fmt.Errorf("%w: orderId must not be negative", ErrInvalidInput)
	case utf8.RuneCountInString(p.OrderNumber) > MaxPublishedOrderNumber:
		return fmt.Errorf("%w: orderNumber has at most %d characters", ErrInvalidInput, MaxPublishedOrderNumber)
	case utf8.RuneCountInString(p.IdempotencyKey) > MaxIdempotencyKey:
		return fmt.Errorf("%w: idempotencyKey has at most %d characters", ErrInvalidInput, MaxIdempotencyKey)
	}
	return nil
}

// sameOrConflict answers a repeated idempotency key: the stored alert when the call asks for
// the same one, else ErrIdempotencyConflict.
func sameOrConflict(stored, asked alert.Alert) (alert.Alert, bool, error) {
	if stored.Type != asked.Type || stored.OrderID != asked.OrderID || stored.OrderNumber != asked.OrderNumber || stored.Content != asked.Content {
		return alert.Alert{}, false, fmt.Errorf("idempotency key %q of %s: %w", asked.IdempotencyKey, asked.Source, ErrIdempotencyConflict)
	}
	return stored, false, nil
}
