package order

import "time"

// PrepayMargin is how long before its expiry a prepay stops being handed out, for a payment
// window of timeout: a customer needs a minute to confirm in WeChat, and a prepay that expires
// under their thumb fails there. A window shorter than ten minutes (a demo's, a test's) keeps a
// tenth of it, so that it can still be paid at all.
func PrepayMargin(timeout time.Duration) time.Duration { return min(time.Minute, timeout/10) }

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

// Usable reports whether the prepay can still be handed out at now, margin before it expires.
func (p Prepay) Usable(now time.Time, margin time.Duration) bool {
	return p.ID != "" && now.Before(p.ExpiresAt.Add(-margin))
}
