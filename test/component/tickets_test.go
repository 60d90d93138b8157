package component_test

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/auth"
	"github.com/orderalert/orderalert/test/pgtest"
)

// upgrades reports whether /ws/{sid} opened with ticket, and the refusal's status otherwise; it
// may run on any goroutine.
func (s *service) upgrades(sid, ticket string) (bool, int) {
	conn, resp, err := s.dial(sid, "ticket="+ticket, nil)
	if resp != nil {
		_ = resp.Body.Close()
	}
	if err == nil {
		_ = conn.Close()
		return true, http.StatusSwitchingProtocols
	}
	if resp == nil {
		return false, 0
	}
	return false, resp.StatusCode
}

// TestTicketIsSingleUseOnEveryInstance: two instances share one PostgreSQL database. A ticket
// issued by A opens one socket on B, and is then refused by both; 10 clients racing with one
// ticket on both instances open exactly one socket between them.
func TestTicketIsSingleUseOnEveryInstance(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := start(t, url, nil), start(t, url, nil)
	admin := a.adminHeader(t)
	ticket := a.ticket(t, admin)
	if ok, status := b.upgrades("first", ticket); !ok {
		t.Fatalf("A's ticket on B: %d", status)
	}
	for name, s := range map[string]*service{"A": a, "B": b} {
		if ok, status := s.upgrades("replay", ticket); ok || status != http.StatusUnauthorized {
			t.Errorf("the used ticket again on %s: upgraded %v, status %d, want 401", name, ok, status)
		}
	}

	ticket = b.ticket(t, admin)
	var (
		wg       sync.WaitGroup
		opened   atomic.Int32
		refused  atomic.Int32
		statuses = make(chan int, 10)
	)
	for i := range 10 {
		s := []*service{a, b}[i%2]
		wg.Go(func() {
			ok, status := s.upgrades("racer", ticket)
			switch {
			case ok:
				opened.Add(1)
			case status == http.StatusUnauthorized:
				refused.Add(1)
			default:
				statuses <- status
			}
		})
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		t.Errorf("a racer got %d, want 101 or 401", st)
	}
	if opened.Load() != 1 || refused.Load() != 9 {
		t.Fatalf("one ticket opened %d sockets (%d refused), want 1 and 9", opened.Load(), refused.Load())
	}
}

// TestTicketReusedAfterExpiry: with tickets that live 2 s, a ticket used once and one never used
// are both refused after they expire, on SQLite and PostgreSQL.
func TestTicketReusedAfterExpiry(t *testing.T) {
	t.Parallel()
	shortTickets := fx.Decorate(func(c auth.Config) auth.Config {
		c.TicketTTL = 2 * time.Second
		return c
	})
	onEveryDatabase(t, func(t *testing.T, s *service) {
		admin := s.adminHeader(t)
		used, unused := s.ticket(t, admin), s.ticket(t, admin)
		if ok, status := s.upgrades("before-expiry", used); !ok {
			t.Fatalf("a fresh ticket: %d", status)
		}
		time.Sleep(3 * time.Second)
		for name, ticket := range map[string]string{"used": used, "unused": unused} {
			if ok, status := s.upgrades("after-expiry", ticket); ok || status != http.StatusUnauthorized {
				t.Errorf("the %s ticket after expiry: upgraded %v, status %d, want 401", name, ok, status)
			}
		}
		// The decoration took: a fresh ticket says it lives 2 s.
		r := s.call(t, http.MethodPost, "/admin/ws/ticket", admin, nil)
		if in := decode[struct{ ExpiresIn int }](t, r).ExpiresIn; in > 2 {
			t.Fatalf("expiresIn %d, want at most 2", in)
		}
	}, shortTickets)
}
