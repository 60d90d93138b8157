package component_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
)

// dialResult is one upgrade attempt: the socket, or the HTTP refusal.
type dialResult struct {
	conn   *fws.Conn
	status int
	msg    string
	err    error
}

// dialAs opens /ws/{sid} with an admin token of empID.
func (s *service) dialAs(t *testing.T, empID int64, sid string) dialResult {
	tok, err := s.tokens.Issue(application.RoleAdmin, application.Claims{Subject: empID})
	if err != nil {
		return dialResult{err: err}
	}
	conn, resp, err := s.dial(sid, "", http.Header{"Token": {tok.Value}})
	res := dialResult{conn: conn, err: err}
	if resp != nil {
		res.status = resp.StatusCode
		var env struct {
			Code int
			Msg  string
		}
		if raw, readErr := io.ReadAll(resp.Body); readErr == nil && json.Unmarshal(raw, &env) == nil && env.Code == 0 {
			res.msg = env.Msg
		}
		_ = resp.Body.Close()
	}
	if conn != nil {
		t.Cleanup(func() { _ = conn.Close() })
	}
	return res
}

// dialMany dials n sockets of empID at once, with sids prefix-0…, and sorts the results into
// the sockets opened and the refusals by status.
func (s *service) dialMany(t *testing.T, empID int64, prefix string, n int) ([]*fws.Conn, map[int]int) {
	t.Helper()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		opened  []*fws.Conn
		refused = map[int]int{}
		start   = make(chan struct{})
	)
	for i := range n {
		wg.Go(func() {
			<-start
			r := s.dialAs(t, empID, fmt.Sprintf("%s-%d", prefix, i))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case r.err == nil:
				opened = append(opened, r.conn)
			case r.status != 0 && r.msg != "":
				refused[r.status]++
			default:
				t.Errorf("dial %s-%d: %v (status %d)", prefix, i, r.err, r.status)
			}
		})
	}
	close(start)
	wg.Wait()
	return opened, refused
}

// TestSocketLimitsAreExact: with at most 6 dashboards per instance and 4 per admin, 20
// concurrent upgrades by admin 1 open exactly 4 (the rest 429), then 20 by admin 2 exactly the 2
// left (the rest 503), all refused before the upgrade with the envelope. Closing one lets exactly
// one more in; replacing a page by its sid takes no new slot and leaks none; failed upgrades
// leak none; closing everything frees every slot.
func TestSocketLimitsAreExact(t *testing.T) {
	t.Parallel()
	url := filepath.Join(t.TempDir(), "orderalert.db")
	s := start(t, url, func(c *bootstrap.Config) { c.WSMaxConnections, c.WSMaxPerAdmin = 6, 4 })
	addAccounts(t, url, "two", "three", "four") // admins 2–4: a token acts only for an account

	first, refused := s.dialMany(t, 1, "one", 20)
	if len(first) != 4 || refused[http.StatusTooManyRequests] != 16 {
		t.Fatalf("admin 1: %d opened, refused %v; want 4 opened and 16 × 429", len(first), refused)
	}
	second, refused := s.dialMany(t, 2, "two", 20)
	if len(second) != 2 || refused[http.StatusServiceUnavailable] != 18 {
		t.Fatalf("admin 2: %d opened, refused %v; want 2 opened and 18 × 503", len(second), refused)
	}

	open := slices.Concat(first, second)
	keep := func(r dialResult) bool {
		if r.err != nil {
			return false
		}
		open = append(open, r.conn)
		return true
	}
	_ = first[0].Close()
	s.eventually(t, "a slot frees when a socket closes", func() bool { return keep(s.dialAs(t, 2, "two-late")) })
	if r := s.dialAs(t, 2, "two-later"); r.status != http.StatusServiceUnavailable {
		t.Fatalf("a seventh dashboard: %v %d, want 503", r.err, r.status)
	}

	// Upgrades that fail after the limits were checked give their slot back.
	_ = first[1].Close()
	for i := range 10 {
		s.eventually(t, "an upgrade without a key is answered 426", func() bool {
			return s.brokenUpgrade(t, 1, fmt.Sprint("broken-", i)) == http.StatusUpgradeRequired
		})
	}
	// Admin 1 reloads a page ten times at the limit: the same sid replaces the socket (4509)
	// and shares its slot, so each reload is admitted and nothing leaks.
	s.eventually(t, "the page's first socket opens", func() bool { return keep(s.dialAs(t, 1, "page")) })
	for i := range 10 {
		if r := s.dialAs(t, 1, "page"); !keep(r) {
			t.Fatalf("reload %d of a page at the limit: %v %d %s", i, r.err, r.status, r.msg)
		}
	}
	if r := s.dialAs(t, 1, "one-more"); r.status != http.StatusServiceUnavailable {
		t.Fatalf("with 6 dashboards open: %v %d, want 503", r.err, r.status)
	}

	// Close everything: the limits admit exactly as many as at first (a leaked slot would keep
	// one of these waits from ever succeeding).
	for _, c := range open {
		_ = c.Close()
	}
	for i := range 4 {
		s.eventually(t, "a slot of admin 3 frees", func() bool { return keep(s.dialAs(t, 3, fmt.Sprint("three-", i))) })
	}
	if r := s.dialAs(t, 3, "three-4"); r.status != http.StatusTooManyRequests {
		t.Fatalf("admin 3's fifth dashboard: %v %d, want 429", r.err, r.status)
	}
	for i := range 2 {
		s.eventually(t, "a slot of the instance frees", func() bool { return keep(s.dialAs(t, 4, fmt.Sprint("four-", i))) })
	}
	if r := s.dialAs(t, 4, "four-2"); r.status != http.StatusServiceUnavailable {
		t.Fatalf("a seventh dashboard: %v %d, want 503", r.err, r.status)
	}
}

// brokenUpgrade sends an upgrade request that passes every check but lacks Sec-WebSocket-Key,
// so the upgrade itself fails, and returns the status.
func (s *service) brokenUpgrade(t *testing.T, empID int64, sid string) int {
	t.Helper()
	tok, err := s.tokens.Issue(application.RoleAdmin, application.Claims{Subject: empID})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(s.base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET /ws/%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nToken: %s\r\n\r\n", sid, strings.TrimPrefix(s.base, "http://"), tok.Value)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// eventually polls cond for up to 10 s.
func (s *service) eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 10 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
