package component_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
)

// shopFrame is what the isolation test reads of an alert, on a socket or in the history.
type shopFrame struct {
	ID      int64 `json:"id"`
	Type    int   `json:"type"`
	ShopID  int64 `json:"shopId"`
	OrderID int64 `json:"orderId"`
}

// viewer is one dashboard of an account over its whole life: a socket that is dropped and
// reopened with lastAlertId, on any instance, and every alert frame it received, in order.
type viewer struct {
	owner *account
	sid   string
	query string  // &shopId=… and &events=1, as opened
	scope []int64 // the shops it watches; nil: every shop

	mu     sync.Mutex
	frames []shopFrame
	conn   *fws.Conn
	done   chan struct{}
	bad    error // a frame that could not be read
}

// connect opens the socket on s, resuming after the last alert received (0 the first time).
func (v *viewer) connect(t *testing.T, s *service) {
	t.Helper()
	query := "ticket=" + s.ticket(t, v.owner.header) + "&lastAlertId=" + strconv.FormatInt(v.last(), 10) + v.query
	conn, resp, err := s.dial(v.sid, query, nil)
	if resp != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		t.Fatalf("%s opening /ws/%s?…%s: %v", v.owner.username, v.sid, v.query, err)
	}
	v.conn, v.done = conn, make(chan struct{})
	t.Cleanup(func() { _ = conn.Close() })
	go v.read(conn, v.done)
}

// reconnect drops the socket as a network would — no close frame — and opens it again on s.
func (v *viewer) reconnect(t *testing.T, s *service) {
	t.Helper()
	_ = v.conn.Close()
	<-v.done
	v.connect(t, s)
}

func (v *viewer) read(conn *fws.Conn, done chan struct{}) {
	defer close(done)
	for {
		_, raw, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var f shopFrame
		if err := json.Unmarshal(raw, &f); err != nil {
			v.mu.Lock()
			v.bad = fmt.Errorf("frame %q: %w", raw, err)
			v.mu.Unlock()
			return
		}
		if f.Type == 0 {
			continue // a heartbeat
		}
		v.mu.Lock()
		v.frames = append(v.frames, f)
		v.mu.Unlock()
	}
}

// last is the id of the last alert received, 0 before any.
func (v *viewer) last() int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.frames) == 0 {
		return 0
	}
	return v.frames[len(v.frames)-1].ID
}

// received is every alert frame so far and the reading error, if any.
func (v *viewer) received() ([]shopFrame, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]shopFrame(nil), v.frames...), v.bad
}

// waitFor waits until the viewer has n frames or the deadline has passed.
func (v *viewer) waitFor(n int, deadline time.Time) {
	for ; time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got, _ := v.received(); len(got) >= n {
			return
		}
	}
}

// dialStatus is the HTTP status an upgrade of /ws/sid with query gets on s.
func dialStatus(t *testing.T, s *service, sid, query string) int {
	t.Helper()
	conn, resp, err := s.dial(sid, query, nil)
	if err == nil {
		_ = conn.Close()
		return http.StatusSwitchingProtocols
	}
	if resp == nil {
		t.Fatalf("dial /ws/%s: %v", sid, err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
