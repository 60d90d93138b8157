package load

import (
	"bufio"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// soakPay creates one alert per tick (an order submitted, then paid) until ctx ends, and
// returns how many calls failed. One caller at a low rate: a soak is about time, not load.
func soakPay(ctx context.Context, a *api, cfg SoakConfig, alerts *soakAlerts) int {
	tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.Rate))
	defer tick.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return failures
		case <-tick.C:
		}
		var o order
		if err := a.call(ctx, "POST", "/user/order/submit", "authentication", cfg.UserToken, `{"amount": 18.5}`, &o); err != nil {
			failures += countFailure(ctx)
			continue
		}
		alerts.mu.Lock()
		i := len(alerts.sent)
		alerts.index[o.ID] = i
		alerts.sent = append(alerts.sent, time.Time{})
		alerts.mu.Unlock()
		err := a.call(ctx, "PUT", "/user/order/payment", "authentication", cfg.UserToken,
			`{"orderNumber":"`+o.OrderNumber+`","payMethod":1}`, nil)
		alerts.mu.Lock()
		if err != nil {
			// Not paid (or not known to be): no alert is expected of it.
			delete(alerts.index, o.ID)
			failures += countFailure(ctx)
		} else {
			alerts.sent[i] = time.Now()
		}
		alerts.mu.Unlock()
	}
}

// countFailure is 1 for a failed call, 0 for one cut short by the end of the soak.
func countFailure(ctx context.Context) int {
	if ctx.Err() != nil {
		return 0
	}
	return 1
}

// sample reads the sockets and the server: alerts paid more than grace ago must have reached
// every socket.
func sample(cfg SoakConfig, sockets []*soakSocket, alerts *soakAlerts, began time.Time, grace time.Duration) SoakSample {
	s := SoakSample{Elapsed: time.Since(began).Round(time.Second), Goroutines: -1}
	var due []int
	alerts.mu.RLock()
	for i, at := range alerts.sent {
		if !at.IsZero() {
			s.Sent++
			if time.Since(at) > grace {
				due = append(due, i)
			}
		}
	}
	alerts.mu.RUnlock()
	for _, k := range sockets {
		if !k.closed.Load() {
			s.Open++
		}
		s.Lost += k.missing(due)
		k.mu.Lock()
		s.Received += k.received
		s.Duplicated += k.dups
		k.mu.Unlock()
	}
	if p, err := readProc(cfg.PID); err == nil {
		s.RSSKiB = p.rssKiB
	}
	if cfg.DebugAddr != "" {
		s.Goroutines = int(profileFigure("http://"+cfg.DebugAddr+"/debug/pprof/goroutine?debug=1", goroutineTotal, -1))
		s.HeapKiB = profileFigure("http://"+cfg.DebugAddr+"/debug/pprof/heap?debug=1", heapInuse, 0) / 1024
	}
	return s
}

var (
	// the first line of the goroutine profile
	goroutineTotal = regexp.MustCompile(`^goroutine profile: total (\d+)`)
	// a line of the runtime.MemStats that end the heap profile
	heapInuse = regexp.MustCompile(`^# HeapInuse = (\d+)`)
)

// profileFigure is the number of the first line of a text profile that re matches, or
// unknown when it cannot be read.
func profileFigure(url string, re *regexp.Regexp, unknown int64) int64 {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return unknown
	}
	defer func() { _ = resp.Body.Close() }()
	lines := bufio.NewScanner(resp.Body)
	lines.Buffer(make([]byte, 64<<10), 1<<20)
	for lines.Scan() {
		if m := re.FindSubmatch(lines.Bytes()); m != nil {
			n, _ := strconv.ParseInt(string(m[1]), 10, 64)
			return n
		}
	}
	return unknown
}
