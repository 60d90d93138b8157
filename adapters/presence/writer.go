package presence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/orderalert/orderalert/application"
)

// Intervals of the writer that are not configuration (DESIGN §20.9): changes are written at most
// once a second, and rows of screens gone or instances silent for ten minutes are deleted.
const (
	writeInterval = time.Second
	pruneInterval = time.Minute
	keepFor       = 10 * time.Minute
)

// Config tunes the writer.
type Config struct {
	Instance     string        // this instance's id in the presence table
	PingInterval time.Duration // the heartbeat's period; readers allow two of them
}

// Writer writes the tracker's changes and the instance's heartbeat to the store, from the
// application's start to its stop.
type Writer struct {
	cfg     Config
	store   application.PresenceStore
	tracker *Tracker
	log     *slog.Logger

	cancel context.CancelFunc
	done   chan struct{}
}

// NewWriter returns a writer of tracker's changes; Start starts it.
func NewWriter(cfg Config, store application.PresenceStore, tracker *Tracker, log *slog.Logger) *Writer {
	return &Writer{cfg: cfg, store: store, tracker: tracker, log: log.With("component", "presence", "instance", cfg.Instance)}
}

// Start writes the first heartbeat, so that the instance's screens are listed from their first
// batch, and starts the loop. A database that cannot take the heartbeat now only delays the
// listing: the loop tries again every ping interval.
func (w *Writer) Start(ctx context.Context) error {
	if err := w.store.Heartbeat(ctx, w.cfg.Instance); err != nil {
		w.log.Warn("presence: the first heartbeat failed", "err", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan struct{})
	go w.run(runCtx)
	return nil
}

// Stop ends the loop and deletes the instance's rows: its screens are gone at once on every
// instance, rather than after two ping intervals.
func (w *Writer) Stop(ctx context.Context) error {
	w.cancel()
	select {
	case <-w.done:
	case <-ctx.Done():
		return fmt.Errorf("stop the presence writer: %w", ctx.Err())
	}
	// A database that cannot take the deletion now (down, or its file replaced) must not fail
	// the stop: the rows stop counting once the heartbeat is two ping intervals old, and are
	// pruned later, as a killed instance's are.
	if err := w.store.Forget(ctx, w.cfg.Instance); err != nil {
		w.log.Warn("presence: could not delete this instance's screens; they expire with its heartbeat", "err", err)
	}
	return nil
}

func (w *Writer) run(ctx context.Context) {
	defer close(w.done)
	write, beat, prune := time.NewTicker(writeInterval), time.NewTicker(w.cfg.PingInterval), time.NewTicker(pruneInterval)
	defer write.Stop()
	defer beat.Stop()
	defer prune.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-write.C:
			w.flush(ctx)
		case <-beat.C:
			w.report("heartbeat", w.store.Heartbeat(ctx, w.cfg.Instance))
		case <-prune.C:
			w.report("prune", w.store.Prune(ctx, keepFor))
		}
	}
}

// flush writes the pending changes as one batch; a batch that fails is put back for the next.
func (w *Writer) flush(ctx context.Context) {
	changes := w.tracker.take()
	if len(changes) == 0 {
		return
	}
	if err := w.store.Apply(ctx, w.cfg.Instance, changes); err != nil {
		w.tracker.putBack(changes)
		w.report("write", err)
	}
}

func (w *Writer) report(what string, err error) {
	if err != nil && !errors.Is(err, context.Canceled) {
		w.log.Warn("presence: "+what+" failed", "err", err)
	}
}
