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
		lc.Append(p.hook())
		return nil
	})
}

// pruner runs PruneAlerts on a timer. A stop cancels a prune in progress (what its finished
// batches deleted stays deleted).
type pruner struct {
	periodic
	prune application.PruneAlerts
	log   *slog.Logger
}

func newPruner(prune application.PruneAlerts, log *slog.Logger, first, every time.Duration) *pruner {
	p := &pruner{prune: prune, log: log.With("component", "retention")}
	p.periodic = periodic{name: "the alert pruner", first: first, every: every, job: p.once}
	return p
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
