package bootstrap

import (
	"context"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/escalation"
	"github.com/orderalert/orderalert/application"
)

// How often each instance looks for escalations to decide and deliveries to attempt. A second
// keeps "at once" (no_screen) and retries prompt; each pass is one indexed query when nothing
// is due.
const escalationEvery = time.Second

// escalating runs the escalation (DESIGN §14) while the service runs: every instance passes over
// the durable schedule, whose claims give each alert and each delivery to one of them.
func escalating(cfg Config) fx.Option {
	return fx.Options(
		escalation.Module,
		fx.Provide(func(s application.EscalationSchedule, p application.ScreenPresence, shops application.ShopRepository,
			c application.Composer, sender application.ChannelSender, o application.EscalationObserver, pushes application.PushAlerts, log *slog.Logger,
		) application.Escalate {
			return application.Escalate{
				Schedule: s, Presence: p, Shops: shops, Composer: c, Sender: sender, Observer: o, Repush: pushes, Log: log.With("component", "escalation"),
				After: cfg.EscalateAfter, Grace: cfg.NoScreenGrace, Rate: application.Rate{N: cfg.EscalationRate.N, Per: cfg.EscalationRate.Per},
				StaleAfter: 2 * cfg.WSPingInterval, Lease: 2 * escalation.DefaultTimeout,
			}
		}),
		fx.Invoke(func(lc fx.Lifecycle, uc application.Escalate, log *slog.Logger) {
			log = log.With("component", "escalation")
			p := &periodic{name: "the escalation", first: escalationEvery, every: escalationEvery, job: func(ctx context.Context) {
				if _, err := uc.Decide(ctx); err != nil && ctx.Err() == nil {
					log.Warn("escalation pass failed; the next one tries again", "err", err)
				}
				if _, err := uc.Deliver(ctx); err != nil && ctx.Err() == nil {
					log.Warn("escalation deliveries failed; the next pass tries again", "err", err)
				}
			}}
			lc.Append(p.hook())
		}),
	)
}
