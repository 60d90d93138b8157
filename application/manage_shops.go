package application

import (
	"context"
	"errors"
	"fmt"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/shop"
)

// ErrPlatformOnly is a shop's employee asking for what only platform staff may do (list or create
// shops).
var ErrPlatformOnly = errors.New("platform staff only")

// CreateShop adds a shop (`orderalert shop create`, POST /admin/shops). Running instances read
// shops from the database, so they know it at once.
type CreateShop struct {
	Shops ShopRepository
	Clock Clock
}

// Execute stores a shop named name for a caller with access by (the CLI passes platform access).
func (uc CreateShop) Execute(ctx context.Context, by employee.Access, name string) (shop.Shop, error) {
	if by.ShopID != 0 {
		return shop.Shop{}, fmt.Errorf("create shop: %w", ErrPlatformOnly)
	}
	s, err := shop.New(name, uc.Clock.Now())
	if err != nil {
		return shop.Shop{}, err
	}
	saved, err := uc.Shops.Add(ctx, s)
	if err != nil {
		return shop.Shop{}, fmt.Errorf("create shop %s: %w", name, err)
	}
	return saved, nil
}

// ListShops lists every shop to platform staff.
type ListShops struct {
	Shops ShopRepository
}

// Execute returns the shops in id order.
func (uc ListShops) Execute(ctx context.Context, by employee.Access) ([]shop.Shop, error) {
	if by.ShopID != 0 {
		return nil, fmt.Errorf("list shops: %w", ErrPlatformOnly)
	}
	shops, err := uc.Shops.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list shops: %w", err)
	}
	return shops, nil
}

// CreateAlertKind adds a kind of alert (`orderalert kind create`): a code of 3–99, a name and the
// templates the dashboard shows and speaks. It needs no change to code, schema, specs or
// dashboard: publishers may use the code at once, and dashboards list it on their next load.
type CreateAlertKind struct {
	Kinds AlertKindRepository
	Clock Clock
}

// Execute checks and stores the kind.
func (uc CreateAlertKind) Execute(ctx context.Context, code alert.Type, name, contentTemplate, speechTemplate string) (alert.Kind, error) {
	k, err := alert.NewKind(code, name, contentTemplate, speechTemplate, uc.Clock.Now())
	if err != nil {
		return alert.Kind{}, err
	}
	saved, err := uc.Kinds.Add(ctx, k)
	if err != nil {
		return alert.Kind{}, fmt.Errorf("create alert kind %d: %w", code, err)
	}
	return saved, nil
}

// ListAlertKinds lists every kind, built in and created, for dashboards and publishers.
type ListAlertKinds struct {
	Kinds AlertKindRepository
}

// Execute returns the kinds in code order.
func (uc ListAlertKinds) Execute(ctx context.Context) ([]alert.Kind, error) {
	kinds, err := uc.Kinds.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list alert kinds: %w", err)
	}
	return kinds, nil
}
