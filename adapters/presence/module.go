package presence

import (
	"log/slog"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// Module provides the tracker as the application's ScreenTracker and runs its writer with the
// application. It needs a Config and an application.PresenceStore.
var Module = fx.Module("presence",
	fx.Provide(
		func() *Tracker { return NewTracker(time.Now) },
		func(t *Tracker) application.ScreenTracker { return t },
	),
	fx.Invoke(func(lc fx.Lifecycle, cfg Config, store application.PresenceStore, t *Tracker, log *slog.Logger) {
		w := NewWriter(cfg, store, t, log)
		lc.Append(fx.Hook{OnStart: w.Start, OnStop: w.Stop})
	}),
)
