package bootstrap

import (
	"context"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// How this instance follows changes made elsewhere (other instances, the command line): it reads
// the change counter every second and reloads its copies when it moved, each read bounded so that
// a hung database cannot stall the next; a copy not refreshed for accessMaxStale is not trusted,
// and every admin request then asks the database itself.
const (
	changePollEvery   = time.Second
	changePollTimeout = 2 * time.Second
	accessMaxStale    = 10 * time.Second
)

// followChanges runs SyncChanges once on start — so that the first requests are checked against
// a copy, not the database — and then every changePollEvery while the service runs.
func followChanges() fx.Option {
	return fx.Invoke(func(lc fx.Lifecycle, sync application.SyncChanges, log *slog.Logger) {
		p := &changePoller{sync: sync, log: log.With("component", "changes")}
		// A failure at start is not fatal: until a copy is loaded every check asks the database.
		p.periodic = periodic{name: "the change poller", first: changePollEvery, every: changePollEvery, atStart: true, job: p.once}
		lc.Append(p.hook())
	})
}

// changePoller runs SyncChanges on a timer.
type changePoller struct {
	periodic
	sync    application.SyncChanges
	log     *slog.Logger
	failing bool // the last run failed: log the next failure only once it recovers
}

// once runs one poll, and logs when polling starts failing and when it recovers, not every
// second in between.
func (p *changePoller) once(ctx context.Context) {
	pollCtx, cancel := context.WithTimeout(ctx, changePollTimeout)
	defer cancel()
	err := p.sync.Execute(pollCtx)
	switch {
	case err != nil && ctx.Err() == nil && !p.failing:
		p.failing = true
		p.log.Warn("cannot read the change counter; admin credentials are checked against the database once the copy is "+accessMaxStale.String()+" old", "err", err)
	case err == nil && p.failing:
		p.failing = false
		p.log.Info("reading the change counter again")
	}
}
