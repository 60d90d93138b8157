package http

import "go.uber.org/fx"

// Module provides the HTTP server and starts it with the application.
var Module = fx.Module("http",
	fx.Provide(NewServer),
	fx.Invoke(func(*Server) {}),
)
