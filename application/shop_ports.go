package application

import (
	"context"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/shop"
)

// ShopRepository stores the shops of the deployment. No instance keeps a copy (each request reads
// what it needs), so a shop the CLI adds is known everywhere at once.
type ShopRepository interface {
	// Add stores a new shop and returns it with its id.
	Add(ctx context.Context, s shop.Shop) (shop.Shop, error)
	// Get returns the shop, or shop.ErrNotFound.
	Get(ctx context.Context, id int64) (shop.Shop, error)
	// List returns every shop in id order.
	List(ctx context.Context) ([]shop.Shop, error)
}

// AlertKindRepository stores what alert types mean (alert.Kind). As with shops, no instance keeps
// a copy: a kind the CLI adds is published and listed at once.
type AlertKindRepository interface {
	// Add stores a new kind; a code in use is alert.ErrKindTaken.
	Add(ctx context.Context, k alert.Kind) (alert.Kind, error)
	// Get returns the kind with this code, or alert.ErrUnknownKind.
	Get(ctx context.Context, code alert.Type) (alert.Kind, error)
	// List returns every kind in code order, the built-in ones first.
	List(ctx context.Context) ([]alert.Kind, error)
}
