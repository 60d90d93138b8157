package application

import (
	"context"
	"fmt"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/integration"
	"github.com/orderalert/orderalert/domain/shop"
)

// AckAlert is a person saying "I have it" (接单提醒已处理) for one alert, from a dashboard.
type AckAlert struct {
	Acks      AlertAcker
	Employees EmployeeRepository
	Feed      AlertFeedWaker
	Observer  AckObserver
	Clock     Clock
}

// Execute acknowledges alert id for employee adminID, who sees scope, from screen sid (may be
// empty). It returns the ack that holds: this one, or the first one, unchanged.
func (uc AckAlert) Execute(ctx context.Context, id int64, adminID int64, scope shop.Scope, sid string) (alert.Ack, error) {
	ack := alert.Ack{SID: sid, At: ackTime(uc.Clock)}
	if err := ack.Validate(); err != nil {
		return alert.Ack{}, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	e, err := uc.Employees.ByID(ctx, adminID)
	if err != nil {
		return alert.Ack{}, fmt.Errorf("ack alert %d: %w", id, err)
	}
	ack.By = alert.Actor{ID: e.ID, Name: e.Name}
	acked, err := uc.Acks.Ack(ctx, id, scope, ack)
	if err != nil {
		return alert.Ack{}, fmt.Errorf("ack alert %d: %w", id, err)
	}
	committed(uc.Feed, uc.Observer, acked)
	return *acked.Alert.Ack, nil
}

// ackTime is now to the microsecond, which both databases keep exactly: an ack read back
// equals the one answered.
func ackTime(c Clock) time.Time { return c.Now().UTC().Truncate(time.Microsecond) }

// committed tells the feed and the observer of the acks a call made, after its commit.
func committed(feed AlertFeedWaker, observer AckObserver, acked ...Acked) {
	for _, a := range acked {
		if a.Event == nil {
			continue
		}
		observer.Acknowledged(a.Alert)
		feed.Committed(*a.Event)
	}
}

// AckPublished is an integrated backend saying its order was handled: it acknowledges the alert
// it published with an idempotency key, or every open alert it published for one of its orders.
type AckPublished struct {
	Integrations IntegrationRepository
	Published    AlertPublisher
	Acks         AlertAcker
	Feed         AlertFeedWaker
	Observer     AckObserver
	Clock        Clock
}

// PublishedAck names what AckPublished acknowledges: exactly one of IdempotencyKey and OrderID.
type PublishedAck struct {
	Key            string // the integration key, as sent
	ShopID         int64  // 0: the key's shop, or with an order id every shop the key publishes to
	IdempotencyKey string
	OrderID        int64
}

// Execute returns the acks that hold for the alerts named: for an idempotency key its alert's
// (this ack or an earlier one), for an order those this call made (none when none was open).
func (uc AckPublished) Execute(ctx context.Context, p PublishedAck) ([]alert.Ack, error) {
	by, err := authenticate(ctx, uc.Integrations, p.Key)
	if err != nil {
		return nil, err
	}
	if (p.IdempotencyKey == "") == (p.OrderID == 0) {
		return nil, fmt.Errorf("%w: name exactly one of idempotencyKey and orderId", ErrInvalidInput)
	}
	scope, err := publishedScope(by, p.ShopID)
	if err != nil {
		return nil, err
	}
	ack := alert.Ack{By: alert.Actor{Name: by.Name}, At: ackTime(uc.Clock)}
	var acked []Acked
	if p.IdempotencyKey != "" {
		if scope.All() {
			return nil, fmt.Errorf("%w: shopId is required with idempotencyKey: the key publishes to any shop", ErrInvalidInput)
		}
		a, found, err := uc.Published.Existing(ctx, by.Name, scope.Shops()[0], p.IdempotencyKey)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, fmt.Errorf("ack published alert %q: %w", p.IdempotencyKey, alert.ErrNotFound)
		}
		one, err := uc.Acks.Ack(ctx, a.ID, scope, ack)
		if err != nil {
			return nil, fmt.Errorf("ack published alert %q: %w", p.IdempotencyKey, err)
		}
		acked = []Acked{one}
	} else if acked, err = uc.Acks.AckOpen(ctx, OpenAlerts{Shops: scope, Source: by.Name, OrderID: p.OrderID}, ack); err != nil {
		return nil, fmt.Errorf("ack published order %d: %w", p.OrderID, err)
	}
	committed(uc.Feed, uc.Observer, acked...)
	acks := make([]alert.Ack, len(acked))
	for i, a := range acked {
		acks[i] = *a.Alert.Ack
	}
	return acks, nil
}

// publishedScope is the shops an integration's ack reaches: the one named, which the key must
// publish to, else the key's own shop, else (a key for any shop) every shop.
func publishedScope(by integration.Integration, shopID int64) (shop.Scope, error) {
	switch {
	case shopID < 0:
		return shop.Scope{}, fmt.Errorf("%w: shopId must be positive", ErrInvalidInput)
	case shopID == 0 && by.ShopID == 0:
		return shop.Everything(), nil
	case shopID == 0:
		return shop.Only(by.ShopID), nil
	case !by.MayPublishTo(shopID):
		return shop.Scope{}, fmt.Errorf("integration %s acking in shop %d: %w", by.Name, shopID, shop.ErrForbidden)
	default:
		return shop.Only(shopID), nil
	}
}
