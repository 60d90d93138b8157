package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// ConfirmOrder is the shop taking a paid order (接单): 待接单 → 已接单. Taking the order is
// handling it, so its open alerts are acknowledged in the same transaction, by the employee.
type ConfirmOrder struct {
	Orders    OrderRepository
	Employees EmployeeRepository
	Feed      AlertFeedWaker
	Observer  AckObserver
	Clock     Clock
}

// Execute takes order id for employee adminID, who sees scope; an order not waiting to be taken
// is order.ErrStatus, another shop's order order.ErrNotFound, exactly like a missing one.
func (uc ConfirmOrder) Execute(ctx context.Context, id, adminID int64, scope shop.Scope) (order.Order, error) {
	e, err := uc.Employees.ByID(ctx, adminID)
	if err != nil {
		return order.Order{}, fmt.Errorf("confirm order %d: %w", id, err)
	}
	ack := alert.Ack{By: alert.Actor{ID: e.ID, Name: e.Name}, At: ackTime(uc.Clock)}
	saved, acked, err := uc.Orders.UpdateAndAck(ctx, ByID(id), func(o *order.Order) (*alert.Alert, error) {
		if !scope.Includes(o.ShopID) {
			return nil, order.ErrNotFound
		}
		return nil, o.Confirm()
	}, ack)
	if err != nil {
		return order.Order{}, fmt.Errorf("confirm order %d: %w", id, err)
	}
	committed(uc.Feed, uc.Observer, acked...)
	return saved, nil
}
