package escalation

import "github.com/orderalert/orderalert/domain/channel"

// The channel's names, as this package's code and tests have always spelt them; the type and its
// rules belong to the domain, which the CLI and the schedule share.
type (
	// Kind is a channel's kind.
	Kind = channel.Kind
	// Channel is where one shop's escalations go.
	Channel = channel.Channel
)

// The kinds of channel.
const (
	Webhook  = channel.Webhook
	WeCom    = channel.WeCom
	DingTalk = channel.DingTalk
	Feishu   = channel.Feishu
)

// ErrInvalidChannel is wrapped by every refusal of a channel.
var ErrInvalidChannel = channel.ErrInvalid
