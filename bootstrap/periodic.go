package bootstrap

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/fx"
)

// periodic runs a job in a goroutine of its own from the application's start to its stop: first
// after first, then every every after the previous run ended, so a slow run delays the next one
// and never overlaps it. The background jobs of the service (the retention pruner, the change
// poller) are one each.
type periodic struct {
	name         string // for the stop error
	first, every time.Duration
	atStart      bool // also run once inside the start hook, before start returns
	job          func(context.Context)

	cancel context.CancelFunc
	done   chan struct{} // closed when the goroutine has ended
}

func (p *periodic) hook() fx.Hook { return fx.Hook{OnStart: p.start, OnStop: p.stop} }

func (p *periodic) start(ctx context.Context) error {
	if p.atStart {
		p.job(ctx)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan struct{})
	go p.run(runCtx)
	return nil
}

// stop cancels a run in progress and waits for the goroutine to end.
func (p *periodic) stop(ctx context.Context) error {
	p.cancel()
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stop %s: %w", p.name, ctx.Err())
	}
}

func (p *periodic) run(ctx context.Context) {
	defer close(p.done)
	timer := time.NewTimer(p.first)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		p.job(ctx)
		timer.Reset(p.every)
	}
}
