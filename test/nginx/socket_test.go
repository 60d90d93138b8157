package nginx_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
)

// frame is one alert as the socket delivers it.
type frame struct {
	ID      int64
	Type    int
	OrderID int64
}

// socket is a dashboard connection read by its own goroutine, as a browser reads it. It
// answers the server's pings as a browser does, and counts them.
type socket struct {
	conn   *fws.Conn
	frames chan frame
	done   chan struct{}
	err    error // why reading stopped; read after done is closed
	pings  atomic.Int64
}

// dialSocket opens /ws/{sid}?ticket=… through the proxy with the Origin given and returns
// the handshake's status with the socket (nil when it was refused).
func dialSocket(t *testing.T, p *proxy, sid, ticket, origin string) (*socket, int) {
	t.Helper()
	url := "ws" + strings.TrimPrefix(p.base(), "http") + "/ws/" + sid + "?ticket=" + ticket
	d := fws.Dialer{HandshakeTimeout: 5 * time.Second, TLSClientConfig: p.clientTLS}
	conn, resp, err := d.Dial(url, http.Header{"Origin": {origin}})
	status := 0
	if resp != nil {
		status = resp.StatusCode
		_ = resp.Body.Close()
	}
	if err != nil {
		if resp == nil {
			t.Fatalf("dial %s: %v", sid, err)
		}
		return nil, status
	}
	s := &socket{conn: conn, frames: make(chan frame, 64), done: make(chan struct{})}
	conn.SetPingHandler(func(data string) error {
		s.pings.Add(1)
		err := conn.WriteControl(fws.PongMessage, []byte(data), time.Now().Add(time.Second))
		if errors.Is(err, fws.ErrCloseSent) {
			return nil
		}
		return err
	})
	go s.read()
	t.Cleanup(func() {
		_ = conn.Close()
		<-s.done
	})
	return s, status
}

func (s *socket) read() {
	defer close(s.done)
	for {
		_, raw, err := s.conn.ReadMessage()
		if err != nil {
			s.err = err
			return
		}
		var f frame
		if err := json.Unmarshal(raw, &f); err != nil {
			s.err = err
			return
		}
		s.frames <- f
	}
}

// next is the next frame, failing the test if none comes within wait or the socket ends.
func (s *socket) next(t *testing.T, wait time.Duration) frame {
	t.Helper()
	select {
	case f := <-s.frames:
		return f
	case <-s.done:
		t.Fatalf("socket ended while a frame was expected: %v", s.err)
	case <-time.After(wait):
		t.Fatalf("no frame within %s", wait)
	}
	return frame{}
}

// quiet fails the test if a frame arrives or the socket ends within wait.
func (s *socket) quiet(t *testing.T, wait time.Duration) {
	t.Helper()
	select {
	case f := <-s.frames:
		t.Fatalf("unexpected frame %+v", f)
	case <-s.done:
		t.Fatalf("socket ended: %v", s.err)
	case <-time.After(wait):
	}
}

// close sends a normal closure and waits for the reader to end.
func (s *socket) close() {
	_ = s.conn.WriteControl(fws.CloseMessage, fws.FormatCloseMessage(fws.CloseNormalClosure, ""), time.Now().Add(time.Second))
	select {
	case <-s.done:
	case <-time.After(3 * time.Second):
	}
	_ = s.conn.Close()
}
