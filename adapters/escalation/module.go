package escalation

import (
	"net/http"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// Module provides the channel sender and the bodies' composer to the escalation schedule.
var Module = fx.Module("escalation",
	fx.Provide(
		fx.Annotate(func(kinds application.AlertKindRepository, shops application.ShopRepository) *Composer {
			return &Composer{Kinds: kinds, Shops: shops, Now: time.Now}
		}, fx.As(new(application.Composer))),
		fx.Annotate(func() *Port {
			return &Port{Sender: &Sender{Client: &http.Client{Timeout: DefaultTimeout}}}
		}, fx.As(new(application.ChannelSender))),
	),
)
