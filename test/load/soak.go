package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	fws "github.com/fasthttp/websocket"
	"golang.org/x/sync/errgroup"
)

// SoakConfig is one soak: Sockets dashboards held open for Duration while alerts are created at
// Rate per second, with a Sample every Every.
type SoakConfig struct {
	Server     string
	AdminToken string
	UserToken  string
	PID        int    // the server's process, for its RSS; 0 skips it
	DebugAddr  string // the server's ORDERALERT_DEBUG_ADDR, for its goroutine count; "" skips it
	Sockets    int
	Duration   time.Duration
	Rate       float64 // alerts per second
	Every      time.Duration
	// Grace is how long after its payment returned an alert may still be on its way: a sample
	// counts an alert missing from a socket as lost only once it is older than this.
	Grace time.Duration
}

// SoakSample is the state at one moment of a soak.
type SoakSample struct {
	Elapsed    time.Duration
	Open       int   // sockets still open
	Sent       int   // alerts whose payment returned
	Received   int64 // frames received, all sockets
	Lost       int   // (socket, alert) pairs missing past the grace
	Duplicated int64
	RSSKiB     int64 // the server's; 0 when unknown
	HeapKiB    int64 // the server's Go heap in use; 0 when unknown
	Goroutines int   // the server's; -1 when unknown
}

// SoakResult is every sample and the final count, after the sockets had time to drain.
type SoakResult struct {
	Samples []SoakSample
	Final   SoakSample
	Errors  int // payments that failed
}

// soakSocket is one held dashboard: which alerts (by their index in sending order) it got.
type soakSocket struct {
	conn     *fws.Conn
	closed   atomic.Bool
	mu       sync.Mutex
	got      []uint64 // bit i: alert i arrived
	received int64
	dups     int64
}

// soakAlerts maps an order's id to its alert's index, as the payer learns them.
type soakAlerts struct {
	mu    sync.RWMutex
	index map[int64]int
	sent  []time.Time // when each alert's payment returned; zero until it has
}

// Soak holds the sockets, pays at the rate, calls report with a sample every cfg.Every, then
// stops paying, waits cfg.Grace for the last frames, and returns every sample and the final one.
func Soak(ctx context.Context, cfg SoakConfig, report func(SoakSample)) (SoakResult, error) {
	var res SoakResult
	a := newAPI(cfg.Server)
	alerts := &soakAlerts{index: map[int64]int{}}
	sockets, err := holdSockets(ctx, a, cfg, alerts)
	defer func() {
		for _, s := range sockets {
			_ = s.conn.Close()
		}
	}()
	if err != nil {
		return res, err
	}
	time.Sleep(time.Second) // let the server register every socket before the first alert
	began := time.Now()
	payCtx, stopPaying := context.WithTimeout(ctx, cfg.Duration)
	defer stopPaying()
	paid := make(chan int, 1)
	go func() { paid <- soakPay(payCtx, a, cfg, alerts) }()

	tick := time.NewTicker(cfg.Every)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-tick.C:
			s := sample(cfg, sockets, alerts, began, cfg.Grace)
			res.Samples = append(res.Samples, s)
			report(s)
		case res.Errors = <-paid:
			done = true
		}
	}
	select { // the last frames' way, unless the soak was interrupted
	case <-time.After(cfg.Grace):
	case <-ctx.Done():
	}
	res.Final = sample(cfg, sockets, alerts, began, 0)
	return res, ctx.Err()
}

// holdSockets opens the sockets, each with its own ticket and a reader that marks arrivals.
func holdSockets(ctx context.Context, a *api, cfg SoakConfig, alerts *soakAlerts) ([]*soakSocket, error) {
	sockets := make([]*soakSocket, cfg.Sockets)
	d := dialer()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(64)
	for i := range sockets {
		g.Go(func() error {
			conn, err := dialDashboard(gctx, a, d, cfg.Server, cfg.AdminToken, "soak-"+strconv.Itoa(i))
			if err != nil {
				return fmt.Errorf("socket %d: %w", i, err)
			}
			sockets[i] = &soakSocket{conn: conn}
			go sockets[i].read(alerts)
			return nil
		})
	}
	err := g.Wait()
	var open []*soakSocket
	for _, s := range sockets {
		if s != nil {
			open = append(open, s)
		}
	}
	return open, err
}

// read marks each alert as it arrives, into one reused buffer: the tool must not take the
// server's CPU with garbage over a long run.
func (s *soakSocket) read(alerts *soakAlerts) {
	defer s.closed.Store(true)
	buf := make([]byte, 1024)
	for {
		_, r, err := s.conn.NextReader()
		if err != nil {
			return
		}
		n, err := io.ReadFull(r, buf)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return
		}
		id, ok := orderID(buf[:n])
		if !ok {
			continue
		}
		alerts.mu.RLock()
		i, known := alerts.index[id]
		alerts.mu.RUnlock()
		if known {
			s.mark(i)
		}
	}
}

func (s *soakSocket) mark(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.got) <= i/64 {
		s.got = append(s.got, 0)
	}
	bit := uint64(1) << (i % 64)
	if s.got[i/64]&bit != 0 {
		s.dups++
		return
	}
	s.got[i/64] |= bit
	s.received++
}

// missing counts the alerts of due (indices) that the socket has not received.
func (s *soakSocket) missing(due []int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, i := range due {
		if i/64 >= len(s.got) || s.got[i/64]&(uint64(1)<<(i%64)) == 0 {
			n++
		}
	}
	return n
}
