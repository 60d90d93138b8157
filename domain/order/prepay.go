package order

import "time"

// PrepayMargin is how long before its expiry a stored prepay stops being handed out: a customer
// needs that long to confirm in WeChat, and a prepay that expires under their thumb fails there.
const PrepayMargin = time.Minute

// Prepay is a payment the provider has been told to expect: its id (WeChat's prepay_id) and the
// time after which the provider refuses to take it (time_expire).
type Prepay struct {
	ID        string
	ExpiresAt time.Time
}

// PaymentDeadline is the end of the order's payment window: its order time plus timeout. It is
// the same on every call, so every prepay of the order expires at the same time.
func (o Order) PaymentDeadline(timeout time.Duration) time.Time {
	return o.OrderTime.Add(timeout)
}

// Usable reports whether the prepay can still be handed out at now.
func (p Prepay) Usable(now time.Time) bool {
	return p.ID != "" && now.Before(p.ExpiresAt.Add(-PrepayMargin))
}
