package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.uber.org/dig"
	"go.uber.org/fx"
)

// Run starts the application, waits for SIGINT or SIGTERM when wait is set, and stops it. A
// failure to start is returned with its root cause, not fx's account of the dependency graph.
func Run(opts fx.Option, log *slog.Logger, wait bool) error {
	app := fx.New(opts)
	if err := app.Err(); err != nil {
		return rootCause(err)
	}
	var signals <-chan fx.ShutdownSignal
	if wait {
		// Listened for before the start: the port is bound, and the log says it is served, before
		// Start returns; a SIGTERM sent then (a supervisor, a test that saw the log line) must
		// stop the service cleanly instead of killing it.
		signals = app.Wait()
	}
	startCtx, cancel := context.WithTimeout(context.Background(), app.StartTimeout())
	defer cancel()
	if err := app.Start(startCtx); err != nil {
		return rootCause(err)
	}
	if wait {
		sig := <-signals
		log.Info("stopping", "signal", sig.Signal.String())
	}
	stopCtx, cancelStop := context.WithTimeout(context.Background(), app.StopTimeout())
	defer cancelStop()
	if err := app.Stop(stopCtx); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	return nil
}

func rootCause(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("start-up timed out: %w", err)
	}
	return dig.RootCause(err)
}
