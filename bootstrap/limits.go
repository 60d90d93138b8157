package bootstrap

import (
	"runtime"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/auth"
	"github.com/orderalert/orderalert/application"
)

// loginWait is how long a login waits for a password-check slot before it is refused as busy
// (503): long enough for a burst of real logins, short enough that a flood holds no worker.
const loginWait = 2 * time.Second

// loginLimits provides the login throttle and the bound on concurrent password checks: half the
// cores (one on a 2-core machine), so that a login flood leaves the rest to alert delivery.
func loginLimits(cfg Config) fx.Option {
	return fx.Provide(
		fx.Annotate(func(clock application.Clock) *auth.LoginThrottle {
			return auth.NewLoginThrottle(cfg.LoginRate.N, cfg.LoginRate.Per, clock)
		}, fx.As(new(application.LoginThrottle))),
		func() *application.PasswordChecks {
			return application.NewPasswordChecks(runtime.GOMAXPROCS(0)/2, loginWait)
		},
	)
}
