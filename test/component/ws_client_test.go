package component_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
)

// dashboard is a real WebSocket client of /ws, reading in its own goroutine as a browser does.
type dashboard struct {
	conn   *fws.Conn
	frames chan []byte
	done   chan struct{}
	mu     sync.Mutex
	err    error // why reading stopped
}

// ticket gets a fresh single-use ticket for the admin.
func (s *service) ticket(t *testing.T, admin http.Header) string {
	t.Helper()
	r := s.call(t, http.MethodPost, "/admin/ws/ticket", admin, nil)
	expect(t, r, http.StatusOK, 1)
	return decode[struct{ Ticket string }](t, r).Ticket
}

// dial opens /ws/{sid} with the query and header given; it may run on any goroutine.
func (s *service) dial(sid, query string, header http.Header) (*fws.Conn, *http.Response, error) {
	url := "ws" + strings.TrimPrefix(s.base, "http") + "/ws/" + sid
	if query != "" {
		url += "?" + query
	}
	d := fws.Dialer{HandshakeTimeout: 5 * time.Second}
	return d.Dial(url, header)
}

// connect opens a dashboard socket with a fresh ticket; lastAlertID < 0 means live alerts only.
func (s *service) connect(t *testing.T, admin http.Header, sid string, lastAlertID int64) *dashboard {
	t.Helper()
	d, err := s.tryConnect(t, admin, sid, lastAlertID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tryConnect is connect for any goroutine: it returns what went wrong.
func (s *service) tryConnect(t *testing.T, admin http.Header, sid string, lastAlertID int64) (*dashboard, error) {
	return s.tryConnectWith(t, admin, sid, lastAlertID, "")
}

// tryConnectWith is tryConnect with more query parameters ("events=1").
func (s *service) tryConnectWith(t *testing.T, admin http.Header, sid string, lastAlertID int64, extra string) (*dashboard, error) {
	status, raw, err := s.send(t, http.MethodPost, "/admin/ws/ticket", admin, nil)
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("ticket: %d %s: %w", status, raw, err)
	}
	var ticket struct{ Data struct{ Ticket string } }
	if err := json.Unmarshal(raw, &ticket); err != nil {
		return nil, err
	}
	query := "ticket=" + ticket.Data.Ticket
	if lastAlertID >= 0 {
		query += "&lastAlertId=" + strconv.FormatInt(lastAlertID, 10)
	}
	if extra != "" {
		query += "&" + extra
	}
	conn, resp, err := s.dial(sid, query, nil)
	if resp != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("dial /ws/%s: %w", sid, err)
	}
	return listen(t, conn), nil
}

func listen(t *testing.T, conn *fws.Conn) *dashboard {
	d := &dashboard{conn: conn, frames: make(chan []byte, 100_000), done: make(chan struct{})}
	go func() {
		defer close(d.done)
		for {
			_, msg, err := conn.ReadMessage()
			if err != nil {
				d.mu.Lock()
				d.err = err
				d.mu.Unlock()
				return
			}
			d.frames <- msg
		}
	}()
	t.Cleanup(func() { _ = conn.Close() })
	return d
}

// next returns the next alert frame, failing after wait.
func (d *dashboard) next(t *testing.T, wait time.Duration) alertFrame {
	t.Helper()
	raw := d.nextRaw(t, wait)
	var f alertFrame
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("frame %q: %v", raw, err)
	}
	return f
}

// nextRaw returns the next frame as it came, failing after wait.
func (d *dashboard) nextRaw(t *testing.T, wait time.Duration) []byte {
	t.Helper()
	select {
	case raw := <-d.frames:
		return raw
	case <-d.done:
		t.Fatalf("the socket ended: %v", d.readErr())
	case <-time.After(wait):
		t.Fatalf("no frame within %s", wait)
	}
	return nil
}

// quiet fails if a frame arrives within wait.
func (d *dashboard) quiet(t *testing.T, wait time.Duration) {
	t.Helper()
	select {
	case raw := <-d.frames:
		t.Fatalf("unexpected frame %s", raw)
	case <-time.After(wait):
	}
}

// closedWith waits for the server to close the socket and returns the close code (0 if the
// connection ended without a close frame).
func (d *dashboard) closedWith(t *testing.T, wait time.Duration) int {
	t.Helper()
	select {
	case <-d.done:
	case <-time.After(wait):
		t.Fatalf("the socket is still open after %s", wait)
	}
	var ce *fws.CloseError
	if errors.As(d.readErr(), &ce) {
		return ce.Code
	}
	return 0
}

func (d *dashboard) readErr() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}
