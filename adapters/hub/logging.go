package hub

import (
	"context"
	"log/slog"
)

// atLeast drops records below min: protoactor logs routine events (system started, dead letters
// of sockets that just closed) at INFO, which would drown the service's own log.
func atLeast(h slog.Handler, min slog.Level) slog.Handler { return minLevel{Handler: h, min: min} }

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.Handler.Enabled(ctx, l)
}

func (m minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{Handler: m.Handler.WithAttrs(attrs), min: m.min}
}

func (m minLevel) WithGroup(name string) slog.Handler {
	return minLevel{Handler: m.Handler.WithGroup(name), min: m.min}
}
