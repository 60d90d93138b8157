package fault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	fws "github.com/fasthttp/websocket"
)

// Reconnection backoff of the test dashboards: the web dashboard's full-jitter exponential
// backoff, scaled down so that a test does not wait for it.
const (
	backoffMin = 20 * time.Millisecond
	backoffMax = 300 * time.Millisecond
)

// alertFrame is what the tests read of a frame.
type alertFrame struct {
	ID      int64 `json:"id"`
	Type    int   `json:"type"`
	OrderID int64 `json:"orderId"`
}

// socketLog is what happened on one socket of a dashboard.
type socketLog struct {
	base      string
	opened    time.Time
	ended     time.Time // zero while open
	frames    int
	closeCode int // the server's close code; 0 when the connection just ended
	err       string
	byUs      bool // the dashboard closed it (recycled, or stopped)
}

// dashboard is a real WebSocket client of /ws that behaves like the web dashboard: one sid for
// its whole life, a fresh ticket for each attempt (or the admin token in the header, as
// non-browser clients may), reconnection with lastAlertId after any close but 4509, jittered
// backoff, and each id handled once. It tries its instances in order, moving to the next when
// one refuses, as a dashboard behind a load balancer ends up on a live instance.
type dashboard struct {
	dashboardConfig

	mu         sync.Mutex
	seen       map[int64]alertFrame
	last       int64 // lastAlertId: the newest id handled
	repeats    int   // frames of ids already handled, on a later socket
	refusals   int   // connection attempts that failed (refused, 503, …)
	sockets    []*socketLog
	violations []string

	cancel context.CancelFunc
	done   chan struct{}
}

// dashboardConfig describes a dashboard.
type dashboardConfig struct {
	sid       string
	useTicket bool     // a ticket for each socket, else the admin token in the header
	token     string   // the admin's
	bases     []string // instances in the order tried
	// recycle, when set, makes the dashboard drop each socket this long after opening it and
	// resume on a new one, as a flaky network would.
	recycle time.Duration
}

// openDashboard starts a dashboard that resumes from lastAlertId 0; stop ends it.
func openDashboard(ctx context.Context, cfg dashboardConfig) *dashboard {
	ctx, cancel := context.WithCancel(ctx)
	d := &dashboard{dashboardConfig: cfg, seen: map[int64]alertFrame{}, cancel: cancel, done: make(chan struct{})}
	go d.run(ctx)
	return d
}

func (d *dashboard) stop() {
	d.cancel()
	<-d.done
}

func (d *dashboard) auth() string {
	if d.useTicket {
		return "ticket"
	}
	return "token header"
}

func (d *dashboard) run(ctx context.Context) {
	defer close(d.done)
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	next, failures := 0, 0
	for ctx.Err() == nil {
		base := d.bases[next%len(d.bases)]
		conn, err := d.dial(ctx, client, base)
		if err != nil {
			d.mu.Lock()
			d.refusals++
			d.mu.Unlock()
			failures++
			next++ // this instance refuses: try the next one
			pause(ctx, backoff(failures))
			continue
		}
		failures = 0
		switch d.read(ctx, conn, base) {
		case 4509:
			d.violate("socket replaced (4509) although the sid is this dashboard's alone")
			return
		case 4010:
			d.violate("told to resync (4010): the server has no alert up to this dashboard's lastAlertId")
		}
		pause(ctx, backoff(0))
	}
}

// backoff is full jitter up to min·2^attempt, at most backoffMax.
func backoff(attempt int) time.Duration {
	ceiling := min(backoffMax, backoffMin<<min(attempt, 10))
	return time.Duration(rand.Int64N(int64(ceiling)) + 1)
}

