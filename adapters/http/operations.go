package http

import (
	"context"
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

const probeTimeout = 3 * time.Second

func (s *Server) routeOperations(probes []Probe) {
	// healthz: the process is alive and serving HTTP; a load balancer restarts it otherwise.
	s.App.Get("/healthz", func(c *fiber.Ctx) error {
		return ok(c, fiber.Map{"status": "ok"})
	})
	// readyz: the instance can serve requests now; a load balancer routes elsewhere otherwise.
	s.App.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), probeTimeout)
		defer cancel()
		checks, ready := fiber.Map{}, !s.draining.Load()
		if !ready {
			checks["server"] = "shutting down"
		}
		for _, p := range probes {
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
