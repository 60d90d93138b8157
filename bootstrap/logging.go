package bootstrap

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/uptrace/bun/driver/pgdriver"
)

// NewLogger returns the service's structured logger in the configured format. It also routes
// pgdriver's own messages (a listener connection discarded, a failed write), which the driver
// writes to stderr with the standard log package by default, into that logger: the driver's
// logger is process-wide, so only the process's one logger should set it.
func NewLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	var log *slog.Logger
	if cfg.LogFormat == "json" {
		log = slog.New(slog.NewJSONHandler(w, opts))
	} else {
		log = slog.New(slog.NewTextHandler(w, opts))
	}
	pgdriver.Logger = driverLogger{log.With("component", "pgdriver")}
	return log
}

// driverLogger is pgdriver's logging interface on slog. Its messages report connections the
// driver dropped and re-made by itself: worth a warning, not an error.
type driverLogger struct{ log *slog.Logger }

func (d driverLogger) Printf(ctx context.Context, format string, args ...any) {
	d.log.WarnContext(ctx, fmt.Sprintf(format, args...))
}
