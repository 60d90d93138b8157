package hub_test

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/shop"
)

// TestHeartbeatComesWithPingsNotInsteadOfThem: a socket opened with ?heartbeat=1 gets a
// WebSocket ping every interval like every other socket — its pong is what keeps the server's
// read deadline open — and a {"type":0} frame besides, which a browser can see.
func TestHeartbeatComesWithPingsNotInsteadOfThem(t *testing.T) {
	f := newPinging(t)
	beating, plain := &fakeSocket{}, &fakeSocket{}
	sockets := []attached{
		f.attach(t, beating, application.DashboardOptions{Shops: shop.Everything(), SID: "beating", Heartbeat: true}),
		f.attach(t, plain, application.DashboardOptions{Shops: shop.Everything(), SID: "plain"}),
	}
	eventually(t, "3 pings and 3 heartbeats on the heartbeat socket", func() bool {
		pings, beats := beating.counts()
		return pings >= 3 && beats >= 3
	})
	eventually(t, "3 pings on the plain socket", func() bool { pings, _ := plain.counts(); return pings >= 3 })
	if _, beats := plain.counts(); beats != 0 {
		t.Errorf("a socket without ?heartbeat=1 got %d heartbeat frames", beats)
	}
	f.stop(t, sockets...)
}

// TestAPingThatTimesOutIsASlowConsumer: a ping the socket could not write within the write
// timeout closes it with 4008, as a frame would, whether or not it asked for heartbeats.
func TestAPingThatTimesOutIsASlowConsumer(t *testing.T) {
	f := newPinging(t)
	var sockets []attached
	for _, heartbeat := range []bool{false, true} {
		s := &fakeSocket{pingErr: fmt.Errorf("ping: %w", application.ErrWriteTimeout)}
		sockets = append(sockets, f.attach(t, s, application.DashboardOptions{Shops: shop.Everything(), SID: fmt.Sprint("stalled-", heartbeat), Heartbeat: heartbeat}))
		eventually(t, "the stalled socket closed", func() bool { return s.closeCode() != 0 })
		if code := s.closeCode(); code != application.CloseSlowConsumer.Code {
			t.Errorf("heartbeat %v: a ping that timed out closed the socket with %d, want 4008", heartbeat, code)
		}
	}
	for _, a := range sockets {
		a.detach()
	}
	if err := f.hub.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// newPinging is a started hub, over an empty log, that pings every 20 ms.
func newPinging(t *testing.T) *fixture {
	t.Helper()
	h := hub.New(hub.Config{PingInterval: 20 * time.Millisecond, QueueLimit: 1024, ReplayPageSize: 7, FeedInterval: time.Hour},
		memory.NewStore(time.Now), slog.New(slog.DiscardHandler))
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	return &fixture{hub: h}
}
