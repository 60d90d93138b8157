package bootstrap

import (
	"context"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// How often each instance looks for unpaid orders past the timeout, and how long one holds an
// order it is closing and cancelling (two WeChat Pay timeouts).
const (
	unpaidEvery = 10 * time.Second
	unpaidLease = 30 * time.Second
)

// paymentTimeout runs sky-take-out's order task (DESIGN §16): an order left unpaid for
// ORDERALERT_ORDER_PAYMENT_TIMEOUT is cancelled, by one instance at a time each; in wechat mode
// after WeChat Pay has closed it (§20.7).
func paymentTimeout(cfg Config) fx.Option {
	return fx.Invoke(func(lc fx.Lifecycle, unpaid application.UnpaidOrders, orders application.OrderRepository, closer application.PaymentCloser,
		apply application.ApplyPayment, clock application.Clock, log *slog.Logger) {
		log = log.With("component", "payment-timeout")
		uc := application.CancelUnpaid{
			Orders: unpaid, Updates: orders, Closer: closer, Apply: apply, Clock: clock, Log: log,
			Timeout: cfg.PaymentTimeout, Lease: unpaidLease,
		}
		// A short timeout (a test's, a demo's) is checked often enough to be kept.
		every := min(unpaidEvery, max(cfg.PaymentTimeout/4, 100*time.Millisecond))
		p := &periodic{name: "the payment timeout", first: every, every: every, job: func(ctx context.Context) {
			n, err := uc.Execute(ctx)
			if n > 0 {
				log.Info("cancelled unpaid orders past the payment timeout", "count", n, "timeout", cfg.PaymentTimeout.String())
			}
			if err != nil && ctx.Err() == nil {
				log.Warn("the payment timeout pass failed; the next one tries again", "err", err)
			}
		}}
		lc.Append(p.hook())
	})
}
