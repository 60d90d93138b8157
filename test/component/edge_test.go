package component_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"go.uber.org/fx"

	httpadapter "github.com/orderalert/orderalert/adapters/http"
)

// rawAnswer is one response read off a raw connection: its status line and headers as sent,
// and the envelope of its body.
type rawAnswer struct {
	resp *http.Response
	raw  string // the whole response, headers included
	env  struct {
		Code int             `json:"code"`
		Msg  *string         `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
}

// readAnswer reads one response from r and decodes its envelope; it fails the test if the
// answer is not the envelope in JSON.
func readAnswer(t *testing.T, r *bufio.Reader, what string) rawAnswer {
	t.Helper()
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("%s: no HTTP response: %v", what, err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatalf("%s: reading the body: %v", what, err)
	}
	head, _ := httputil.DumpResponse(resp, false)
	a := rawAnswer{resp: resp, raw: string(head) + string(body)}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: %d with Content-Type %q, not the envelope:\n%s", what, resp.StatusCode, ct, a.raw)
	}
	if err := json.Unmarshal(body, &a.env); err != nil || a.env.Code != 0 || a.env.Msg == nil {
		t.Fatalf("%s: %d, not a failure envelope:\n%s", what, resp.StatusCode, a.raw)
	}
	return a
}

// chinese reports whether msg is a message in Chinese, as every msg is: fasthttp's and Fiber's
// own messages are English.
func chinese(msg string) bool {
	for _, r := range msg {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestASilentConnectionIsClosedWithinTheReadTimeout: a client that connects and never sends a
// byte is disconnected once the read timeout has passed since the connection was accepted, and
// gets no answer: it holds a connection slot for no longer than that.
func TestASilentConnectionIsClosedWithinTheReadTimeout(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil, withTimeouts(500*time.Millisecond, time.Minute))
	silent := s.rawConn(t)
	got, err := io.ReadAll(silent)
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		t.Fatalf("a connection that sent nothing was still open after 20 s")
	}
	if len(got) != 0 {
		t.Fatalf("a connection that sent nothing was answered %q", got)
	}
}

// withMaxConnections lowers the number of HTTP connections the server serves at once.
func withMaxConnections(n int) fx.Option {
	return fx.Decorate(func(c httpadapter.Config) httpadapter.Config {
		c.MaxConnections = n
		return c
	})
}

// served sends GET /healthz on a new connection and reads the answer; it returns the open
// connection when the answer is 200 (the connection is kept, holding its slot) and nil with
// the answer when it was refused.
func (s *service) served(t *testing.T) (net.Conn, *rawAnswer) {
	t.Helper()
	conn := s.rawConn(t)
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: orderalert\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	peek, err := r.Peek(12)
	if err != nil {
		t.Fatalf("no answer on a new connection: %v", err)
	}
	if string(peek) == "HTTP/1.1 200" {
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return conn, nil
	}
	a := readAnswer(t, r, "a connection past the limit")
	closedByServer(t, r, "a refused connection")
	return nil, &a
}

// TestPastTheConnectionLimitANewConnectionGetsTheEnvelope: with room for 3 connections, the
// connection that finds them all held is answered at once with the envelope — 503, a Chinese
// msg, Retry-After and Connection: close — counted in
// orderalert_http_connections_refused_total and logged; dashboard sockets, once upgraded, hold
// no slot; and a slot freed by a client that leaves serves the next connection.
func TestPastTheConnectionLimitANewConnectionGetsTheEnvelope(t *testing.T) {
	t.Parallel()
	const limit = 3
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil, withMaxConnections(limit))
	admin := s.adminHeader(t) // its keep-alive connection may hold a slot: the loop below counts on none
	for i := range limit + 1 {
		d := s.connect(t, admin, "beyond-the-limit-"+string(rune('a'+i)), -1)
		t.Cleanup(func() { _ = d.conn.Close() })
	}
	var (
		held    []net.Conn
		refusal *rawAnswer
	)
	for range limit + 1 {
		conn, refused := s.served(t)
		if refused != nil {
			refusal = refused
			break
		}
		held = append(held, conn)
	}
	if refusal == nil {
		t.Fatalf("%d connections were served at once with a limit of %d", len(held), limit)
	}
	if r := refusal.resp; r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" || !r.Close ||
		!chinese(*refusal.env.Msg) || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("the refusal, want 503 with Retry-After, Connection: close, nosniff and a Chinese msg:\n%s", refusal.raw)
	}
	if !strings.Contains(s.logs.String(), "refused a connection") {
		t.Errorf("the refusal was not logged:\n%s", s.logs)
	}
	for _, conn := range held {
		_ = conn.Close()
	}
	// The server sees each close at once; a new connection may be refused until it has.
	for deadline := time.Now().Add(5 * time.Second); ; {
		conn, refused := s.served(t)
		if refused == nil {
			_ = conn.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the connections closed by their clients still hold their slots:\n%s", refused.raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if v, _ := s.scrape(t).value("orderalert_http_connections_refused_total"); v < 1 {
		t.Errorf("orderalert_http_connections_refused_total = %v, want at least 1", v)
	}
}

// TestARequestFramedTwiceIsRefusedAndItsConnectionClosed: a request with both Content-Length
// and Transfer-Encoding could be read differently by a proxy in front (request smuggling); it
// is answered 400 with the envelope and the connection is closed, so that the request that
// follows it on the connection is never answered (RFC 9112 §6.1).
func TestARequestFramedTwiceIsRefusedAndItsConnectionClosed(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil)
	for name, head := range map[string]string{
		"length first":   "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
		"encoding first": "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
		"any case":       "transfer-encoding: chunked\r\ncontent-length: 5\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			conn := s.rawConn(t)
			smuggled := "GET /healthz HTTP/1.1\r\nHost: orderalert\r\n" + head + "\r\n0\r\n\r\n" +
				"GET /healthz HTTP/1.1\r\nHost: orderalert\r\n\r\n"
			if _, err := io.WriteString(conn, smuggled); err != nil {
				t.Fatal(err)
			}
			r := bufio.NewReader(conn)
			a := readAnswer(t, r, "a request framed twice")
			if a.resp.StatusCode != http.StatusBadRequest || !a.resp.Close || !chinese(*a.env.Msg) {
				t.Fatalf("want 400, Connection: close and a Chinese msg:\n%s", a.raw)
			}
			rest, _ := io.ReadAll(r)
			if len(rest) != 0 {
				t.Fatalf("the request after it was answered:\n%s", rest)
			}
		})
	}
}

// TestWhatTheServerCannotParseGetsTheEnvelopeWithoutEcho: requests that fail before any route —
// a broken header, no method, a bad length, an unknown transfer coding, a header too large, an
// unknown method, a path that names a folder, a socket's path without an upgrade — are each answered with the envelope and a
// Chinese msg, and the answer never repeats the request (whose headers may carry a token).
func TestWhatTheServerCannotParseGetsTheEnvelopeWithoutEcho(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil)
	const marker = "Token: marker-0123456789\r\n"
	cases := []struct {
		name, request string
		status        int
	}{
		{"a space in a header name", "GET /healthz HTTP/1.1\r\nHost: orderalert\r\n" + marker + "Bad Header: x\r\n\r\n", 400},
		{"no method", "marker-0123456789\r\n" + marker + "\r\n", 400},
		{"a bad Content-Length", "POST /admin/employee/login HTTP/1.1\r\nHost: orderalert\r\n" + marker + "Content-Length: ten\r\n\r\n", 400},
		{"an unknown transfer coding", "POST /admin/employee/login HTTP/1.1\r\nHost: orderalert\r\n" + marker + "Transfer-Encoding: marker-0123456789\r\n\r\n", 400},
		{"a bad chunk", "POST /admin/employee/login HTTP/1.1\r\nHost: orderalert\r\n" + marker + "Transfer-Encoding: chunked\r\n\r\nmarker\r\n", 400},
		{"a header too large", "GET /healthz HTTP/1.1\r\nHost: orderalert\r\n" + marker + "X-Big: " + strings.Repeat("marker-0123456789", 600) + "\r\n\r\n", 431},
		{"an unknown method", "MARKER /healthz HTTP/1.1\r\nHost: orderalert\r\n" + marker + "\r\n", 501},
		{"a folder of the dashboard", "GET /. HTTP/1.1\r\nHost: orderalert\r\n" + marker + "\r\n", 403},
		{"a socket's path without an upgrade", "GET /ws/marker HTTP/1.1\r\nHost: orderalert\r\n" + marker + "\r\n", 426},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn := s.rawConn(t)
			if _, err := io.WriteString(conn, c.request); err != nil {
				t.Fatal(err)
			}
			a := readAnswer(t, bufio.NewReader(conn), c.name)
			if a.resp.StatusCode != c.status || !chinese(*a.env.Msg) {
				t.Errorf("want %d and a Chinese msg:\n%s", c.status, a.raw)
			}
			if strings.Contains(strings.ToLower(a.raw), "marker") {
				t.Errorf("the answer repeats the request:\n%s", a.raw)
			}
			if a.resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("no X-Content-Type-Options: nosniff:\n%s", a.raw)
			}
		})
	}
}
