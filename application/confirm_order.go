package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// ConfirmOrder is the shop taking a paid order (接单): 待接单 → 已接单.
type ConfirmOrder struct {
	Orders OrderRepository
}

// Execute takes order id; an order not waiting to be taken is order.ErrStatus.
func (uc ConfirmOrder) Execute(ctx context.Context, id int64) (order.Order, error) {
	saved, _, err := uc.Orders.Update(ctx, ByID(id), func(o *order.Order) (*alert.Alert, error) {
		return nil, o.Confirm()
	})
	if err != nil {
		return order.Order{}, fmt.Errorf("confirm order %d: %w", id, err)
	}
	return saved, nil
}
