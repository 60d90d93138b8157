package component_test

import (
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"

	"github.com/orderalert/orderalert/bootstrap"
)

// stalled opens a socket whose client never reads, with a tiny receive buffer so that the
// server's writes back up quickly, as behind a frozen browser tab.
func (s *service) stalled(t *testing.T, sid string) *fws.Conn {
	t.Helper()
	dialer := fws.Dialer{NetDial: func(network, addr string) (net.Conn, error) {
		d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			var sockErr error
			err := c.Control(func(fd uintptr) {
				sockErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048)
			})
			if err != nil {
				return err
			}
			return sockErr
		}}
		return d.Dial(network, addr)
	}}
	url := "ws" + strings.TrimPrefix(s.base, "http") + "/ws/" + sid + "?ticket=" + s.ticket(t, s.adminHeader(t))
	conn, resp, err := dialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// TestASocketThatStopsReadingIsClosedAndNobodyElseWaits: while 2,000 alerts flow, one socket
// never reads. It is closed as a slow consumer (4008, seen in the log: its client cannot read a
// close frame); the three healthy dashboards receive every alert, in order.
func TestASocketThatStopsReadingIsClosedAndNobodyElseWaits(t *testing.T) {
	t.Parallel()
	// Pings every 30 s: the stall must be caught by the queue bound or the write deadline, not
	// by the missing pong.
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), func(c *bootstrap.Config) { c.WSQueueLimit, c.WSPingInterval = 256, 30*time.Second })
	admin := s.adminHeader(t)
	healthy := []*dashboard{s.connect(t, admin, "healthy-1", -1), s.connect(t, admin, "healthy-2", -1), s.connect(t, admin, "healthy-3", -1)}
	s.stalled(t, "frozen-tab")
	waitAttached(t, s, append(healthy, nil))

	const writers, perWriter = 4, 500
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		latencies []time.Duration
	)
	user := s.userHeader(t, 7)
	for range writers {
		wg.Go(func() {
			for range perWriter {
				began := time.Now()
				if err := s.payNewOrder(t, user); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				latencies = append(latencies, time.Since(began))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(latencies)
	t.Logf("submit+pay calls: %d, p50 %s, p99 %s, max %s", len(latencies),
		latencies[len(latencies)/2], latencies[len(latencies)*99/100], latencies[len(latencies)-1])

	for i, d := range healthy {
		last := int64(0)
		for n := range writers * perWriter {
			f := d.next(t, 10*time.Second)
			if f.ID <= last {
				t.Fatalf("healthy dashboard %d: frame %d has id %d after %d", i, n, f.ID, last)
			}
			last = f.ID
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(s.logs.String(), "closing a slow dashboard socket") || !strings.Contains(s.logs.String(), "sid=frozen-tab") {
		if time.Now().After(deadline) {
			t.Fatalf("the stalled socket was not closed as slow; log:\n%s", s.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, line := range strings.Split(s.logs.String(), "\n") {
		if strings.Contains(line, "slow dashboard socket") && !strings.Contains(line, "sid=frozen-tab") {
			t.Errorf("a healthy socket was closed as slow: %s", line)
		}
		if strings.Contains(line, "slow dashboard socket") && !strings.Contains(line, fmt.Sprint("code=", 4008)) {
			t.Errorf("slow close without code 4008: %s", line)
		}
		if strings.Contains(line, "slow dashboard socket") {
			t.Log(line)
		}
	}
	// The metrics say the same: one socket closed with 4008, for one cause, and none of the
	// healthy ones.
	m := s.scrapeUntil(t, "the slow consumer's close", func(m metricSet) bool {
		v, _ := m.value("orderalert_ws_closes_total", "code", "4008")
		return v == 1
	})
	queueFull, _ := m.value("orderalert_ws_slow_consumer_closes_total", "cause", "queue_full")
	writeTimeout, _ := m.value("orderalert_ws_slow_consumer_closes_total", "cause", "write_timeout")
	if queueFull+writeTimeout != 1 {
		t.Errorf("slow consumer closes: queue_full %v, write_timeout %v; want one in all", queueFull, writeTimeout)
	}
	m.want(t, 3, "orderalert_ws_connections")
	m.want(t, writers*perWriter, "orderalert_alerts_created_total", "type", "1")
}
