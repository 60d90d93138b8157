package http

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// Observer is told what the HTTP adapter serves, for metrics; the adapter knows nothing of how
// it is counted. Its methods must be cheap and safe for concurrent use.
type Observer interface {
	// RequestServed: one request answered. route is the matched route's pattern, never the raw
	// path; method is one of a closed set.
	RequestServed(method, route string, status int, elapsed time.Duration)
	// SocketClosed: one dashboard socket ended with close code code.
	SocketClosed(code int)
	// ConnectionRefused: one connection refused on arrival, the instance serving as many as it
	// allows.
	ConnectionRefused()
}

// Telemetry is what the adapter reports to and what it serves at GET /metrics.
type Telemetry struct {
	Observer Observer     // nil: nobody is told
	Metrics  http.Handler // the exposition, in Prometheus's text format; nil: no /metrics
}

// nopObserver is the observer of a server given none.
type nopObserver struct{}

func (nopObserver) RequestServed(string, string, int, time.Duration) {}
func (nopObserver) SocketClosed(int)                                 {}
func (nopObserver) ConnectionRefused()                               {}

func (s *Server) routeMetrics(metrics http.Handler) {
	s.App.Get("/metrics", adaptor.HTTPHandler(metrics))
}

// observe is the first handler of every request. It gives the request an id (echoed in
// X-Request-ID) and a logger that carries it as request_id; answers a handler's error through
// the error handler at once, so that the status is known here; then counts the request and
// writes one access log line: DEBUG for successes, INFO for failures, which are the lines worth
// keeping at volume. The line has the path but never the query: /ws queries carry tickets.
// Metrics and the log keep a refusal's own status when compat mode answers it 200 (§20.11), so
// that they count the same failures in either mode.
func observe(observer Observer, log *slog.Logger, routes *routes, compat ClientCompat) fiber.Handler {
	return func(c *fiber.Ctx) error {
		began := time.Now()
		id := requestID(c.Get(fiber.HeaderXRequestID))
		c.Set(fiber.HeaderXRequestID, id)
		reqLog := log.With("request_id", id)
		c.Locals(localLog, reqLog)
		failure := c.Next()
		if failure != nil {
			if err := c.App().ErrorHandler(c, failure); err != nil {
				reqLog.Error("answering an error failed", "err", err)
				c.Status(fiber.StatusInternalServerError)
			}
		}
		elapsed := time.Since(began)
		status, route, method := c.Response().StatusCode(), routes.label(c), methodLabel(c.Method())
		if compat.rewritesStatus(route, status, failure) {
			c.Status(fiber.StatusOK)
		}
		observer.RequestServed(method, route, status, elapsed)
		level := slog.LevelDebug
		if status >= fiber.StatusBadRequest {
			level = slog.LevelInfo
		}
		reqLog.Log(c.UserContext(), level, "HTTP request", "method", method, "path", c.Path(),
			"route", route, "status", status, "duration_ms", float64(elapsed.Microseconds())/1000)
		return nil
	}
}

// routes names the route that answered a request, for labels.
type routes struct {
	endpoints map[string]struct{} // method + " " + pattern of every route that is not middleware
}

// learn records app's endpoints; call it once every route is registered, before serving.
func (r *routes) learn(app *fiber.App) {
	r.endpoints = map[string]struct{}{}
	for _, route := range app.GetRoutes(true) {
		r.endpoints[route.Method+" "+route.Path] = struct{}{}
	}
}

// label is the pattern of the route that answered ("/user/order/reminder/:id"), so that ids in
// paths cannot multiply the series. A request answered by middleware — a group's token check,
// the dashboard's files, or nothing at all (404) — is labelled with the middleware's prefix and
// "*" ("/user/*", "/*"). Fiber tells the two apart only through GetRoutes, hence endpoints.
func (r *routes) label(c *fiber.Ctx) string {
	route := c.Route()
	if _, ok := r.endpoints[route.Method+" "+route.Path]; ok {
		return route.Path
	}
	if route.Path == "/" {
		return "/*"
	}
	return route.Path + "/*"
}

// methodLabel maps the request's method onto a closed set of constants: Fiber's string points
// into a buffer that is reused, and a series keeps its labels.
func methodLabel(m string) string {
	for _, known := range []string{
		fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch,
		fiber.MethodDelete, fiber.MethodOptions, fiber.MethodConnect, fiber.MethodTrace,
	} {
		if m == known {
			return known
		}
	}
	return "OTHER"
}
