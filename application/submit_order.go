package application

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/orderalert/orderalert/domain/order"
)

// numberAttempts bounds the retries when a generated order number is already taken, which needs
// two orders in one millisecond drawing the same three random digits.
const numberAttempts = 5

// SubmitOrder places a customer's order, awaiting payment.
type SubmitOrder struct {
	Orders OrderRepository
	Shops  ShopRepository
	Clock  Clock
}

// Execute validates the draft, numbers the order and stores it. A shop that does not exist is
// shop.ErrNotFound.
func (uc SubmitOrder) Execute(ctx context.Context, d order.Draft) (order.Order, error) {
	now := uc.Clock.Now()
	if d.ShopID != 0 {
		if _, err := uc.Shops.Get(ctx, d.ShopID); err != nil {
			return order.Order{}, fmt.Errorf("submit order: %w", err)
		}
	}
	for range numberAttempts {
		o, err := order.New(d, order.NewNumber(now, rand.Uint32()), now) //nolint:gosec // uniqueness, not secrecy
		if err != nil {
			return order.Order{}, err
		}
		saved, err := uc.Orders.Add(ctx, o)
		if errors.Is(err, order.ErrDuplicateNumber) {
			continue
		}
		if err != nil {
			return order.Order{}, fmt.Errorf("submit order: %w", err)
		}
		return saved, nil
	}
	return order.Order{}, fmt.Errorf("submit order: no free order number after %d attempts: %w", numberAttempts, order.ErrDuplicateNumber)
}
