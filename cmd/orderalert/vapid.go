package main

import (
	"io"
	"log/slog"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/bootstrap"
)

// vapidCommand prints a new VAPID key pair for Web Push, as the variables production needs.
// Keep the private key secret; changing the pair later makes every browser subscribe again.
func vapidCommand() command {
	return command{
		name:    "vapid",
		summary: "print a new Web Push (VAPID) key pair as ORDERALERT_VAPID_PUBLIC_KEY and _PRIVATE_KEY",
		graph: func(_ bootstrap.Config, log *slog.Logger, _ io.Reader, stdout io.Writer) fx.Option {
			return bootstrap.PrintVAPIDKeys(log, stdout)
		},
	}
}
