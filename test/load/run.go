package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	fws "github.com/fasthttp/websocket"
	"golang.org/x/sync/errgroup"
)

// receipt is one frame as a socket received it.
type receipt struct {
	orderID int64
	at      time.Time
}

// socket is one dashboard connection and what it received. receipts belongs to the reader
// goroutine until closed is closed; count may be read at any time.
type socket struct {
	conn     *fws.Conn
	shop     int64 // whose alerts it is owed; 0 in a run without shops
	receipts []receipt
	count    atomic.Int64
	closed   chan struct{}
	closeErr error
}

// order is one pre-created order, in shop (0 in a run without shops).
type order struct {
	ID          int64
	OrderNumber string
	shop        int64
}

// Run performs one load run and returns its figures.
func Run(ctx context.Context, cfg Config) (Result, error) {
	a := newAPI(cfg.Server)
	res := Result{Sockets: cfg.Sockets, Stalled: cfg.Stalled, Alerts: cfg.Alerts, Rate: cfg.Rate, Shops: len(cfg.Shops)}
	orders, err := createOrders(ctx, a, cfg)
	if err != nil {
		return res, err
	}
	idle, _ := readProc(cfg.PID)
	began := time.Now()
	sockets, err := connect(ctx, a, cfg)
	defer func() {
		for _, s := range sockets {
			_ = s.conn.Close()
		}
	}()
	if err != nil {
		return res, err
	}
	res.ConnectSeconds = time.Since(began).Seconds()
	time.Sleep(time.Second) // let the server register every socket before the first alert
	connected, _ := readProc(cfg.PID)
	clientBefore, _ := readProc(os.Getpid())

	sent, httpLatencies, err := pay(ctx, a, cfg, orders)
	if err != nil {
		return res, err
	}
	waitForFrames(sockets[cfg.Stalled:], owedPerShop(orders), cfg.Drain)
	after, _ := readProc(cfg.PID)
	clientAfter, _ := readProc(os.Getpid())
	res.ClientCPU = clientAfter.cpuSeconds - clientBefore.cpuSeconds

	tally(&res, sockets, cfg.Stalled, sent, shopOf(orders))
	res.HTTPp50, res.HTTPp99 = percentile(httpLatencies, 50), percentile(httpLatencies, 99)
	res.IdleRSSKiB, res.ConnectedRSS, res.PeakRSSKiB = idle.rssKiB, connected.rssKiB, after.peakKiB
	if cfg.Sockets > 0 {
		res.KiBPerSocket = float64(connected.rssKiB-idle.rssKiB) / float64(cfg.Sockets)
	}
	res.CPUSeconds = after.cpuSeconds - connected.cpuSeconds
	if res.Received > 0 {
		res.CPUPerFrameUS = res.CPUSeconds / float64(res.Received) * 1e6
	}
	return res, nil
}

// createOrders places the orders that the run will pay, before anything is measured.
func createOrders(ctx context.Context, a *api, cfg Config) ([]order, error) {
	orders := make([]order, cfg.Alerts)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(16)
	for i := range orders {
		g.Go(func() error {
			orders[i].shop = cfg.orderShop(i)
			return a.call(ctx, "POST", "/user/order/submit", "authentication", cfg.UserToken, cfg.submitBody(i), &orders[i])
		})
	}
	return orders, g.Wait()
}

// dialDashboard opens one dashboard socket with a ticket of its own, as the dashboard does.
func dialDashboard(ctx context.Context, a *api, d *fws.Dialer, server, adminToken, sid string) (*fws.Conn, error) {
	var t struct{ Ticket string }
	if err := a.call(ctx, "POST", "/admin/ws/ticket", "token", adminToken, "", &t); err != nil {
		return nil, err
	}
	conn, resp, err := d.DialContext(ctx, wsURL(server, sid, t.Ticket), nil)
	if resp != nil {
		_ = resp.Body.Close()
	}
	return conn, err
}

// connect opens every socket with a ticket of its own, as the dashboard does; each has a lean
// reader goroutine that stamps a frame the moment ReadMessage returns it. Stalled sockets come
// first and never read.
func connect(ctx context.Context, a *api, cfg Config) ([]*socket, error) {
	sockets := make([]*socket, cfg.Sockets)
	d := dialer()
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(64)
	for i := range sockets {
		g.Go(func() error {
			shop, token := cfg.socketShop(i)
			conn, err := dialDashboard(ctx, a, d, cfg.Server, token, "load-"+strconv.Itoa(i))
			if err != nil {
				return fmt.Errorf("socket %d: %w", i, err)
			}
			s := &socket{conn: conn, shop: shop, closed: make(chan struct{})}
			sockets[i] = s
			if i >= cfg.Stalled {
				go s.read()
			}
			return nil
		})
	}
	err := g.Wait()
	return slices.DeleteFunc(sockets, func(s *socket) bool { return s == nil }), err
}

// read stamps each frame as it arrives. It reads into one buffer per socket rather than
// ReadMessage's fresh slice per frame: at 100,000 frames a second the tool's garbage would
// otherwise take CPU from the server it measures.
func (s *socket) read() {
	defer close(s.closed)
	buf := make([]byte, 1024)
	for {
		_, r, err := s.conn.NextReader()
		if err != nil {
			s.closeErr = err
			return
		}
		n, err := io.ReadFull(r, buf)
		at := time.Now()
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			s.closeErr = err
			return
		}
		if id, ok := orderID(buf[:n]); ok {
			s.receipts = append(s.receipts, receipt{orderID: id, at: at})
			s.count.Add(1)
		}
	}
}

// pay pays the orders at cfg.Rate per second and returns when each call began, by order id.
func pay(ctx context.Context, a *api, cfg Config, orders []order) (map[int64]time.Time, []time.Duration, error) {
	var (
		mu        sync.Mutex
		sent      = map[int64]time.Time{}
		latencies []time.Duration
		wg        sync.WaitGroup
		failures  []error
	)
	var (
		tick  *time.Ticker
		slots chan struct{} // closed loop: one slot per concurrent caller
	)
	if cfg.Rate > 0 {
		tick = time.NewTicker(time.Second / time.Duration(cfg.Rate))
		defer tick.Stop()
	} else {
		slots = make(chan struct{}, max(cfg.Payers, 1))
	}
	for _, o := range orders {
		if tick != nil {
			<-tick.C
		} else {
			slots <- struct{}{}
		}
		wg.Go(func() {
			if slots != nil {
				defer func() { <-slots }()
			}
			began := time.Now()
			err := a.call(ctx, "PUT", "/user/order/payment", "authentication", cfg.UserToken,
				`{"orderNumber":"`+o.OrderNumber+`","payMethod":1}`, nil)
			took := time.Since(began)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, err)
				return
			}
			latencies = append(latencies, took)
			sent[o.ID] = began
		})
	}
	wg.Wait()
	return sent, latencies, errors.Join(failures...)
}
