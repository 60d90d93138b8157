package component_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
)

// payNewOrder submits and pays one order of customer 7, from any goroutine: one new alert.
func (s *service) payNewOrder(t *testing.T, user http.Header) error {
	status, raw, err := s.send(t, http.MethodPost, "/user/order/submit", user, `{"amount":12.5}`)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("submit: %d %s: %w", status, raw, err)
	}
	var o struct{ Data submitted }
	if err := json.Unmarshal(raw, &o); err != nil {
		return err
	}
	status, raw, err = s.send(t, http.MethodPut, "/user/order/payment", user, map[string]any{"orderNumber": o.Data.OrderNumber, "payMethod": 1})
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("pay: %d %s: %w", status, raw, err)
	}
	return nil
}

// TestResumeSendsTheMissedAlertsThenLiveOnes, and the server's other closes: resync, replaced,
// too big, and the heartbeat a browser can see.
func TestResumeSendsTheMissedAlertsThenLiveOnes(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		admin, user := s.adminHeader(t), s.userHeader(t, 7)
		for range 3 {
			if err := s.payNewOrder(t, user); err != nil {
				t.Fatal(err)
			}
		}
		stored := s.alerts(t, admin)
		d := s.connect(t, admin, "resumer", stored[0].ID)
		for _, want := range stored[1:] {
			if got := d.next(t, 5*time.Second); got != want {
				t.Fatalf("replayed %+v, want %+v", got, want)
			}
		}
		if err := s.payNewOrder(t, user); err != nil {
			t.Fatal(err)
		}
		if got := d.next(t, 5*time.Second); got.ID <= stored[2].ID || got.Type != 1 {
			t.Fatalf("live alert after the replay = %+v", got)
		}
		d.quiet(t, 200*time.Millisecond)

		ahead := s.connect(t, admin, "from-another-database", stored[2].ID+1000)
		if code := ahead.closedWith(t, 5*time.Second); code != 4010 {
			t.Errorf("lastAlertId ahead of the server: close %d, want 4010", code)
		}
		// A replayed frame proves the first socket is registered before the second one comes.
		first := s.connect(t, admin, "same-page", 0)
		first.next(t, 5*time.Second)
		s.connect(t, admin, "same-page", -1)
		if code := first.closedWith(t, 5*time.Second); code != 4509 {
			t.Errorf("replaced socket: close %d, want 4509", code)
		}
		if err := d.conn.WriteMessage(fws.TextMessage, []byte(strings.Repeat("x", 5000))); err != nil {
			t.Fatal(err)
		}
		if code := d.closedWith(t, 5*time.Second); code != 1009 {
			t.Errorf("a 5000-byte client frame: close %d, want 1009", code)
		}
		conn, resp, err := s.dial("beating", "heartbeat=1&ticket="+s.ticket(t, admin), nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		beat := listen(t, conn)
		select {
		case raw := <-beat.frames:
			if string(raw) != `{"type":0}` {
				t.Fatalf("heartbeat frame %s", raw)
			}
			checkFrame(t, "heartbeat", raw)
		case <-time.After(5 * time.Second):
			t.Fatal("no heartbeat frame within 5 s with a 1 s ping interval")
		}
	})
}

