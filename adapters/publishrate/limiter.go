// Package publishrate bounds how fast integrations publish alerts on one instance
// (ORDERALERT_PUBLISH_RATE), with golang.org/x/time/rate token buckets: one per integration,
// and one per shop so that many keys of one shop cannot flood its screens together.
package publishrate

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderalert/orderalert/application"
)

var _ application.PublishLimiter = (*Limiter)(nil)

// ShopFactor is the per-shop cap as a multiple of the per-key rate: with the default 50/s per
// key, a shop takes at most 200 published alerts a second on one instance, from all its keys.
const ShopFactor = 4

// Limiter holds the buckets. Each holds one period's worth, so a burst of up to the rate's N
// passes at once after a quiet spell.
type Limiter struct {
	perKey, perShop rate.Limit
	keyBurst        int
	shopBurst       int
	now             func() time.Time

	mu    sync.Mutex
	keys  map[string]*rate.Limiter
	shops map[int64]*rate.Limiter
}

// New allows n publishes per period per integration, and ShopFactor times that per shop.
func New(n int, per time.Duration, now func() time.Time) *Limiter {
	limit := rate.Limit(float64(n) / per.Seconds())
	return &Limiter{
		perKey: limit, perShop: limit * ShopFactor, keyBurst: n, shopBurst: n * ShopFactor, now: now,
		keys: map[string]*rate.Limiter{}, shops: map[int64]*rate.Limiter{},
	}
}

// Allow implements application.PublishLimiter. A publish refused by the shop's bucket gives
// back what it took from the key's, so that it costs its key nothing.
func (l *Limiter) Allow(integration string, shopID int64) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	key := l.keys[integration]
	if key == nil {
		key = rate.NewLimiter(l.perKey, l.keyBurst)
		l.keys[integration] = key
	}
	shop := l.shops[shopID]
	if shop == nil {
		shop = rate.NewLimiter(l.perShop, l.shopBurst)
		l.shops[shopID] = shop
	}
	byKey := key.ReserveN(now, 1)
	if wait := byKey.DelayFrom(now); wait > 0 {
		byKey.CancelAt(now)
		return false, wait
	}
	byShop := shop.ReserveN(now, 1)
	if wait := byShop.DelayFrom(now); wait > 0 {
		byShop.CancelAt(now)
		byKey.CancelAt(now)
		return false, wait
	}
	return true, 0
}
