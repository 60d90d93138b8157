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

// Defaults of the limits, for a configuration built in code (as tests do) that leaves them at
// zero; LoadConfig always sets them (DESIGN §9).
func (c Config) loginRate() Rate {
	if c.LoginRate.N < 1 {
		return Rate{N: 5, Per: time.Minute}
	}
	return c.LoginRate
}

func (c Config) wsMaxConnections() int { return orDefault(c.WSMaxConnections, 20_000) }
func (c Config) wsMaxPerAdmin() int    { return orDefault(c.WSMaxPerAdmin, 50) }

func orDefault(n, def int) int {
	if n < 1 {
		return def
	}
	return n
}

// loginLimits provides the login throttle and the bound on concurrent password checks: half the
// cores (one on a 2-core machine), so that a login flood leaves the rest to alert delivery.
func loginLimits(cfg Config) fx.Option {
	return fx.Provide(
		fx.Annotate(func(clock application.Clock) *auth.LoginThrottle {
			rate := cfg.loginRate()
			return auth.NewLoginThrottle(rate.N, rate.Per, clock)
		}, fx.As(new(application.LoginThrottle))),
		func() *application.PasswordChecks {
			return application.NewPasswordChecks(runtime.GOMAXPROCS(0)/2, loginWait)
		},
	)
}
