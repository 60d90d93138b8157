package bootstrap

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// When the pruner runs: once shortly after start (an instance that was down a while catches
// up), then every tenth of the retention, at most an hour and at least a second apart. Several
// instances pruning one database at once are harmless (AlertLog.Prune).
const (
	firstPruneAfter = 2 * time.Second
	maxPruneEvery   = time.Hour
	minPruneEvery   = time.Second
)

func pruneEvery(retention time.Duration) time.Duration {
	return min(max(retention/10, minPruneEvery), maxPruneEvery)
}

// alertRetention runs the pruner while the service runs.
func alertRetention() fx.Option {
	return fx.Invoke(func(lc fx.Lifecycle, prune application.PruneAlerts, log *slog.Logger) error {
		// LoadConfig refuses this already; a Config built in code without DefaultConfig would
		// otherwise prune every alert.
		if prune.Retention <= 0 {
			return fmt.Errorf("configuration: %sALERT_RETENTION must be positive, got %s", EnvPrefix, prune.Retention)
		}
		p := newPruner(prune, log, firstPruneAfter, pruneEvery(prune.Retention))
		lc.Append(fx.Hook{OnStart: p.start, OnStop: p.stop})
		return nil
	})
}

// pruner runs PruneAlerts on a timer, in one goroutine that stops with the application.
type pruner struct {
	prune        application.PruneAlerts
	log          *slog.Logger
	first, every time.Duration

	cancel context.CancelFunc
	done   chan struct{}
}

func newPruner(prune application.PruneAlerts, log *slog.Logger, first, every time.Duration) *pruner {
	return &pruner{prune: prune, log: log.With("component", "retention"), first: first, every: every, done: make(chan struct{})}
}

func (p *pruner) start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go p.run(ctx)
	return nil
}

// stop cancels a prune in progress (what its finished batches deleted stays deleted) and waits
// for the goroutine to end.
func (p *pruner) stop(ctx context.Context) error {
	p.cancel()
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stop the alert pruner: %w", ctx.Err())
	}
}

func (p *pruner) run(ctx context.Context) {
	defer close(p.done)
	timer := time.NewTimer(p.first)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		p.once(ctx)
		timer.Reset(p.every)
	}
}

// once prunes and says so only when it removed something: a run every hour that finds nothing
// is not news.
func (p *pruner) once(ctx context.Context) {
	n, err := p.prune.Execute(ctx)
	if n > 0 {
		p.log.Info("pruned alerts past the retention", "count", n, "retention", p.prune.Retention.String())
	}
	if err != nil && ctx.Err() == nil {
		p.log.Error("cannot prune old alerts; retrying at the next run", "err", err, "next_run_in", p.every.String())
	}
}
