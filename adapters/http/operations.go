package http

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Probe is one dependency that readiness depends on, such as the database.
type Probe interface {
	// Name names the dependency in the /readyz answer.
	Name() string
	// Ready returns an error when the dependency cannot serve.
	Ready(ctx context.Context) error
}

const (
	probeTimeout = 3 * time.Second
	// probeCacheTTL is how long a probe's answer is reused: a flood of /readyz calls (many load
	// balancers, or a misconfigured one) then costs the database one ping a second.
	probeCacheTTL = time.Second
)

// Identity is what an instance says about itself on /healthz.
type Identity struct {
	// DatabaseID is the random id of the database the instance serves, generated once and kept
	// in it: the CLI compares it with its own database's before minting tokens for this server.
	// It is no secret and grants nothing.
	DatabaseID string
}

func (s *Server) routeOperations(id Identity, probes []Probe) {
	cached := make([]*cachedProbe, len(probes))
	for i, p := range probes {
		cached[i] = &cachedProbe{Probe: p}
	}
	// healthz: the process is alive and serving HTTP; a load balancer restarts it otherwise.
	s.App.Get("/healthz", func(c *fiber.Ctx) error {
		return ok(c, fiber.Map{"status": "ok", "databaseId": id.DatabaseID})
	})
	// readyz: the instance can serve requests now; a load balancer routes elsewhere otherwise.
	// Draining is never cached: it must turn 503 the moment shutdown begins.
	s.App.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), probeTimeout)
		defer cancel()
		checks, ready := fiber.Map{}, !s.draining.Load()
		if !ready {
			checks["server"] = "shutting down"
		}
		for _, p := range cached {
			if err := p.Ready(ctx); err != nil {
				checks[p.Name()], ready = "unavailable", false
				continue
			}
			checks[p.Name()] = "ok"
		}
		if !ready {
			return fail(c, fiber.StatusServiceUnavailable, "not ready", checks)
		}
		return ok(c, checks)
	})
}

// cachedProbe reuses its probe's answer for probeCacheTTL. Concurrent callers wait for the
// check in flight instead of starting their own.
type cachedProbe struct {
	Probe

	mu  sync.Mutex
	at  time.Time
	err error
}

func (p *cachedProbe) Ready(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.at.IsZero() && time.Since(p.at) < probeCacheTTL {
		return p.err
	}
	p.err = p.Probe.Ready(ctx)
	p.at = time.Now()
	return p.err
}
