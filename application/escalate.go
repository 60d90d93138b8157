package application

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
)

// Escalate reaches someone when an alert rings unheard (DESIGN §14): an alert still open
// After its creation — or created while its shop had no screen that could ring it, decided
// Grace after creation from the presence every instance shares — goes to the shop's channels.
// Every instance runs it; the schedule's claims let each alert and delivery be handled once.
type Escalate struct {
	Schedule EscalationSchedule
	Presence ScreenPresence
	Shops    ShopRepository
	Composer Composer
	Sender   ChannelSender
	Observer EscalationObserver
	// Repush pushes an escalated alert to the shop's subscribed devices again (Web Push); nil
	// pushes nothing.
	Repush Repusher
	Log    *slog.Logger

	After, Grace time.Duration
	Rate         Rate
	// StaleAfter is when an instance that has not written its heartbeat is taken for dead:
	// its screens no longer count.
	StaleAfter time.Duration
	// Lease bounds how long one attempt may hold a delivery (twice the sender's timeout).
	Lease time.Duration
}

// batch is how many alerts or deliveries one pass takes; the next pass takes the rest.
const escalationBatch = 50

// Decide makes the pass's decisions: no-screen checks whose grace has passed, then alerts open
// past After. It returns how many alerts it escalated.
func (uc Escalate) Decide(ctx context.Context) (int, error) {
	escalated := 0
	due, err := uc.Schedule.DueForScreenCheck(ctx, uc.Grace, escalationBatch)
	if err != nil {
		return 0, fmt.Errorf("alerts due for the screen check: %w", err)
	}
	// Whether the deployment has one shop: read once a pass, and only if an alert asks.
	single := sync.OnceValues(func() (bool, error) {
		shops, err := uc.Shops.List(ctx)
		return len(shops) == 1, err
	})
	for _, a := range due {
		had, err := uc.hadScreen(ctx, a, single)
		if err != nil {
			return escalated, err
		}
		if had {
			if err := uc.Schedule.Screened(ctx, a.ID); err != nil {
				return escalated, err
			}
			continue
		}
		if ok, err := uc.escalate(ctx, a.ID, ReasonNoScreen); err != nil {
			return escalated, err
		} else if ok {
			escalated++
		}
	}
	open, err := uc.Schedule.DueUnacknowledged(ctx, uc.After, escalationBatch)
	if err != nil {
		return escalated, fmt.Errorf("alerts due for escalation: %w", err)
	}
	for _, a := range open {
		if ok, err := uc.escalate(ctx, a.ID, ReasonUnacknowledged); err != nil {
			return escalated, err
		} else if ok {
			escalated++
		}
	}
	return escalated, nil
}

// hadScreen decides no_screen for a (DESIGN §20.3). Where the deployment has one shop, a
// platform socket watching every shop is that shop's screen too: the owner of a single
// restaurant logs in as the first admin, who is platform staff. single says whether it does.
func (uc Escalate) hadScreen(ctx context.Context, a alert.Alert, single func() (bool, error)) (bool, error) {
	from, to := a.CreatedAt, a.CreatedAt.Add(uc.Grace)
	had, err := uc.Presence.HadScreen(ctx, a.ShopID, from, to, uc.StaleAfter)
	if err != nil || had {
		return had, wrapScreens(err, a.ShopID)
	}
	if one, err := single(); err != nil || !one {
		return false, wrapScreens(err, a.ShopID)
	}
	had, err = uc.Presence.HadScreen(ctx, 0, from, to, uc.StaleAfter)
	return had, wrapScreens(err, a.ShopID)
}

func wrapScreens(err error, shopID int64) error {
	if err != nil {
		return fmt.Errorf("screens of shop %d: %w", shopID, err)
	}
	return nil
}

func (uc Escalate) escalate(ctx context.Context, id int64, reason string) (bool, error) {
	ok, err := uc.Schedule.Escalate(ctx, id, reason, uc.Composer, uc.Rate)
	if err != nil {
		return false, fmt.Errorf("escalate alert %d: %w", id, err)
	}
	if ok {
		uc.Observer.Escalated(reason)
		uc.Log.Info("alert escalated", "alert", id, "reason", reason)
		// Best effort, after the escalation's own transaction: its messages are what must go out.
		if uc.Repush != nil {
			if err := uc.Repush.Repush(ctx, id); err != nil {
				uc.Log.Warn("an escalated alert was not pushed again", "alert", id, "err", err)
			}
		}
	}
	return ok, nil
}

// Repusher pushes an alert again, renotifying: PushAlerts.
type Repusher interface {
	Repush(ctx context.Context, alertID int64) error
}

// Deliver attempts the due deliveries, one at a time, until none is due or it has made a batch
// of attempts. It returns how many it attempted.
func (uc Escalate) Deliver(ctx context.Context) (int, error) {
	for n := range escalationBatch {
		d, ok, err := uc.Schedule.Claim(ctx, uc.Lease)
		if err != nil || !ok {
			return n, err
		}
		attemptCtx, cancel := context.WithTimeout(ctx, uc.Lease/2)
		a := uc.Sender.Send(attemptCtx, d)
		cancel()
		uc.Observer.Attempted(d.Channel.Kind, a.Outcome)
		retryIn := uc.retryIn(d, a)
		if a.Outcome != AttemptSent {
			level := slog.LevelWarn
			if a.Outcome == AttemptFailed {
				level = slog.LevelError
			}
			uc.Log.Log(ctx, level, "escalation not delivered", "delivery", d.ID, "channel", d.Channel.ID, "kind", d.Channel.Kind,
				"attempt", d.Attempts, "outcome", outcomeName(a.Outcome), "retry_in", retryIn, "err", a.Err)
		}
		// The attempt is made: record it even if the pass is being cancelled.
		if err := uc.Schedule.Finish(context.WithoutCancel(ctx), d, a, retryIn); err != nil {
			return n + 1, fmt.Errorf("record delivery %d: %w", d.ID, err)
		}
	}
	return escalationBatch, nil
}

// maxAttempts bounds a delivery that keeps failing: 8 attempts with the backoff below span
// about 20 minutes, long past the time an escalation is of use.
const maxAttempts = 8

// retryIn is the backoff before the next attempt: 5 s doubling up to 5 min after a failure,
// the rate's window after a bot's rate-limit answer, none after success or a permanent failure.
func (uc Escalate) retryIn(d Delivery, a Attempt) time.Duration {
	switch a.Outcome {
	case AttemptRetry:
		if d.Attempts >= maxAttempts {
			return 0
		}
		return min(5*time.Second<<(d.Attempts-1), 5*time.Minute)
	case AttemptRetryWindow:
		if d.Attempts >= maxAttempts {
			return 0
		}
		return uc.Rate.Per
	default:
		return 0
	}
}

func outcomeName(o AttemptOutcome) string {
	switch o {
	case AttemptSent:
		return "sent"
	case AttemptRetry:
		return "retry"
	case AttemptRetryWindow:
		return "retry_after_window"
	case AttemptFailed:
		return "failed"
	}
	return "unknown"
}
