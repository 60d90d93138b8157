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
	Clock  Clock
}

// Execute validates the draft, numbers the order and stores it.
func (uc SubmitOrder) Execute(ctx context.Context, d order.Draft) (order.Order, error) {
	now := uc.Clock.Now()
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
