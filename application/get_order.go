package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// GetOrder shows one order to its owner or to the shop.
type GetOrder struct {
	Orders OrderRepository
}

// ForUser returns order id if userID owns it; another user's order is order.ErrNotFound, exactly
// like a missing one, so ids reveal nothing.
func (uc GetOrder) ForUser(ctx context.Context, id, userID int64) (order.Order, error) {
	o, err := uc.Orders.Get(ctx, ByID(id))
	if err == nil && !o.VisibleTo(userID) {
		err = order.ErrNotFound
	}
	if err != nil {
		return order.Order{}, fmt.Errorf("get order %d: %w", id, err)
	}
	return o, nil
}

// ForAdmin returns order id to an employee who sees scope; another shop's order is
// order.ErrNotFound, exactly like a missing one.
func (uc GetOrder) ForAdmin(ctx context.Context, id int64, scope shop.Scope) (order.Order, error) {
	o, err := uc.Orders.Get(ctx, ByID(id))
	if err == nil && !scope.Includes(o.ShopID) {
		err = order.ErrNotFound
	}
	if err != nil {
		return order.Order{}, fmt.Errorf("get order %d: %w", id, err)
	}
	return o, nil
}
