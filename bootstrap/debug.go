package bootstrap

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"go.uber.org/fx"
)

// debugServer serves Go's profiler on ORDERALERT_DEBUG_ADDR, a separate listener that is off
// unless configured and never on the public port: profiles reveal the program's internals.
func debugServer(cfg Config) fx.Option {
	if cfg.DebugAddr == "" {
		return fx.Options()
	}
	return fx.Invoke(func(lc fx.Lifecycle, log *slog.Logger) {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		lc.Append(fx.Hook{
			OnStart: func(ctx context.Context) error {
				ln, err := new(net.ListenConfig).Listen(ctx, "tcp", cfg.DebugAddr)
				if err != nil {
					return err
				}
				log.Warn("serving the Go profiler", "addr", ln.Addr().String())
				go func() {
					if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
						log.Error("profiler stopped", "err", err)
					}
				}()
				return nil
			},
			OnStop: srv.Shutdown,
		})
	})
}
