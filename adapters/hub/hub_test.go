package hub_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
)

// Every test stops its hub; nothing of it may keep running. protoactor's dead-letter throttle
// (messages that reached a child just stopped) ends by itself a second later.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/asynkron/protoactor-go/actor.NewDeadLetter.NewThrottle.func4.1"))
}

// fakeSocket records what the hub does to it; panicOnSend makes its writer actor panic.
type fakeSocket struct {
	mu          sync.Mutex
	frames      [][]byte
	closed      *application.CloseReason
	pings       int
	pingErr     error // what Ping returns
	panicOnSend bool
}

func (s *fakeSocket) Send(frames ...[]byte) error {
	if s.panicOnSend {
		panic("socket exploded")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed != nil {
		return errors.New("closed")
	}
	s.frames = append(s.frames, frames...)
	return nil
}

func (s *fakeSocket) Ping() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pings++
	return s.pingErr
}

// counts is the pings and the heartbeat frames the socket got.
func (s *fakeSocket) counts() (pings, heartbeats int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.frames {
		if string(f) == `{"type":0}` {
			heartbeats++
		}
	}
	return s.pings, heartbeats
}

func (s *fakeSocket) Close(r application.CloseReason) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed == nil {
		s.closed = &r
	}
}

func (s *fakeSocket) ids() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for _, f := range s.frames {
		var v struct{ ID int64 }
		_ = json.Unmarshal(f, &v)
		ids = append(ids, v.ID)
	}
	return ids
}

func (s *fakeSocket) closeCode() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed == nil {
		return 0
	}
	return s.closed.Code
}

type fixture struct {
	hub   *hub.Hub
	store *memory.Store
	order order.Order
}

// newFixture is a started hub over an in-memory log holding one order.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureWith(t, hub.Config{PingInterval: time.Hour, QueueLimit: 1024, ReplayPageSize: 7, FeedInterval: time.Hour})
}

// newFixtureWith is newFixture with the hub configured by cfg.
func newFixtureWith(t testing.TB, cfg hub.Config) *fixture {
	t.Helper()
	store := memory.NewStore(time.Now)
	o, err := store.Add(t.Context(), order.Order{Number: "n-1", ShopID: 1, Status: order.StatusPendingPayment, UserID: 7, Amount: 100, PayMethod: 1})
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(cfg, store, slog.New(slog.DiscardHandler))
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	return &fixture{hub: h, store: store, order: o}
}

// ring appends an alert and broadcasts it, as a use case does after its commit.
func (f *fixture) ring(t testing.TB) int64 {
	t.Helper()
	_, a, err := f.store.Update(t.Context(), application.ByID(f.order.ID), func(o *order.Order) (*alert.Alert, error) {
		n := alert.NewOrder(o.ShopID, o.ID, o.Number, time.Now())
		return &n, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.hub.Committed(*a)
	return a.ID
}

// attached is a socket and the detach its handler calls when the socket ends.
type attached struct {
	socket *fakeSocket
	detach func()
}

func (f *fixture) attach(t *testing.T, s *fakeSocket, opts application.DashboardOptions) attached {
	t.Helper()
	d, err := f.hub.Attach(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	return attached{socket: s, detach: d}
}

// stop stops the hub as the application does: each handler ends once its socket is closed.
func (f *fixture) stop(t *testing.T, sockets ...attached) {
	t.Helper()
	done := make(chan error)
	go func() { done <- f.hub.Stop(context.Background()) }()
	for _, a := range sockets {
		eventually(t, "socket closed on stop", func() bool { return a.socket.closeCode() != 0 })
		a.detach()
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
	}
}

func TestEverySocketGetsEveryAlertOnceInOrder(t *testing.T) {
	f := newFixture(t)
	sockets := []*fakeSocket{{}, {}, {}}
	var handlers []attached
	for i, s := range sockets {
		handlers = append(handlers, f.attach(t, s, application.DashboardOptions{Shops: shop.Everything(), SID: string(rune('a' + i))}))
	}
	eventually(t, "3 sockets attached", func() bool { return f.hub.Len() == 3 })
	var want []int64
	for range 50 {
		want = append(want, f.ring(t))
	}
	for i, s := range sockets {
		eventually(t, "50 frames", func() bool { return len(s.ids()) == 50 })
		for j, id := range s.ids() {
			if id != want[j] {
				t.Fatalf("socket %d frame %d = id %d, want %d", i, j, id, want[j])
			}
		}
	}
	f.stop(t, handlers...)
	for _, s := range sockets {
		if s.closeCode() != 1001 {
			t.Errorf("on stop a socket got close %d, want 1001", s.closeCode())
		}
	}
}

func TestAPanickingSocketTakesNobodyDown(t *testing.T) {
	f := newFixture(t)
	bad, good := &fakeSocket{panicOnSend: true}, &fakeSocket{}
	badHandler := f.attach(t, bad, application.DashboardOptions{Shops: shop.Everything(), SID: "bad"})
	goodHandler := f.attach(t, good, application.DashboardOptions{Shops: shop.Everything(), SID: "good"})
	eventually(t, "2 sockets attached", func() bool { return f.hub.Len() == 2 })
	first := f.ring(t)
	eventually(t, "the panicking socket closed with 1011", func() bool { return bad.closeCode() == 1011 })
	eventually(t, "the failed child forgotten", func() bool { return f.hub.Len() == 1 })
	second := f.ring(t)
	eventually(t, "the healthy socket got both alerts", func() bool { return len(good.ids()) == 2 })
	if ids := good.ids(); ids[0] != first || ids[1] != second {
		t.Fatalf("healthy socket got %v", ids)
	}
	badHandler.detach() // its handler ended when the socket was closed with 1011
	f.stop(t, goodHandler)
}

func TestResumeReplaysInPagesThenLiveWithoutDuplicates(t *testing.T) {
	f := newFixture(t)
	var stored []int64
	for range 20 {
		stored = append(stored, f.ring(t)) // nobody listens yet
	}
	s := &fakeSocket{}
	from := stored[4]
	late := f.attach(t, s, application.DashboardOptions{Shops: shop.Everything(), SID: "late", LastAlertID: &from})
	live := f.ring(t)
	eventually(t, "backlog and live alert", func() bool { return len(s.ids()) == 16 })
	want := append(append([]int64{}, stored[5:]...), live)
	for i, id := range s.ids() {
		if id != want[i] {
			t.Fatalf("frame %d = id %d, want %d (got %v)", i, id, want[i], s.ids())
		}
	}
	f.stop(t, late)
}
