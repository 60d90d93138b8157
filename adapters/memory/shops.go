package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/shop"
)

var (
	_ application.ShopRepository      = (*Shops)(nil)
	_ application.AlertKindRepository = (*Kinds)(nil)
)

// Shops keeps shops in memory, starting, like a migrated database, with shop 1.
type Shops struct {
	mu    sync.Mutex
	shops []shop.Shop // in id order
}

// NewShops returns the shops of a fresh deployment, shop 1 alone.
func NewShops(now time.Time) *Shops {
	return &Shops{shops: []shop.Shop{{ID: shop.Default, Name: "默认门店", CreatedAt: now}}}
}

// Add implements application.ShopRepository.
func (s *Shops) Add(_ context.Context, sh shop.Shop) (shop.Shop, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh.ID = s.shops[len(s.shops)-1].ID + 1
	s.shops = append(s.shops, sh)
	return sh, nil
}

// Get implements application.ShopRepository.
func (s *Shops) Get(_ context.Context, id int64) (shop.Shop, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, found := slices.BinarySearchFunc(s.shops, id, func(sh shop.Shop, id int64) int { return int(sh.ID - id) }); found {
		return s.shops[i], nil
	}
	return shop.Shop{}, fmt.Errorf("shop %d: %w", id, shop.ErrNotFound)
}

// List implements application.ShopRepository.
func (s *Shops) List(context.Context) ([]shop.Shop, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.shops), nil
}

// Kinds keeps alert kinds in memory, starting with the two built-in ones.
type Kinds struct {
	mu    sync.Mutex
	kinds map[alert.Type]alert.Kind
}

// NewKinds returns the built-in kinds, as the migration creates them.
func NewKinds(now time.Time) *Kinds {
	return &Kinds{kinds: map[alert.Type]alert.Kind{
		alert.TypeNewOrder: {Code: alert.TypeNewOrder, Name: "来单提醒", ContentTemplate: "订单号:{orderNumber}", SpeechTemplate: "您有新的外卖订单，订单号{orderNumber}", CreatedAt: now},
		alert.TypeReminder: {Code: alert.TypeReminder, Name: "客户催单", ContentTemplate: "订单号:{orderNumber}", SpeechTemplate: "顾客催单，订单号{orderNumber}，请尽快处理", CreatedAt: now},
	}}
}

// Add implements application.AlertKindRepository.
func (k *Kinds) Add(_ context.Context, kind alert.Kind) (alert.Kind, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, taken := k.kinds[kind.Code]; taken {
		return alert.Kind{}, fmt.Errorf("add alert kind %d: %w", kind.Code, alert.ErrKindTaken)
	}
	k.kinds[kind.Code] = kind
	return kind, nil
}

// Get implements application.AlertKindRepository.
func (k *Kinds) Get(_ context.Context, code alert.Type) (alert.Kind, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if kind, ok := k.kinds[code]; ok {
		return kind, nil
	}
	return alert.Kind{}, fmt.Errorf("alert kind %d: %w", code, alert.ErrUnknownKind)
}

// List implements application.AlertKindRepository.
func (k *Kinds) List(context.Context) ([]alert.Kind, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	kinds := make([]alert.Kind, 0, len(k.kinds))
	for _, kind := range k.kinds {
		kinds = append(kinds, kind)
	}
	slices.SortFunc(kinds, func(a, b alert.Kind) int { return int(a.Code - b.Code) })
	return kinds, nil
}
