package escalation

import (
	"context"
	"fmt"
	"time"

	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

var (
	_ application.Composer      = (*Composer)(nil)
	_ application.ChannelSender = (*Port)(nil)
)

// lookupTimeout bounds the kind and shop lookups of one body: a message without the shop's
// name is better than none.
const lookupTimeout = 2 * time.Second

// Composer writes deliveries' bodies for the schedule: each alert as the wire has it (the
// webhook embeds it) and as a line of text with its kind's name (the bots show it).
type Composer struct {
	Kinds application.AlertKindRepository
	Shops application.ShopRepository
	Now   func() time.Time
}

// Body implements application.Composer.
func (c *Composer) Body(kind Kind, reason string, alerts []alert.Alert) ([]byte, error) {
	if len(alerts) == 0 {
		return nil, fmt.Errorf("escalation body: no alerts")
	}
	ctx, cancel := context.WithTimeout(context.Background(), lookupTimeout)
	defer cancel()
	m := Message{Reason: reason, At: c.Now()}
	if s, err := c.Shops.Get(ctx, alerts[0].ShopID); err == nil {
		m.ShopName = s.Name
	}
	names := map[alert.Type]string{}
	for _, a := range alerts {
		name, known := names[a.Type]
		if !known {
			name = "提醒"
			if k, err := c.Kinds.Get(ctx, a.Type); err == nil {
				name = k.Name
			}
			names[a.Type] = name
		}
		m.Items = append(m.Items, Item{
			AlertJSON: wire.Alert(a), ID: a.ID, KindName: name, OrderNumber: a.OrderNumber, Content: a.Content, CreatedAt: a.CreatedAt,
		})
	}
	return Body(kind, m)
}

// Port is the Sender as the schedule's application.ChannelSender.
type Port struct {
	Sender *Sender
}

// Send implements application.ChannelSender.
func (p *Port) Send(ctx context.Context, d application.Delivery) application.Attempt {
	r := p.Sender.Send(ctx, d.Channel, d.ID, d.Body)
	a := application.Attempt{Err: r.Err}
	switch r.Outcome {
	case Sent:
		a.Outcome = application.AttemptSent
	case Retry:
		a.Outcome = application.AttemptRetry
	case RetryAfterWindow:
		a.Outcome = application.AttemptRetryWindow
	default:
		a.Outcome = application.AttemptFailed
	}
	return a
}