// TestNoGapAndNoDuplicateAtTheSeam: 4 writers create 300 alerts through the API while 5
// dashboards drop their socket and resume from their last id every ~300 ms. Every dashboard
// must end with every id exactly once, in increasing order, as GET /admin/alerts lists them.
func TestNoGapAndNoDuplicateAtTheSeam(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		admin, user := s.adminHeader(t), s.userHeader(t, 7)
		const writers, perWriter, clients = 4, 75, 5
		var (
			wg       sync.WaitGroup
			finalMax atomic.Int64 // set once every writer is done
		)
		finalMax.Store(-1)
		for range writers {
			wg.Go(func() {
				for range perWriter {
					if err := s.payNewOrder(t, user); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		seen := make([][]int64, clients)
		var readers sync.WaitGroup
		for c := range clients {
			readers.Go(func() { seen[c] = resumeUntil(t, s, admin, fmt.Sprintf("client-%d", c), &finalMax) })
		}
		wg.Wait()
		all := s.alerts(t, admin)
		finalMax.Store(all[len(all)-1].ID)
		readers.Wait()

		var want []int64
		for _, a := range all {
			want = append(want, a.ID)
		}
		if len(want) != writers*perWriter {
			t.Fatalf("%d alerts stored, want %d", len(want), writers*perWriter)
		}
		for c, got := range seen {
			if !slices.Equal(got, want) {
				t.Errorf("client %d saw %d ids, want %d; first difference at %d", c, len(got), len(want), firstDifference(got, want))
			}
		}
	})
}

// resumeUntil reconnects every ~300 ms from the last id it saw until it has seen final.
func resumeUntil(t *testing.T, s *service, admin http.Header, sid string, final *atomic.Int64) []int64 {
	return resumeWithUntil(t, s, admin, sid, "", final)
}

// resumeWithUntil is resumeUntil for a socket opened with more query parameters; heartbeats
// (which have no id) are skipped.
func resumeWithUntil(t *testing.T, s *service, admin http.Header, sid, query string, final *atomic.Int64) []int64 {
	var got []int64
	last := int64(0)
	for attempt := 0; attempt < 1000; attempt++ {
		d, err := s.tryConnectWith(t, admin, sid, last, query)
		if err != nil {
			t.Error(err)
			return got
		}
		timeout := time.After(300 * time.Millisecond)
	read:
		for {
			select {
			case raw := <-d.frames:
				if string(raw) == heartbeat {
					continue
				}
				var f alertFrame
				if err := json.Unmarshal(raw, &f); err != nil {
					t.Error(err)
					return got
				}
				if f.ID <= last {
					t.Errorf("%s: id %d after %d", sid, f.ID, last)
				}
				got, last = append(got, f.ID), f.ID
			case <-timeout:
				break read
			case <-d.done:
				break read
			}
		}
		_ = d.conn.Close()
		if m := final.Load(); m >= 0 && last >= m {
			return got
		}
	}
	t.Errorf("%s never caught up", sid)
	return got
}

func firstDifference(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestNoGapAndNoDuplicateAtTheSeamWithAcks: the seam test with acks in the log. 3 writers pay
// orders and 2 ackers acknowledge whatever is open, through the API, while 4 ?events=1
// dashboards drop their socket and resume from their last id every ~300 ms. Alerts and ack
// events share one sequence: every dashboard must end with every row of the log — each alert
// and each ack event — exactly once, in increasing order.
func TestNoGapAndNoDuplicateAtTheSeamWithAcks(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		admin, user := s.adminHeader(t), s.userHeader(t, 7)
		const writers, perWriter, ackers, clients = 3, 40, 2, 4
		var (
			writing, acking sync.WaitGroup
			finalMax        atomic.Int64
			paid            atomic.Bool
		)
		finalMax.Store(-1)
		for range writers {
			writing.Go(func() {
				for range perWriter {
					if err := s.payNewOrder(t, user); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		for range ackers {
			acking.Go(func() {
				for {
					done := paid.Load() // read before the list: after the last payment, one more pass
					status, raw, err := s.send(t, http.MethodGet, "/admin/alerts?state=open&afterId=0&limit=1000", admin, nil)
					if err != nil || status != http.StatusOK {
						t.Errorf("open alerts: %d %s %v", status, raw, err)
						return
					}
					var open struct{ Data []alertFrame }
					_ = json.Unmarshal(raw, &open)
					for _, a := range open.Data {
						if status, raw, err := s.send(t, http.MethodPost, fmt.Sprintf("/admin/alerts/%d/ack", a.ID), admin, nil); err != nil || status != http.StatusOK {
							t.Errorf("ack %d: %d %s %v", a.ID, status, raw, err)
							return
						}
					}
					if done && len(open.Data) == 0 {
						return
					}
				}
			})
		}
		seen := make([][]int64, clients)
		var readers sync.WaitGroup
		for c := range clients {
			readers.Go(func() { seen[c] = resumeWithUntil(t, s, admin, fmt.Sprintf("client-%d", c), "events=1", &finalMax) })
		}
		writing.Wait()
		paid.Store(true)
		acking.Wait()
		var want []int64
		if err := s.db.NewSelect().Table("order_alerts").Column("id").Order("id").Scan(t.Context(), &want); err != nil {
			t.Fatal(err)
		}
		finalMax.Store(want[len(want)-1])
		readers.Wait()

		if len(want) != 2*writers*perWriter || s.count(t, "order_alerts WHERE event = 'ack'") != writers*perWriter {
			t.Fatalf("the log holds %d rows, want %d alerts each with one ack event", len(want), writers*perWriter)
		}
		for c, got := range seen {
			if !slices.Equal(got, want) {
				t.Errorf("client %d saw %d ids, want %d; first difference at %d", c, len(got), len(want), firstDifference(got, want))
			}
		}
	})
}
