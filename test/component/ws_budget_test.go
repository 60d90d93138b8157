package component_test

import (
	"bytes"
	"testing"
	"time"
)

// The frame budget of api/asyncapi.yaml: every frame a client sends takes one from a bucket of
// budgetBurst frames that refills at budgetRate a second.
const (
	budgetBurst = 50
	budgetRate  = 10
)

// TestFloodsAreClosedWith1008: a socket that sends frames faster than its budget — pings, or
// data frames — is closed with 1008, counted under that code, and gets no more pongs than its
// budget allows; a well-behaved dashboard beside it is not touched.
func TestFloodsAreClosedWith1008(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", nil)
	admin, user := s.adminHeader(t), s.userHeader(t, 7)
	calm := s.connect(t, admin, "calm", -1)
	waitAttached(t, s, []*dashboard{calm})

	pinger := s.openRaw(t, admin, "pinger")
	began := time.Now()
	// The write may fail part-way: the server stops reading once the budget is spent.
	_ = pinger.write(bytes.Repeat(clientFrame(fin|opPing, []byte("flood")), 5000))
	if code := pinger.closedWith(t, 10*time.Second); code != 1008 {
		t.Fatalf("a ping flood: close %d, want 1008 (%v)", code, pinger.readErr())
	}
	// Only pongs within the budget were written: at most the burst plus what refilled meanwhile.
	if pongs, most := len(pinger.pongs), budgetBurst+int(time.Since(began).Seconds()*budgetRate)+1; pongs > most {
		t.Errorf("the flood got %d pongs, more than the budget's %d", pongs, most)
	}
	s.scrape(t).want(t, 1, "orderalert_ws_closes_total", "code", "1008")

	talker := s.openRaw(t, admin, "talker")
	_ = talker.write(bytes.Repeat(clientFrame(fin|opText, []byte(`{"type":"state","audio":true,"visible":true}`)), 5000))
	if code := talker.closedWith(t, 10*time.Second); code != 1008 {
		t.Fatalf("a data-frame flood: close %d, want 1008", code)
	}
	s.scrape(t).want(t, 2, "orderalert_ws_closes_total", "code", "1008")

	if err := s.payNewOrder(t, user); err != nil {
		t.Fatal(err)
	}
	if f := calm.next(t, 5*time.Second); f.Type != 1 {
		t.Fatalf("the calm dashboard got %+v", f)
	}
}

// TestAClientWithinItsBudgetIsNeverClosed: a client that sends its whole burst at once (state
// messages, pings, pongs) and then a message and a ping every 400 ms — more frames in all than
// the burst, fewer than the budget refills — while answering the server's pings, stays open
// and keeps ringing. Each step waits for its pong, so the server has read it before the pause.
func TestAClientWithinItsBudgetIsNeverClosed(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", nil)
	admin, user := s.adminHeader(t), s.userHeader(t, 7)
	r := s.openRaw(t, admin, "browser")
	waitAttached(t, s, []*dashboard{r.dashboard})
	state := clientFrame(fin|opText, []byte(`{"type":"state","audio":true,"visible":false}`))
	var burst [][]byte
	for range (budgetBurst - 11) / 3 {
		burst = append(burst, state, clientFrame(fin|opPing, nil), clientFrame(fin|opPong, nil))
	}
	if err := r.write(burst...); err != nil {
		t.Fatal(err)
	}
	r.alive(t, "after the burst")
	sent := len(burst) + 1
	for i := 0; sent <= budgetBurst+5; i++ {
		time.Sleep(400 * time.Millisecond)
		if err := r.write(state); err != nil {
			t.Fatal(err)
		}
		r.alive(t, "step "+string(rune('a'+i)))
		sent += 2
	}
	if err := s.payNewOrder(t, user); err != nil {
		t.Fatal(err)
	}
	if f := r.next(t, 5*time.Second); f.Type != 1 {
		t.Fatalf("after %d frames: %+v", sent, f)
	}
	if v, ok := s.scrape(t).value("orderalert_ws_closes_total", "code", "1008"); ok {
		t.Fatalf("%v sockets closed with 1008", v)
	}
}
