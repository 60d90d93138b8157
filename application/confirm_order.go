package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// ConfirmOrder is the shop taking a paid order (接单): 待接单 → 已接单.
type ConfirmOrder struct {
	Orders OrderRepository
}

// Execute takes order id for an employee who sees scope; an order not waiting to be taken is
// order.ErrStatus, another shop's order order.ErrNotFound, exactly like a missing one.
func (uc ConfirmOrder) Execute(ctx context.Context, id int64, scope shop.Scope) (order.Order, error) {
	saved, _, err := uc.Orders.Update(ctx, ByID(id), func(o *order.Order) (*alert.Alert, error) {
		if !scope.Includes(o.ShopID) {
			return nil, order.ErrNotFound
		}
		return nil, o.Confirm()
	})
	if err != nil {
		return order.Order{}, fmt.Errorf("confirm order %d: %w", id, err)
	}
	return saved, nil
}