func (d *dashboard) dial(ctx context.Context, client *http.Client, base string) (*fws.Conn, error) {
	d.mu.Lock()
	query := "lastAlertId=" + strconv.FormatInt(d.last, 10)
	d.mu.Unlock()
	header := http.Header{}
	if d.useTicket {
		ticket, err := issueTicket(ctx, client, base, d.token)
		if err != nil {
			return nil, err
		}
		query += "&ticket=" + ticket
	} else {
		header.Set("Token", d.token)
	}
	dialer := fws.Dialer{HandshakeTimeout: 5 * time.Second}
	url := "ws" + strings.TrimPrefix(base, "http") + "/ws/" + d.sid + "?" + query
	conn, resp, err := dialer.DialContext(ctx, url, header)
	if resp != nil {
		_ = resp.Body.Close()
	}
	return conn, err
}

func issueTicket(ctx context.Context, client *http.Client, base, adminToken string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/admin/ws/ticket", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Token", adminToken)
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	var env struct {
		Code int
		Data struct{ Ticket string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Code != 1 {
		return "", fmt.Errorf("ticket: HTTP %d: %w", resp.StatusCode, err)
	}
	return env.Data.Ticket, nil
}

// read handles one socket's frames until it ends and returns the server's close code.
func (d *dashboard) read(ctx context.Context, conn *fws.Conn, base string) int {
	s := &socketLog{base: base, opened: time.Now()}
	d.mu.Lock()
	d.sockets = append(d.sockets, s)
	number := len(d.sockets)
	d.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	var dropped atomic.Bool
	if d.recycle > 0 {
		drop := time.AfterFunc(d.recycle, func() { dropped.Store(true); _ = conn.Close() })
		defer drop.Stop()
	}
	defer func() { _ = conn.Close() }()
	var previous int64
	for {
		_, raw, err := conn.ReadMessage()
		if err != nil {
			d.mu.Lock()
			defer d.mu.Unlock()
			s.ended, s.err, s.byUs = time.Now(), err.Error(), ctx.Err() != nil || dropped.Load()
			var ce *fws.CloseError
			if errors.As(err, &ce) {
				s.closeCode = ce.Code
			}
			return s.closeCode
		}
		var f alertFrame
		if err := json.Unmarshal(raw, &f); err != nil || f.ID <= 0 {
			d.violate(fmt.Sprintf("frame %q is not an alert", raw))
			continue
		}
		if f.ID <= previous {
			d.violate(fmt.Sprintf("socket %d on %s: id %d after %d", number, base, f.ID, previous))
		}
		previous = f.ID
		d.handle(s, f)
	}
}

// handle records a frame once per id, as the web dashboard drops ids up to its lastAlertId.
func (d *dashboard) handle(s *socketLog, f alertFrame) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s.frames++
	if _, dup := d.seen[f.ID]; dup || f.ID <= d.last {
		d.repeats++
		return
	}
	d.seen[f.ID] = f
	d.last = f.ID
}

func (d *dashboard) violate(what string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.violations = append(d.violations, what)
}

// missing are the ids of want this dashboard has not handled yet.
func (d *dashboard) missing(want []alertFrame) []int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	var ids []int64
	for _, a := range want {
		if _, ok := d.seen[a.ID]; !ok {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// openSocket is the socket open right now, or nil.
func (d *dashboard) openSocket() *socketLog {
	d.mu.Lock()
	defer d.mu.Unlock()
	if n := len(d.sockets); n > 0 && d.sockets[n-1].ended.IsZero() {
		return d.sockets[n-1]
	}
	return nil
}

// socketsSnapshot copies the sockets' logs.
func (d *dashboard) socketsSnapshot() []socketLog {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]socketLog, len(d.sockets))
	for i, s := range d.sockets {
		out[i] = *s
	}
	return out
}

// closeCodes summarises how the server ended the dashboard's sockets: code×count, 0 for a
// connection that ended without a close frame.
func (d *dashboard) closeCodes() string {
	counts := map[int]int{}
	for _, s := range d.sockets {
		if !s.ended.IsZero() && !s.byUs {
			counts[s.closeCode]++
		}
	}
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%d×%d", code, counts[code]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
