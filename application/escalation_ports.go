package application

import (
	"context"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/channel"
)

// Why an alert is escalated (the webhook's "reason", DESIGN §14 and §18).
const (
	ReasonUnacknowledged = "unacknowledged" // still open ORDERALERT_ESCALATE_AFTER after creation
	ReasonNoScreen       = "no_screen"      // no screen could ring it during the grace
)

// ChannelRepository keeps the shops' escalation channels (orderalert channel add|list|remove).
type ChannelRepository interface {
	// Add stores a new channel and returns it with its id.
	Add(ctx context.Context, c channel.Channel) (channel.Channel, error)
	// List returns every channel, in id order.
	List(ctx context.Context) ([]channel.Channel, error)
	// Remove deletes the channel; deliveries already made keep it until they end. None:
	// channel.ErrNotFound.
	Remove(ctx context.Context, id int64) (channel.Channel, error)
}

// Rate is at most N per Per (ORDERALERT_ESCALATION_RATE).
type Rate struct {
	N   int
	Per time.Duration
}

// Composer writes the body of one delivery to a channel: the alerts it covers and why. The body
// is built once and stored, so that every attempt sends the same bytes.
type Composer interface {
	Body(kind channel.Kind, reason string, alerts []alert.Alert) ([]byte, error)
}

// Delivery is one message to one channel: an escalation's id (X-Orderalert-Delivery, the same
// on every attempt), the channel, the alerts it covers and the frozen body.
type Delivery struct {
	ID       int64
	Channel  channel.Channel
	Reason   string
	AlertIDs []int64
	Body     []byte
	Attempts int // including the one this claim is for
}

// AttemptOutcome is what one attempt of a delivery came to.
type AttemptOutcome int

// The outcomes of an attempt.
const (
	AttemptSent        AttemptOutcome = iota + 1
	AttemptRetry                      // 5xx, 429, timeout, a connection error: again after a backoff
	AttemptRetryWindow                // the bot's rate-limit code: again once the rate's window passed
	AttemptFailed                     // refused for good (a wrong secret, a 4xx): never again
)

// Attempt is the answer to one attempt.
type Attempt struct {
	Outcome AttemptOutcome
	Err     error // why it was not sent; never carries the channel's url or secret
}

// ChannelSender makes one attempt of a delivery.
type ChannelSender interface {
	Send(ctx context.Context, d Delivery) Attempt
}

// EscalationSchedule is the durable schedule of escalations (DESIGN §14, §20.4): which open
// alerts are due, their deliveries, claims and leases, all decided by the database's clock, so
// that each alert is escalated once per channel across instances and restarts.
type EscalationSchedule interface {
	// DueForScreenCheck returns up to limit open alerts created at least grace ago whose
	// no-screen check is not decided yet, oldest first.
	DueForScreenCheck(ctx context.Context, grace time.Duration, limit int) ([]alert.Alert, error)
	// DueUnacknowledged returns up to limit open alerts created at least after ago that were
	// not escalated yet, oldest first.
	DueUnacknowledged(ctx context.Context, after time.Duration, limit int) ([]alert.Alert, error)
	// Screened records that the alert had a screen during its grace: it escalates only if
	// still open after ORDERALERT_ESCALATE_AFTER. An alert decided already is left as it is.
	Screened(ctx context.Context, alertID int64) error
	// Escalate marks the alert escalated for reason and, in the same transaction, makes its
	// deliveries: one to each channel of its shop, or, past a channel's rate, the alert joins a
	// merged delivery sent when the rate's window allows. It returns false, and makes nothing,
	// when the alert was escalated already or is no longer open (acknowledged, pruned).
	Escalate(ctx context.Context, alertID int64, reason string, compose Composer, rate Rate) (bool, error)
	// Claim leases the next due delivery for lease (at least twice an attempt's timeout: no
	// other instance claims it meanwhile) and counts the attempt; none due: false. A delivery
	// whose alerts were all acknowledged since is ended instead of claimed.
	Claim(ctx context.Context, lease time.Duration) (Delivery, bool, error)
	// Finish records the attempt's outcome: sent, failed for good, or due again after retryIn.
	Finish(ctx context.Context, d Delivery, a Attempt, retryIn time.Duration) error
}

// EscalationObserver counts what the escalation does (metrics).
type EscalationObserver interface {
	Escalated(reason string)
	Attempted(kind channel.Kind, outcome AttemptOutcome)
}
