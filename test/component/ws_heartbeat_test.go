package component_test

import (
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
)

// TestHeartbeatSocketStaysOpenAcrossPings: a ?heartbeat=1 socket, as the bundled dashboard
// opens it, is pinged like any other and stays open for as long as it answers: across six ping
// intervals (1 s here) it gets a ping and a {"type":0} every interval, is never closed, and
// still rings for an alert afterwards. (The server used to send the heartbeat instead of the
// ping, so nothing extended the read deadline and it closed every such socket after two
// intervals with 1000.)
func TestHeartbeatSocketStaysOpenAcrossPings(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", nil)
	admin, user := s.adminHeader(t), s.userHeader(t, 7)
	conn, resp, err := s.dial("beating", "heartbeat=1&ticket="+s.ticket(t, admin), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	var pings atomic.Int32
	conn.SetPingHandler(func(data string) error {
		pings.Add(1)
		return conn.WriteControl(fws.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	d := listen(t, conn)
	for range 6 {
		if raw := d.nextRaw(t, 5*time.Second); string(raw) != `{"type":0}` {
			t.Fatalf("before any alert: frame %s, want a heartbeat", raw)
		}
	}
	if n := pings.Load(); n < 5 {
		t.Fatalf("%d pings came with 6 heartbeats, want one per interval", n)
	}
	if err := s.payNewOrder(t, user); err != nil {
		t.Fatal(err)
	}
	if f := nextAlert(t, d, 5*time.Second); f.Type != 1 {
		t.Fatalf("after six intervals: %+v, want the new order", f)
	}
	if closes := s.scrape(t)["orderalert_ws_closes_total"]; closes != nil && len(closes.GetMetric()) > 0 {
		t.Fatalf("the server closed sockets: %v", closes.GetMetric())
	}
}

// nextAlert returns the next alert frame, skipping heartbeats.
func nextAlert(t *testing.T, d *dashboard, wait time.Duration) alertFrame {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		raw := d.nextRaw(t, time.Until(deadline))
		if string(raw) == `{"type":0}` {
			continue
		}
		var f alertFrame
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatalf("frame %q: %v", raw, err)
		}
		return f
	}
}
