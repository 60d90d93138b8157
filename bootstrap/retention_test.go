package bootstrap

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

func TestPruneEveryTenthOfTheRetentionWithinBounds(t *testing.T) {
	t.Parallel()
	for retention, want := range map[time.Duration]time.Duration{
		72 * time.Hour: time.Hour, 10 * time.Hour: time.Hour, time.Hour: 6 * time.Minute,
		5 * time.Second: time.Second, time.Millisecond: time.Second,
	} {
		if got := pruneEvery(retention); got != want {
			t.Errorf("pruneEvery(%s) = %s, want %s", retention, got, want)
		}
	}
}

// TestPrunerRunsOnItsClockAndLogsOnlyWhatItRemoved: the pruner's first run removes what the
// (test's) clock says is older than the retention; runs that find nothing log nothing; once
// the clock moves on, the next run removes the rest; stop ends the goroutine.
func TestPrunerRunsOnItsClockAndLogsOnlyWhatItRemoved(t *testing.T) {
	t.Parallel()
	clock := &testClock{now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	store := memory.NewStore(clock.Now)
	o, err := store.Add(t.Context(), order.Order{Number: "n-1", ShopID: 1, Status: order.StatusToBeConfirmed, UserID: 7, Amount: 100, PayMethod: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, age := range []time.Duration{100 * time.Hour, 73 * time.Hour, time.Hour} {
		if _, _, err := store.Update(t.Context(), application.ByID(o.ID), func(o *order.Order) (*alert.Alert, error) {
			a := alert.NewOrder(o.ShopID, o.ID, o.Number, clock.Now().Add(-age))
			return &a, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	logs := &syncBuffer{}
	p := newPruner(application.PruneAlerts{Alerts: store, Clock: clock, Retention: 72 * time.Hour},
		slog.New(slog.NewTextHandler(logs, nil)), time.Millisecond, 5*time.Millisecond)
	if err := p.start(t.Context()); err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = p.stop(context.Background())
		}
	})

	waitFor(t, "the two expired alerts pruned", func() bool { return storedAlerts(t, store) == 1 })
	time.Sleep(50 * time.Millisecond) // about ten more runs, which find nothing
	if lines := strings.Count(logs.String(), "pruned alerts"); lines != 1 || !strings.Contains(logs.String(), "count=2") {
		t.Fatalf("want one line for the 2 pruned alerts, got:\n%s", logs)
	}
	clock.set(clock.Now().Add(72 * time.Hour))
	waitFor(t, "the last alert pruned once the clock moved on", func() bool { return storedAlerts(t, store) == 0 })

	if err := p.stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	stopped = true
	select {
	case <-p.done:
	default:
		t.Fatal("stop returned before the pruner's goroutine ended")
	}
	if strings.Contains(logs.String(), "cannot prune") {
		t.Fatalf("a run failed:\n%s", logs)
	}
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func storedAlerts(t *testing.T, store *memory.Store) int {
	t.Helper()
	all, err := store.After(t.Context(), application.EveryAlert(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
	}
}
