package http

import "go.uber.org/fx"

// Module binds the port at once and provides the HTTP server (fx runs the modules' invokes
// before the root's). The server is not invoked here: the graph invokes it after everything a
// request may need has registered its start hook (bootstrap.Serve), so that it serves last.
var Module = fx.Module("http",
	fx.Provide(Listen, NewServer),
	fx.Invoke(func(*Listener) {}),
)
