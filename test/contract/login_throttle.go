package contract

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
)

// ThrottleBackend builds a fresh throttle allowing failures per per, reading the time from
// clock.
type ThrottleBackend func(t *testing.T, failures int, per time.Duration, clock application.Clock) application.LoginThrottle

// Clock is a settable clock for the suites.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at baseTime.
func NewClock() *Clock { return &Clock{now: baseTime} }

// Now implements application.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// LoginThrottle is the suite of application.LoginThrottle: failures are counted per username
// and per address, nothing else is, an address that logged in is not locked out by others'
// failures, and concurrent guesses cannot overspend a budget.
func LoginThrottle(t *testing.T, backend ThrottleBackend) {
	const failures, per = 5, time.Minute
	fresh := func(t *testing.T) (application.LoginThrottle, *Clock) {
		clock := NewClock()
		return backend(t, failures, per, clock), clock
	}
	t.Run("a username's budget holds across addresses and refills", func(t *testing.T) {
		t.Parallel()
		th, clock := fresh(t)
		for i := range failures {
			mustAdmit(t, th, "admin", addr(i))(application.LoginFailed)
		}
		wait := mustRefuse(t, th, "admin", "10.9.9.9")
		if wait <= 0 || wait > per/failures {
			t.Fatalf("retry after %s, want within (0, %s]", wait, per/failures)
		}
		clock.Advance(wait)
		mustAdmit(t, th, "admin", "10.9.9.9")(application.LoginFailed)
		mustRefuse(t, th, "admin", "10.9.9.10")
		mustAdmit(t, th, "bob", "10.9.9.11")(application.LoginAbandoned)
	})
	t.Run("an address's budget holds across usernames", func(t *testing.T) {
		t.Parallel()
		th, _ := fresh(t)
		for i := range failures {
			mustAdmit(t, th, "guess-"+addr(i), "203.0.113.7")(application.LoginFailed)
		}
		mustRefuse(t, th, "a-new-name", "203.0.113.7")
		// IPv6 clients are counted by their /64, which one subscriber holds whole.
		for i := range failures {
			mustAdmit(t, th, "v6-"+addr(i), "2001:db8:1:2::"+string(rune('a'+i)))(application.LoginFailed)
		}
		mustRefuse(t, th, "v6-other", "2001:db8:1:2:ffff::1")
		mustAdmit(t, th, "v6-other", "2001:db8:1:3::1")(application.LoginAbandoned)
	})
	t.Run("successes and abandoned attempts are not counted", func(t *testing.T) {
		t.Parallel()
		th, _ := fresh(t)
		for i := range 4 * failures {
			outcome := application.LoginSucceeded
			if i%2 == 0 {
				outcome = application.LoginAbandoned
			}
			mustAdmit(t, th, "admin", "192.0.2.1")(outcome)
		}
		for range failures {
			mustAdmit(t, th, "admin", "192.0.2.1")(application.LoginFailed)
		}
		mustRefuse(t, th, "admin", "192.0.2.1")
	})
	t.Run("an address that logged in is not locked out by others' failures", func(t *testing.T) {
		t.Parallel()
		th, _ := fresh(t)
		mustAdmit(t, th, "admin", "198.51.100.1")(application.LoginSucceeded)
		for i := range failures {
			mustAdmit(t, th, "admin", addr(i))(application.LoginFailed)
		}
		mustRefuse(t, th, "admin", "198.51.100.2")
		// The shop's address still gets in; its own failures are held to its address's budget.
		for range failures {
			mustAdmit(t, th, "admin", "198.51.100.1")(application.LoginFailed)
		}
		mustRefuse(t, th, "admin", "198.51.100.1")
	})
	t.Run("race: 40 concurrent guesses at one username, exactly the budget is admitted", func(t *testing.T) {
		t.Parallel()
		th, _ := fresh(t)
		var (
			wg               sync.WaitGroup
			admitted, others atomic.Int32
			start            = make(chan struct{})
		)
		for i := range 40 {
			wg.Go(func() {
				<-start
				settle, err := th.Admit(application.LoginAttempt{Username: "admin", ClientIP: addr(i)})
				switch {
				case err == nil:
					admitted.Add(1)
					time.Sleep(time.Millisecond) // compare a password
					settle(application.LoginFailed)
				case errors.Is(err, application.ErrTooManyAttempts):
				default:
					others.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if admitted.Load() != failures || others.Load() != 0 {
			t.Fatalf("%d admitted (%d other errors), want exactly %d", admitted.Load(), others.Load(), failures)
		}
	})
}

func addr(i int) string { return fmt.Sprintf("10.0.%d.%d", i/250, i%250+1) }

func mustAdmit(t *testing.T, th application.LoginThrottle, username, ip string) func(application.LoginOutcome) {
	t.Helper()
	settle, err := th.Admit(application.LoginAttempt{Username: username, ClientIP: ip})
	if err != nil || settle == nil {
		t.Fatalf("Admit(%s from %s) = %v, want admitted", username, ip, err)
	}
	return settle
}

// mustRefuse checks the refusal and returns its retry-after.
func mustRefuse(t *testing.T, th application.LoginThrottle, username, ip string) time.Duration {
	t.Helper()
	settle, err := th.Admit(application.LoginAttempt{Username: username, ClientIP: ip})
	var retry *application.RetryAfterError
	if !errors.Is(err, application.ErrTooManyAttempts) || !errors.As(err, &retry) || settle != nil {
		t.Fatalf("Admit(%s from %s) = %v, want a RetryAfterError wrapping ErrTooManyAttempts", username, ip, err)
	}
	return retry.After
}
