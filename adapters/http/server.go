package http

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
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
	// SDK is the client library (web.SDK), served at /sdk/orderalert.js; nil serves none.
	SDK []byte
	// ReadTimeout, WriteTimeout and IdleTimeout override the defaults below when positive; tests
	// shorten them (they are not configuration: DESIGN §9 only asks that they be set).
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxConnections overrides maxConnections when positive; tests lower it.
	MaxConnections int
	// TrustedProxies are the peers whose X-Forwarded-For, -Proto and -Host are believed
	// (ORDERALERT_TRUSTED_PROXIES); nil believes no one.
	TrustedProxies []netip.Prefix
	// ReringInterval is how often a dashboard rings again while an alert of its shops is open
	// (ORDERALERT_RERING_INTERVAL), which GET /admin/dashboard-config tells the page.
	ReringInterval time.Duration
	// Compat is how sky-take-out's REST routes answer (ORDERALERT_CLIENT_COMPAT, _TIMEZONE).
	Compat ClientCompat
}

// Timeouts are never unlimited: a client that stops sending or reading must not hold a worker.
// A request must arrive whole within the read timeout (a slowloris sending half a header is cut
// off; the first request's is counted from the connection's accept, edgeConn), its answer be
// written within the write timeout, and a keep-alive connection is closed after the idle
// timeout without a request. Upgraded dashboard sockets have their own deadlines.
const (
	readTimeout  = 10 * time.Second
	writeTimeout = 10 * time.Second
	idleTimeout  = 75 * time.Second
	bodyLimit    = 64 << 10
	// maxConnections bounds the HTTP connections served at once (edgeListener). Past it a new
	// connection gets 503 at once instead of queueing: an open-loop burst five times what SQLite
	// commits grew the process past a gigabyte of waiting connections. Upgraded dashboard
	// sockets do not count.
	maxConnections = 4096
)

// Server is the Fiber application and its listener.
type Server struct {
	App      *fiber.App
	addr     atomic.Pointer[net.TCPAddr]
	draining atomic.Bool
	proxies  trustedProxies
}

// Params are the server's dependencies; Probes are every readiness check in the graph.
type Params struct {
	fx.In

	Listener   *Listener
	Config     Config
	Identity   Identity
	WS         WSConfig
	Log        *slog.Logger
	Probes     []Probe `group:"readiness"`
	UseCases   UseCases
	Dashboards application.Dashboards
	Presence   application.ScreenTracker
	Authorize  application.AuthorizeDashboard
	Telemetry  Telemetry
}

// NewServer builds the application on the bound Listener and ties it to the lifecycle: on start
// it serves, on stop it reports not-ready and shuts down, letting in-flight requests finish.
func NewServer(lc fx.Lifecycle, p Params) *Server {
	s := &Server{proxies: trustedProxies(p.Config.TrustedProxies)}
	s.App = fiber.New(fiber.Config{
		AppName:               "orderalert",
		DisableStartupMessage: true,
		ReadTimeout:           positiveOr(p.Config.ReadTimeout, readTimeout),
		WriteTimeout:          positiveOr(p.Config.WriteTimeout, writeTimeout),
		IdleTimeout:           positiveOr(p.Config.IdleTimeout, idleTimeout),
		BodyLimit:             bodyLimit,
		// Concurrency stays at fasthttp's default, far above maxConnections: edgeListener
		// bounds the connections, and answers past the bound with the envelope.
		// Hand a dashboard socket over without fasthttp's 4 KiB read buffer when nothing is
		// buffered: with thousands of sockets it was a sixth of their memory.
		ReduceMemoryUsage:       true,
		ErrorHandler:            errorHandler(p.Log),
		EnableTrustedProxyCheck: true,
		TrustedProxies:          s.proxies.fiberProxyConfig(),
	})
	if p.Telemetry.Observer == nil {
		p.Telemetry.Observer = nopObserver{}
	}
	s.route(p)
	server := s.App.Server()
	// A response written while the server drains says "Connection: close". Without it the
	// client keeps the connection, which fasthttp closes right after the response, and the
	// client's next call on it (a payment, not retried) fails with EOF.
	server.CloseOnShutdown = true
	server.SecureErrorLogMessage = true
	server.ErrorHandler = unreadable(p.Log)
	server.Handler = edge(server.Handler, s.App.Config().RequestMethods, p.Log)
	tcpAddr, _ := p.Listener.Addr().(*net.TCPAddr)
	s.addr.Store(tcpAddr)
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			ln := newEdgeListener(p.Listener, positiveOr(p.Config.MaxConnections, maxConnections),
				positiveOr(p.Config.ReadTimeout, readTimeout), p.Telemetry.Observer, p.Log)
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

// route installs every route, in the order Fiber matches them.
func (s *Server) route(p Params) {
	routes := &routes{}
	compat := p.Config.Compat.withDefaults()
	s.App.Use(observe(p.Telemetry.Observer, p.Log, routes, compat))
	s.routeOperations(p.Identity, p.Probes)
	if p.Telemetry.Metrics != nil {
		s.routeMetrics(p.Telemetry.Metrics)
	}
	s.routeAPI(p.UseCases, p.Log, dashboardConfig{ReringIntervalSeconds: p.Config.ReringInterval.Seconds()}, compat)
	s.routeWS(&wsHandler{
		cfg: p.WS, slots: newWSSlots(p.WS.MaxConnections, p.WS.MaxPerAdmin, slotClaimWindow),
		dashboards: p.Dashboards, presence: p.Presence, authorize: p.Authorize, draining: s.draining.Load, log: p.Log,
		observer: p.Telemetry.Observer,
	})
	s.routeSDK(p.Config.SDK)
	s.routeDashboard(p.Config.Dashboard)
	routes.learn(s.App)
}

// Addr is the address the server listens on, once started (its real port when Addr ends in :0).
func (s *Server) Addr() *net.TCPAddr { return s.addr.Load() }

func positiveOr[T time.Duration | int](d, def T) T {
	if d > 0 {
		return d
	}
	return def
}
