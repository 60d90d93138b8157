package http

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// deadlineConn records the deadlines set on it.
type deadlineConn struct {
	net.Conn
	read, write time.Time
}

func (c *deadlineConn) SetReadDeadline(t time.Time) error  { c.read = t; return nil }
func (c *deadlineConn) SetWriteDeadline(t time.Time) error { c.write = t; return nil }
func (c *deadlineConn) Close() error                       { return nil }

// TestTheAcceptDeadlineHoldsUntilTheFirstRequestIsRead: until the first request has been read,
// no read deadline reaches past the accept time plus the read timeout — not fasthttp's, set
// again from the first byte, nor "none" — so the first byte counts; afterwards deadlines pass
// through, none at all included (an upgraded socket's pings govern it).
func TestTheAcceptDeadlineHoldsUntilTheFirstRequestIsRead(t *testing.T) {
	t.Parallel()
	headBy := time.Now().Add(10 * time.Second)
	raw := &deadlineConn{}
	conn := &edgeConn{Conn: raw, listener: &edgeListener{}, headBy: headBy}
	sooner, later := headBy.Add(-time.Second), headBy.Add(9*time.Second)
	for _, c := range []struct {
		name      string
		set, want time.Time
	}{
		{"fasthttp's timeout from the first byte", later, headBy},
		{"no deadline", time.Time{}, headBy},
		{"a sooner one", sooner, sooner},
	} {
		_ = conn.SetReadDeadline(c.set)
		if !raw.read.Equal(c.want) {
			t.Errorf("before the first request, %s: read deadline %v, want %v", c.name, raw.read, c.want)
		}
	}
	_ = conn.SetDeadline(time.Time{})
	if !raw.read.Equal(headBy) || !raw.write.IsZero() {
		t.Errorf("SetDeadline(none) before the first request: read %v, write %v; want %v and none", raw.read, raw.write, headBy)
	}
	conn.readHead()
	_ = conn.SetReadDeadline(later)
	if !raw.read.Equal(later) {
		t.Errorf("after the first request: read deadline %v, want %v", raw.read, later)
	}
	_ = conn.SetDeadline(time.Time{})
	if !raw.read.IsZero() || !raw.write.IsZero() {
		t.Errorf("an upgraded socket keeps a deadline: read %v, write %v", raw.read, raw.write)
	}
}

// countingObserver counts refused connections.
type countingObserver struct {
	nopObserver
	refused atomic.Int32
}

func (o *countingObserver) ConnectionRefused() { o.refused.Add(1) }

// TestTheListenerAnswersPastItsBound: with room for one connection, the second is answered with
// the envelope (503, Retry-After, Connection: close), counted and logged; a connection that
// leaves — closed, or upgraded — makes room for the next; an accepted connection has its read
// deadline from the start.
func TestTheListenerAnswersPastItsBound(t *testing.T) {
	t.Parallel()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	observer, logs := &countingObserver{}, &strings.Builder{}
	ln := newEdgeListener(raw, 1, 50*time.Millisecond, observer, slog.New(slog.NewTextHandler(logs, nil)))
	defer func() { _ = ln.Close() }()
	dial := func() net.Conn {
		t.Helper()
		c, err := net.DialTimeout("tcp", raw.Addr().String(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		return c
	}
	accepted := make(chan net.Conn)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()

	dial()
	first := <-accepted
	var netErr net.Error
	if _, err := first.Read(make([]byte, 1)); !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("reading a silent accepted connection: %v, want its read deadline to pass", err)
	}
	refused := dial()
	_, _ = io.WriteString(refused, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(refused), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var env envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || resp.StatusCode != http.StatusServiceUnavailable || env.Code != 0 ||
		env.Msg == nil || resp.Header.Get("Retry-After") == "" || !resp.Close {
		t.Fatalf("the refusal: %d %+v (%v), Retry-After %q, close %v", resp.StatusCode, env, err, resp.Header.Get("Retry-After"), resp.Close)
	}
	if observer.refused.Load() != 1 || !strings.Contains(logs.String(), "refused a connection") {
		t.Fatalf("refusals counted %d, logged:\n%s", observer.refused.Load(), logs)
	}

	first.(*edgeConn).leave() // upgraded: its slot is free, though it stays open
	dial()
	second := <-accepted
	_ = second.Close()
	_ = second.Close()
	_ = first.Close()
	if n := ln.open.Load(); n != 0 {
		t.Fatalf("%d connections counted once all have left, want 0: a slot was given back twice or not at all", n)
	}
}

func TestFramedTwice(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]bool{
		"Host: x\r\nContent-Length: 5\r\n":                            false,
		"Host: x\r\nTransfer-Encoding: chunked\r\n":                   false,
		"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n":         true,
		"transfer-encoding: identity\r\ncontent-length: 0\r\n":        true,
		"X-Content-Length: 5\r\nTransfer-Encoding: chunked\r\n":       false,
		"Host: x\r\nX-Note: Content-Length: 5, Transfer-Encoding\r\n": false,
	} {
		if got := framedTwice([]byte(raw)); got != want {
			t.Errorf("%q: %v, want %v", raw, got, want)
		}
	}
}
