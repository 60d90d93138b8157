package http

import (
	"context"
	"fmt"
	"net"

	"go.uber.org/fx"
)

// Listener is the server's port. It is bound while the graph is built, not when it starts: fx
// runs the invokes that open and migrate the database and create the first admin before any
// start hook, and a busy port found only then left a data folder and a password file behind.
// bootstrap.Serve puts this module first, so that its invoke of Listen runs before any other.
type Listener struct{ net.Listener }

// Listen binds cfg.Addr; a busy port stops start-up with a message that names the address. The
// listener is closed when the server shuts down, or by its own stop hook if start-up fails
// before the server serves.
func Listen(lc fx.Lifecycle, cfg Config) (*Listener, error) {
	// Bound while the graph is built, outside any hook's context; start-up's own timeout
	// bounds the whole graph.
	ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	lc.Append(fx.StopHook(func() { _ = ln.Close() }))
	return &Listener{Listener: ln}, nil
}
