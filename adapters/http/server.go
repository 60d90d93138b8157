package http

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// Config is what the HTTP adapter needs from the service's configuration.
type Config struct {
	// Addr is the listen address, ":8080" or "127.0.0.1:0" (any free port).
	Addr string
	// Dashboard is the admin dashboard's files, served at /; nil serves none.
	Dashboard fs.FS
	// ReadTimeout, WriteTimeout and IdleTimeout override the defaults below when positive; tests
	// shorten them (they are not configuration: DESIGN §9 only asks that they be set).
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
}

// Timeouts are never unlimited: a client that stops sending or reading must not hold a worker.
// A request must arrive whole within the read timeout (a slowloris sending half a header is cut
// off), its answer be written within the write timeout, and a keep-alive connection is closed
// after the idle timeout without a request. Upgraded dashboard sockets have their own deadlines.
const (
	readTimeout  = 10 * time.Second
	writeTimeout = 10 * time.Second
	idleTimeout  = 75 * time.Second
	bodyLimit    = 64 << 10
	// maxConnections bounds the HTTP connections served at once. Past it a new connection
	// gets 503 at once instead of queueing: an open-loop burst five times what SQLite commits
	// grew the process past a gigabyte of waiting connections. Upgraded dashboard sockets
	// leave fasthttp's workers and do not count.
	maxConnections = 4096
)

// Server is the Fiber application and its listener.
type Server struct {
	App      *fiber.App
	addr     atomic.Pointer[net.TCPAddr]
	draining atomic.Bool
}

// Params are the server's dependencies; Probes are every readiness check in the graph.
type Params struct {
	fx.In

	Config     Config
	Identity   Identity
	WS         WSConfig
	Log        *slog.Logger
	Probes     []Probe `group:"readiness"`
	UseCases   UseCases
	Dashboards application.Dashboards
	Authorize  application.AuthorizeDashboard
	Telemetry  Telemetry
}

// NewServer builds the application and ties it to the lifecycle: on start it binds Addr and
// serves, on stop it reports not-ready and shuts down, letting in-flight requests finish.
func NewServer(lc fx.Lifecycle, p Params) *Server {
	s := &Server{App: fiber.New(fiber.Config{
		AppName:               "orderalert",
		DisableStartupMessage: true,
		ReadTimeout:           positiveOr(p.Config.ReadTimeout, readTimeout),
		WriteTimeout:          positiveOr(p.Config.WriteTimeout, writeTimeout),
		IdleTimeout:           positiveOr(p.Config.IdleTimeout, idleTimeout),
		BodyLimit:             bodyLimit,
		Concurrency:           maxConnections,
		// Hand a dashboard socket over without fasthttp's 4 KiB read buffer when nothing is
		// buffered: with thousands of sockets it was a sixth of their memory.
		ReduceMemoryUsage: true,
		ErrorHandler:      errorHandler(p.Log),
	})}
	// A response written while the server drains says "Connection: close". Without it the
	// client keeps the connection, which fasthttp closes right after the response, and the
	// client's next call on it (a payment, not retried) fails with EOF.
	s.App.Server().CloseOnShutdown = true
	if p.Telemetry.Observer == nil {
		p.Telemetry.Observer = nopObserver{}
	}
	routes := &routes{}
	s.App.Use(observe(p.Telemetry.Observer, p.Log, routes))
	s.routeOperations(p.Identity, p.Probes)
	if p.Telemetry.Metrics != nil {
		s.routeMetrics(p.Telemetry.Metrics)
	}
	s.routeAPI(p.UseCases, p.Log)
	s.routeWS(&wsHandler{
		cfg: p.WS, slots: newWSSlots(p.WS.MaxConnections, p.WS.MaxPerAdmin, slotClaimWindow),
		dashboards: p.Dashboards, authorize: p.Authorize, draining: s.draining.Load, log: p.Log,
		observer: p.Telemetry.Observer,
	})
	s.routeDashboard(p.Config.Dashboard)
	routes.learn(s.App)
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			ln, err := new(net.ListenConfig).Listen(ctx, "tcp", p.Config.Addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", p.Config.Addr, err)
			}
			tcpAddr, _ := ln.Addr().(*net.TCPAddr)
			s.addr.Store(tcpAddr)
			p.Log.Info("serving HTTP", "addr", ln.Addr().String())
			go func() {
				if err := s.App.Listener(ln); err != nil {
					p.Log.Error("HTTP server stopped", "err", err)
				}
			}()
			return nil
		},
		OnStop: func(ctx context.Context) error {
			s.draining.Store(true)
			return s.App.ShutdownWithContext(ctx)
		},
	})
	return s
}

// Addr is the address the server listens on, once started (its real port when Addr ends in :0).
func (s *Server) Addr() *net.TCPAddr { return s.addr.Load() }

func positiveOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
