package component_test

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/pgtest"
)

// Sizes of the large-backlog test.
const (
	backlogAlerts     = 20_000
	backlogQueueLimit = 64
	heapGrowthBound   = 100 << 20 // generous: the point is "bounded", not a budget

	// The dashboard reads readerBurst frames, then pauses, through a small receive buffer: the
	// replay then lasts long enough for many live alerts to arrive while it runs.
	readerBurst = 50
	readerPause = 2 * time.Millisecond
)

// TestLargeBacklogResume: a dashboard that resumes with lastAlertId=0 over 20,000 stored alerts,
// on a server whose queue limit is 64 frames, while two writers keep creating alerts through
// the API. It must receive every id once, in order — the backlog, then the live ones, no gap or
// duplicate at the seam — and never be closed as slow: the backlog is read in pages as the
// socket takes them and does not count against the limit. The heap may not grow past a bound.
//
// Not parallel: the heap figure is the process's, so nothing else may run beside it.
func TestLargeBacklogResume(t *testing.T) {
	for name, url := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) { resumeOverBacklog(t, url(t)) })
	}
}

func resumeOverBacklog(t *testing.T, url string) {
	// Stored before the service starts, as after an outage: its feed starts past them, so they
	// reach the dashboard by replay only.
	seeded := seedAlerts(t, url, backlogAlerts, time.Now().Add(-time.Hour)) // well within the retention
	// Pings every 30 s: a ping waits behind the frames already in the socket buffers, and a
	// slow reader under the race detector can take more than the 2 s pongWait of the 1 s default
	// here to reach it; this test is about the queue bound, not the heartbeat.
	s := start(t, url, func(c *bootstrap.Config) { c.WSQueueLimit, c.WSPingInterval = backlogQueueLimit, 30*time.Second })
	admin, user := s.adminHeader(t), s.userHeader(t, 7)

	heap := watchHeap(t)
	stopWriters := make(chan struct{})
	var (
		writers sync.WaitGroup
		live    atomic.Int64
	)
	for range 2 {
		writers.Go(func() {
			for {
				select {
				case <-stopWriters:
					return
				case <-time.After(5 * time.Millisecond):
				}
				if err := s.payNewOrder(t, user); err != nil {
					t.Error(err)
					return
				}
				live.Add(1)
			}
		})
	}
	stopOnce := sync.OnceFunc(func() { close(stopWriters); writers.Wait() })
	defer stopOnce()

	conn := dialSlowReader(t, s, "backlog", "lastAlertId=0&ticket="+s.ticket(t, admin))
	began := time.Now()

	var (
		got      = make([]int64, 0, backlogAlerts+2000)
		final    = int64(-1) // the newest id once the writers have stopped
		replayed time.Duration
		liveAt   int64 // alerts the writers had created when the backlog was through
	)
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
	for final < 0 || got[len(got)-1] < final {
		_, raw, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("after %d frames the socket ended: %v; the server logged:\n%s", len(got), err, s.logs)
		}
		id := frameID(t, raw)
		if len(got) == 0 || id == seeded[len(seeded)-1] {
			checkFrame(t, "alert", raw)
		}
		if len(got) > 0 && id <= got[len(got)-1] {
			t.Fatalf("id %d after %d: out of order or repeated", id, got[len(got)-1])
		}
		got = append(got, id)
		if len(got)%readerBurst == 0 {
			time.Sleep(readerPause) // a dashboard on a slow link
		}
		if id >= seeded[len(seeded)-1] && final < 0 {
			// The backlog is through; let the writers stop and read up to their last alert.
			replayed, liveAt = time.Since(began), live.Load()
			stopOnce()
			final = newestID(t, s.db)
		}
	}
	heap.stop()

	want := storedIDs(t, s.db)
	if !slices.Equal(got, want) {
		t.Fatalf("received %d ids, the log holds %d; first difference at index %d", len(got), len(want), firstDifference(got, want))
	}
	if liveAt == 0 {
		t.Errorf("no alert was created while the backlog was read: the seam was not exercised")
	}
	t.Logf("%d backlog + %d live alerts received in order once each; backlog through in %s with %d live alerts created meanwhile; heap grew by at most %.1f MB",
		backlogAlerts, len(want)-backlogAlerts, replayed.Round(time.Millisecond), liveAt, float64(heap.growth())/(1<<20))
	if g := heap.growth(); g > heapGrowthBound {
		t.Errorf("the heap grew by %d MB during the replay, over the %d MB bound", g>>20, heapGrowthBound>>20)
	}
}

func newestID(t *testing.T, db *bun.DB) int64 {
	t.Helper()
	var id int64
	if err := db.NewSelect().TableExpr("order_alerts").ColumnExpr("MAX(id)").Scan(t.Context(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func storedIDs(t *testing.T, db *bun.DB) []int64 {
	t.Helper()
	var ids []int64
	if err := db.NewSelect().TableExpr("order_alerts").Column("id").Order("id ASC").Scan(t.Context(), &ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

// heapWatch samples the heap every 20 ms and keeps the peak above the heap at its start.
type heapWatch struct {
	base uint64
	peak atomic.Uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func watchHeap(t *testing.T) *heapWatch {
	t.Helper()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w := &heapWatch{base: m.HeapAlloc, done: make(chan struct{})}
	w.wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-tick.C:
			}
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > w.peak.Load() {
				w.peak.Store(m.HeapAlloc)
			}
		}
	})
	t.Cleanup(w.stop)
	return w
}

func (w *heapWatch) stop() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	w.wg.Wait()
}

func (w *heapWatch) growth() uint64 {
	if p := w.peak.Load(); p > w.base {
		return p - w.base
	}
	return 0
}
