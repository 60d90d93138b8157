package component_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	httpadapter "github.com/orderalert/orderalert/adapters/http"
)

// withTimeouts shortens the HTTP server's read and idle timeouts, so that a test can watch
// them act.
func withTimeouts(read, idle time.Duration) fx.Option {
	return fx.Decorate(func(c httpadapter.Config) httpadapter.Config {
		c.ReadTimeout, c.IdleTimeout = read, idle
		return c
	})
}

// rawConn is a plain TCP connection to the service, with a deadline that bounds the test.
func (s *service) rawConn(t *testing.T) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(s.base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if err := conn.SetDeadline(time.Now().Add(20 * time.Second)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// closedByServer reads until the server closes the connection; it fails if the test's own
// deadline comes first.
func closedByServer(t *testing.T, r io.Reader, what string) {
	t.Helper()
	_, err := io.Copy(io.Discard, r)
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		t.Fatalf("%s: the server kept the connection open for 20 s", what)
	}
}

// TestTheServerClosesSlowAndIdleConnections: with a 500 ms read timeout and a 500 ms idle
// timeout, a client that sends half a request header is disconnected, and so is a keep-alive
// connection left idle after a request; a whole request is answered, and a dashboard socket,
// which has deadlines of its own, outlives both timeouts and still rings.
func TestTheServerClosesSlowAndIdleConnections(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil, withTimeouts(500*time.Millisecond, 500*time.Millisecond))
	admin, user := s.adminHeader(t), s.userHeader(t, 7)
	d := s.connect(t, admin, "outlives-the-timeouts", -1)
	waitAttached(t, s, []*dashboard{d})

	slow := s.rawConn(t)
	if _, err := io.WriteString(slow, "GET /healthz HTTP/1.1\r\nHost: orderalert\r\nX-Half: "); err != nil {
		t.Fatal(err)
	}
	closedByServer(t, slow, "half a request header")

	idle := s.rawConn(t)
	if _, err := io.WriteString(idle, "GET /healthz HTTP/1.1\r\nHost: orderalert\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	reader := bufio.NewReader(idle)
	resp, err := http.ReadResponse(reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("a whole request: %d (close %v), %v; want 200 on a connection kept alive", resp.StatusCode, resp.Close, err)
	}
	_ = resp.Body.Close()
	closedByServer(t, reader, "an idle keep-alive connection")

	if err := s.payNewOrder(t, user); err != nil {
		t.Fatal(err)
	}
	if f := d.next(t, 10*time.Second); f.Type != 1 {
		t.Fatalf("frame %+v, want a new-order alert", f)
	}
}
