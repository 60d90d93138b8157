package bootstrap

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/adapters/webpush"
	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// How often each instance turns new alerts into pushes and attempts the due ones: a push is
// as urgent as the chime it stands in for; each pass is two indexed queries when nothing is new.
const pushEvery = 250 * time.Millisecond

// pushing runs Web Push (DESIGN §15) while the service runs: every instance passes over the
// durable queue, whose cursor and claims give each alert and each delivery to one of them.
func pushing(cfg Config) fx.Option {
	return fx.Options(
		webpush.Module,
		fx.Provide(
			func(secrets *persistence.Secrets) (webpush.Config, error) {
				keys, err := vapidKeys(cfg, secrets)
				return webpush.Config{Keys: keys, AllowPrivate: cfg.PushAllowPrivate}, err
			},
			func(q application.PushQueue, s application.PushSender, kinds application.AlertKindRepository, o application.PushObserver, log *slog.Logger) application.PushAlerts {
				return application.PushAlerts{
					Queue: q, Sender: s, Payload: pushPayload(kinds), Observer: o, Log: log.With("component", "push"),
					TTL: cfg.EscalateAfter, Lease: 2 * webpush.DefaultTimeout,
				}
			},
			func(s application.PushSubscriptions, c application.Clock, w webpush.Config) application.SubscribePush {
				return application.SubscribePush{Subscriptions: s, Clock: c, PublicKey: w.Keys.Public, AllowPrivate: cfg.PushAllowPrivate}
			},
		),
		fx.Invoke(func(lc fx.Lifecycle, uc application.PushAlerts, log *slog.Logger) {
			log = log.With("component", "push")
			p := &periodic{name: "the pushes", first: pushEvery, every: pushEvery, job: func(ctx context.Context) {
				if _, err := uc.Enqueue(ctx); err != nil && ctx.Err() == nil {
					log.Warn("making pushes failed; the next pass tries again", "err", err)
				}
				if _, err := uc.Deliver(ctx); err != nil && ctx.Err() == nil {
					log.Warn("pushing failed; the next pass tries again", "err", err)
				}
			}}
			lc.Append(p.hook())
		}),
	)
}

// pushPayload names each alert's kind in its push. A kind never changes once created (kinds are
// only added), so each name is read once per process; one that cannot be read is pushed as 提醒
// rather than not at all, and read again next time.
func pushPayload(kinds application.AlertKindRepository) application.PushPayload {
	var names sync.Map // alert.Type → string
	return func(a alert.Alert, renotify bool) []byte {
		name, known := names.Load(a.Type)
		if !known {
			name = "提醒"
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if k, err := kinds.Get(ctx, a.Type); err == nil {
				name = k.Name
				names.Store(a.Type, k.Name)
			}
		}
		return wire.Push(a, name.(string), renotify)
	}
}
