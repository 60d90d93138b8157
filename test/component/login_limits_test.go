package component_test

import (
	"net/http"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
)

// countingHasher wraps the service's bcrypt and counts the comparisons, and how many ran at once.
type countingHasher struct {
	application.PasswordHasher
	compared, running, most atomic.Int32
}

func (h *countingHasher) Matches(hash, password string) bool {
	raise(&h.most, h.running.Add(1))
	defer h.running.Add(-1)
	h.compared.Add(1)
	return h.PasswordHasher.Matches(hash, password)
}

// raise sets most to n if n is larger.
func raise(most *atomic.Int32, n int32) {
	for {
		m := most.Load()
		if n <= m || most.CompareAndSwap(m, n) {
			return
		}
	}
}

// withCountingHasher puts a countingHasher in front of the graph's password hasher.
func withCountingHasher(h *countingHasher) fx.Option {
	return fx.Decorate(func(inner application.PasswordHasher) application.PasswordHasher {
		h.PasswordHasher = inner
		return h
	})
}

// loginFrom logs in as a client at ip (the test talks through loopback, as a local proxy would,
// so X-Forwarded-For names the client).
func (s *service) loginFrom(t *testing.T, ip, username, password string) reply {
	t.Helper()
	return s.call(t, http.MethodPost, "/admin/employee/login", http.Header{"X-Forwarded-For": {"10.9.9.9, " + ip}},
		map[string]string{"username": username, "password": password})
}

// TestFailedLoginsAreThrottled: with a budget of 3 failures an hour (an hour, so that a slow
// machine cannot refill it during the test; few, as each is a bcrypt), the fourth guess at admin — from anywhere, with any
// password — is 429 with Retry-After and compares no password; a guessing address is refused
// for every username; the shop's address, which logged in before, still gets in; other
// accounts are not affected.
func TestFailedLoginsAreThrottled(t *testing.T) {
	t.Parallel()
	hasher := &countingHasher{}
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), func(c *bootstrap.Config) {
		c.LoginRate = bootstrap.Rate{N: 3, Per: time.Hour}
	}, withCountingHasher(hasher))
	const shop, attacker = "198.51.100.7", "203.0.113.1"
	expect(t, s.loginFrom(t, shop, "admin", adminPass), http.StatusOK, 1)
	for range 3 {
		expect(t, s.loginFrom(t, attacker, "admin", "a guess"), http.StatusUnauthorized, 0)
	}
	compared := hasher.compared.Load()
	refusals := []struct{ name, ip, username, password string }{
		{"the right password from a new address", "203.0.113.2", "admin", adminPass},
		{"another guess from another address", "203.0.113.3", "admin", "another guess"},
		{"another username from the guessing address", attacker, "nobody", "a guess"},
	}
	for _, c := range refusals {
		r := s.loginFrom(t, c.ip, c.username, c.password)
		expect(t, r, http.StatusTooManyRequests, 0)
		if r.msg() != "登录失败次数过多，请稍后再试" {
			t.Errorf("%s: msg %q", c.name, r.msg())
		}
	}
	if n := hasher.compared.Load() - compared; n != 0 {
		t.Fatalf("%d passwords compared for 3 throttled logins, want 0", n)
	}
	status, header := s.rawLogin(t, attacker, "admin", "a guess")
	if retry, err := strconv.Atoi(header.Get("Retry-After")); status != http.StatusTooManyRequests || err != nil || retry < 1 || retry > 1200 {
		t.Fatalf("throttled login: %d, Retry-After %q; want 429 and 1–1200 s (one failure refills in 20 min)", status, header.Get("Retry-After"))
	}
	expect(t, s.loginFrom(t, shop, "admin", adminPass), http.StatusOK, 1)
	expect(t, s.loginFrom(t, "192.0.2.50", "bob", "a guess"), http.StatusUnauthorized, 0)
}

// rawLogin is a login whose headers the test reads.
func (s *service) rawLogin(t *testing.T, ip, username, password string) (int, http.Header) {
	t.Helper()
	body := `{"username":` + strconv.Quote(username) + `,"password":` + strconv.Quote(password) + `}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.base+"/admin/employee/login", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// TestALoginFloodDoesNotStopAlerts: 8 clients guess passwords as fast as the server answers,
// with no failure budget to stop them, so every guess is a bcrypt comparison or a 503. Meanwhile
// 10 paid orders each reach an open dashboard; password comparisons never run more than half the
// cores at once (one on two cores), and the flood was answered while the alerts flowed.
func TestALoginFloodDoesNotStopAlerts(t *testing.T) {
	t.Parallel()
	hasher := &countingHasher{}
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), func(c *bootstrap.Config) {
		c.LoginRate = bootstrap.Rate{N: 1_000_000, Per: time.Second}
	}, withCountingHasher(hasher))
	admin, user := s.adminHeader(t), s.userHeader(t, 7)
	d := s.connect(t, admin, "during-the-flood", -1)
	waitAttached(t, s, []*dashboard{d})

	var (
		stop     = make(chan struct{})
		wg       sync.WaitGroup
		answered sync.Map // status → *atomic.Int32
	)
	for i := range 8 {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				status, _, err := s.send(t, http.MethodPost, "/admin/employee/login", http.Header{"X-Forwarded-For": {"203.0.113." + strconv.Itoa(i+1)}},
					map[string]string{"username": "admin", "password": "guess " + strconv.Itoa(n)})
				if err != nil {
					return // the test is over
				}
				counter, _ := answered.LoadOrStore(status, new(atomic.Int32))
				counter.(*atomic.Int32).Add(1)
			}
		})
	}
	t.Cleanup(func() { close(stop); wg.Wait() })
	count := func(status int) int32 {
		if c, ok := answered.Load(status); ok {
			return c.(*atomic.Int32).Load()
		}
		return 0
	}
	for hasher.running.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// Delivery is what is asserted; the flood is shown to overlap it by the comparisons running
	// when frames arrive (under the race detector one bcrypt comparison takes seconds).
	last, overlapped := int64(0), 0
	for range 10 {
		if err := s.payNewOrder(t, user); err != nil {
			t.Fatal(err)
		}
		f := d.next(t, 30*time.Second)
		if f.Type != 1 || f.ID <= last {
			t.Fatalf("frame %+v after id %d", f, last)
		}
		last = f.ID
		if hasher.running.Load() > 0 {
			overlapped++
		}
	}
	t.Logf("10 alerts delivered, %d of them while a password was being compared; flood answers so far: %d × 401, %d × 503, %d comparisons",
		overlapped, count(http.StatusUnauthorized), count(http.StatusServiceUnavailable), hasher.compared.Load())
	if overlapped == 0 {
		t.Fatal("no alert arrived while a password was compared: the flood did not overlap delivery")
	}
	if most, limit := hasher.most.Load(), max(runtime.GOMAXPROCS(0)/2, 1); int(most) > limit {
		t.Fatalf("%d comparisons ran at once, want at most %d", most, limit)
	}
	for _, status := range []int{http.StatusOK, http.StatusTooManyRequests, http.StatusInternalServerError} {
		if n := count(status); n != 0 {
			t.Errorf("%d flood logins answered %d", n, status)
		}
	}
}
