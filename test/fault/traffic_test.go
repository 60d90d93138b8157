package fault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// callTimeout bounds one HTTP call: a call that takes longer is a hang.
const callTimeout = 10 * time.Second

// call is one HTTP call of the traffic and what came of it.
type call struct {
	kind    string // submit, pay or remind
	orderID int64
	base    string
	began   time.Time
	took    time.Duration
	status  int // 0: no HTTP answer
	code    int // the envelope's
	msg     string
	err     error // no HTTP answer: why
	refused bool  // the connection was never made, so the request never reached anyone
	number  string
}

func (c call) ok() bool { return c.err == nil && c.status == http.StatusOK && c.code == 1 }

// alertType is the type of the alert a successful call of this kind appended, 0 for none.
func (c call) alertType() int {
	switch c.kind {
	case "pay":
		return 1
	case "remind":
		return 2
	}
	return 0
}

// traffic is a few writers that place, pay and remind orders through the API, one customer's,
// at a bounded rate of alert-creating calls across them, and remember every call. Each call
// goes to the next instance in turn; a call whose connection was refused is tried again on the
// next instance (it reached nobody), any other failure is final, as a careful client does.
type traffic struct {
	user   string
	bases  []string
	client *http.Client
	rate   *time.Ticker
	turn   atomic.Uint64

	mu    sync.Mutex
	calls []call

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// startTraffic starts writers that together make at most perSecond payments and reminders a
// second; stop ends them after their current call.
func startTraffic(ctx context.Context, user string, writers, perSecond int, bases ...string) *traffic {
	ctx, cancel := context.WithCancel(ctx)
	tr := &traffic{
		user: user, bases: bases, cancel: cancel, rate: time.NewTicker(time.Second / time.Duration(perSecond)),
		client: &http.Client{Timeout: callTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: writers}},
	}
	for range writers {
		tr.wg.Go(func() { tr.write(ctx) })
	}
	return tr
}

func (tr *traffic) stop() {
	tr.cancel()
	tr.wg.Wait()
	tr.rate.Stop()
	tr.client.CloseIdleConnections()
}

// write places an order, pays it and reminds the shop of it, again and again.
func (tr *traffic) write(ctx context.Context) {
	for ctx.Err() == nil {
		placed := tr.step(ctx, "submit", http.MethodPost, "/user/order/submit", `{"amount":12.5}`, 0, "")
		if !placed.ok() {
			pause(ctx, 20*time.Millisecond)
			continue
		}
		if !tr.wait(ctx) {
			return
		}
		body := fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, placed.number)
		if paid := tr.step(ctx, "pay", http.MethodPut, "/user/order/payment", body, placed.orderID, placed.number); !paid.ok() {
			continue
		}
		if !tr.wait(ctx) {
			return
		}
		tr.step(ctx, "remind", http.MethodGet, "/user/order/reminder/"+strconv.FormatInt(placed.orderID, 10), "", placed.orderID, placed.number)
	}
}

// wait takes one slot of the rate.
func (tr *traffic) wait(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-tr.rate.C:
		return true
	}
}

// step makes one call, trying the next instance while connections are refused.
func (tr *traffic) step(ctx context.Context, kind, method, path, body string, orderID int64, number string) call {
	for {
		c := tr.do(ctx, kind, method, path, body)
		if c.orderID == 0 {
			c.orderID, c.number = orderID, number
		}
		tr.mu.Lock()
		tr.calls = append(tr.calls, c)
		tr.mu.Unlock()
		if !c.refused || ctx.Err() != nil {
			return c
		}
		pause(ctx, 20*time.Millisecond)
	}
}

// do sends one request. A call in progress is not cut short when the traffic stops.
func (tr *traffic) do(ctx context.Context, kind, method, path, body string) call {
	base := tr.bases[int(tr.turn.Add(1))%len(tr.bases)]
	c := call{kind: kind, base: base, began: time.Now()}
	defer func() { c.took = time.Since(c.began) }()
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), method, base+path, strings.NewReader(body))
	if err != nil {
		c.err = err
		return c
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authentication", tr.user)
	resp, err := tr.client.Do(req)
	if err != nil {
		var op *net.OpError
		c.err, c.refused = err, errors.As(err, &op) && op.Op == "dial"
		c.took = time.Since(c.began)
		return c
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	c.status, c.took = resp.StatusCode, time.Since(c.began)
	if err != nil {
		c.err = err
		return c
	}
	var env struct {
		Code int     `json:"code"`
		Msg  *string `json:"msg"`
		Data struct {
			ID          int64  `json:"id"`
			OrderNumber string `json:"orderNumber"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		c.msg = string(bytes.TrimSpace(raw))
		return c
	}
	c.code = env.Code
	if env.Msg != nil {
		c.msg = *env.Msg
	}
	c.orderID, c.number = env.Data.ID, env.Data.OrderNumber
	return c
}

// snapshot copies the calls made so far.
func (tr *traffic) snapshot() []call {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]call(nil), tr.calls...)
}

// acknowledged are the alerts whose call returned success, as (type, order id).
func acknowledged(calls []call) map[alertKey]bool {
	keys := map[alertKey]bool{}
	for _, c := range calls {
		if c.ok() && c.alertType() != 0 {
			keys[alertKey{c.alertType(), c.orderID}] = true
		}
	}
	return keys
}

// requireSuccessAfter fails unless each instance answered some call successfully that began
// after since: an invariant over acknowledged alerts says nothing if nothing was acknowledged.
func requireSuccessAfter(t *testing.T, calls []call, since time.Time, instances ...string) {
	t.Helper()
	for _, instance := range instances {
		recovered := 0
		for _, c := range calls {
			if c.base == instance && c.began.After(since) && c.ok() {
				recovered++
			}
		}
		if recovered == 0 {
			t.Errorf("%s answered no call successfully after %s", instance, since.Format("15:04:05.000"))
		}
	}
}

type alertKey struct {
	typ     int
	orderID int64
}

// outcomes counts the calls by what came of them, for the report.
func outcomes(calls []call) string {
	counts := map[string]int{}
	var slowest time.Duration
	for _, c := range calls {
		slowest = max(slowest, c.took)
		switch {
		case c.ok():
			counts["ok"]++
		case c.refused:
			counts["refused"]++
		case c.err != nil:
			counts["no answer"]++
		default:
			counts[strconv.Itoa(c.status)]++
		}
	}
	var parts []string
	for _, k := range []string{"ok", "503", "500", "refused", "no answer"} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
		}
		delete(counts, k)
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
	}
	return fmt.Sprintf("%d calls (%s), slowest %s", len(calls), strings.Join(parts, ", "), slowest.Round(time.Millisecond))
}
