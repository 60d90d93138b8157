package webpush

import (
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// Config is what the sender is given: the keys, and whether private endpoints may be reached.
type Config struct {
	Keys         Keys
	AllowPrivate bool
}

// Module provides the push sender, given a Config.
var Module = fx.Module("webpush",
	fx.Provide(fx.Annotate(func(c Config) *Sender { return NewSender(c.Keys, c.AllowPrivate) }, fx.As(new(application.PushSender)))),
)
