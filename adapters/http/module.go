package http

import "go.uber.org/fx"

// Module binds the port at once, then provides the HTTP server and starts it with the
// application. fx runs a module's invokes in order, and the modules' before the root's.
var Module = fx.Module("http",
	fx.Provide(Listen, NewServer),
	fx.Invoke(func(*Listener) {}),
	fx.Invoke(func(*Server) {}),
)
