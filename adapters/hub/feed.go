package hub

import (
	"context"
	"log/slog"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// feedPage is how many alerts the feed reads at once.
const feedPage = 500

// feed is the instance's one ordered reader of the alert log: whatever woke it, it reads every
// alert after its cursor in id order and hands each to deliver exactly once.
type feed struct {
	alerts   application.AlertLog
	local    chan struct{}   // a commit on this instance (capacity 1: wake-ups merge)
	remote   <-chan struct{} // a commit on another instance (nil: none)
	interval time.Duration   // the longest wait, covering a lost wake-up
	deliver  func(alert.Alert)
	log      *slog.Logger
	cursor   int64
}

// start reads the newest id, so that the feed delivers only what is committed from now on
// (sockets that resume read their backlog themselves).
func (f *feed) start(ctx context.Context) error {
	newest, err := f.alerts.Latest(ctx, application.EveryAlert(), 1)
	if err != nil {
		return err
	}
	if len(newest) == 1 {
		f.cursor = newest[0].ID
	}
	return nil
}

func (f *feed) wake() {
	select {
	case f.local <- struct{}{}:
	default: // a wake-up is already pending
	}
}

func (f *feed) run(ctx context.Context) {
	timer := time.NewTicker(f.interval)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.local:
		case <-f.remote:
		case <-timer.C:
		}
		f.drain(ctx)
	}
}

func (f *feed) drain(ctx context.Context) {
	for ctx.Err() == nil {
		page, err := f.alerts.After(ctx, application.EveryAlert(), f.cursor, feedPage)
		if err != nil {
			if ctx.Err() == nil {
				f.log.Error("alert feed cannot read the log; retrying", "err", err)
			}
			return
		}
		for _, a := range page {
			f.deliver(a)
			f.cursor = a.ID
		}
		if len(page) < feedPage {
			return
		}
	}
}
