package load

import "strconv"

// Shop is one shop of a run spread over shops, with the admin token of one of its employees.
type Shop struct {
	ID         int64
	AdminToken string
}

// A run spread over n shops gives socket i and order j to shop i mod n and j mod n: with N = 10n
// sockets, ten per shop, and M alerts spread evenly over the shops.

// socketShop is socket i's shop (0 for a run without shops) and the token it opens with.
func (cfg Config) socketShop(i int) (int64, string) {
	if len(cfg.Shops) == 0 {
		return 0, cfg.AdminToken
	}
	s := cfg.Shops[i%len(cfg.Shops)]
	return s.ID, s.AdminToken
}

// orderShop is order j's shop, 0 for a run without shops (the server's default shop).
func (cfg Config) orderShop(j int) int64 {
	if len(cfg.Shops) == 0 {
		return 0
	}
	return cfg.Shops[j%len(cfg.Shops)].ID
}

// submitBody is order j's POST /user/order/submit: in its shop when the run has shops.
func (cfg Config) submitBody(j int) string {
	if shop := cfg.orderShop(j); shop != 0 {
		return `{"amount": 18.5, "shopId": ` + strconv.FormatInt(shop, 10) + `}`
	}
	return `{"amount": 18.5}`
}

// owedPerShop is how many alerts a socket of each shop is owed: its shop's orders.
func owedPerShop(orders []order) map[int64]int {
	owed := map[int64]int{}
	for _, o := range orders {
		owed[o.shop]++
	}
	return owed
}

// shopOf is each order's shop, by order id.
func shopOf(orders []order) map[int64]int64 {
	shops := make(map[int64]int64, len(orders))
	for _, o := range orders {
		shops[o.ID] = o.shop
	}
	return shops
}
