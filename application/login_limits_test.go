package application_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

// recordingThrottle admits everything unless refuse is set, and records what it was told.
type recordingThrottle struct {
	mu       sync.Mutex
	refuse   bool
	attempts []application.LoginAttempt
	outcomes []application.LoginOutcome
}

func (r *recordingThrottle) Admit(a application.LoginAttempt) (func(application.LoginOutcome), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts = append(r.attempts, a)
	if r.refuse {
		return nil, &application.RetryAfterError{Err: application.ErrTooManyAttempts, After: 12 * time.Second}
	}
	return func(o application.LoginOutcome) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.outcomes = append(r.outcomes, o)
	}, nil
}

// gatedHasher compares only when let through, and records how many compare at once.
type gatedHasher struct {
	gate          chan struct{}
	hold          time.Duration // how long a comparison takes once the gate is open
	running, most atomic.Int32
	compared      atomic.Int32
}

func (*gatedHasher) Hash(p string) (string, error) { return "hash:" + p, nil }

func (h *gatedHasher) Matches(hash, p string) bool {
	n := h.running.Add(1)
	defer h.running.Add(-1)
	for {
		most := h.most.Load()
		if n <= most || h.most.CompareAndSwap(most, n) {
			break
		}
	}
	h.compared.Add(1)
	<-h.gate
	time.Sleep(h.hold)
	return hash == "hash:"+p
}

func newLogin(t *testing.T, hasher application.PasswordHasher, throttle application.LoginThrottle, checks *application.PasswordChecks) application.Login {
	t.Helper()
	employees := &memory.Employees{}
	e, err := employee.New("Admin", "admin", "right password", hasher.Hash, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := employees.Add(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	return application.Login{Employees: employees, Hasher: hasher, Tokens: fakeTokens{}, DummyHash: "hash:dummy", Throttle: throttle, Checks: checks}
}

// TestAThrottledLoginComparesNoPassword: over the budget, even the right password is refused
// with ErrTooManyAttempts and a retry-after, and no password is compared.
func TestAThrottledLoginComparesNoPassword(t *testing.T) {
	t.Parallel()
	compared := 0
	login := newLogin(t, plainHasher{compared: &compared}, &recordingThrottle{refuse: true}, application.NewPasswordChecks(1, time.Second))
	compared = 0
	_, err := login.Execute(t.Context(), "admin", "right password", "192.0.2.1")
	var retry *application.RetryAfterError
	if !errors.Is(err, application.ErrTooManyAttempts) || !errors.As(err, &retry) || retry.After != 12*time.Second {
		t.Fatalf("throttled login = %v, want ErrTooManyAttempts retrying after 12s", err)
	}
	if compared != 0 {
		t.Fatalf("%d passwords compared for a throttled login, want 0", compared)
	}
}

// TestPasswordChecksBoundConcurrentComparisons: 8 logins at once with one slot compare one at
// a time; a login that cannot get the slot within the wait is refused as busy, compares
// nothing, and is not counted as a failure.
func TestPasswordChecksBoundConcurrentComparisons(t *testing.T) {
	t.Parallel()
	hasher := &gatedHasher{gate: make(chan struct{})}
	throttle := &recordingThrottle{}
	login := newLogin(t, hasher, throttle, application.NewPasswordChecks(1, 50*time.Millisecond))

	// One comparison holds the only slot: the next login waits 50 ms and is refused.
	held := make(chan error, 1)
	go func() {
		_, err := login.Execute(context.Background(), "admin", "right password", "192.0.2.1")
		held <- err
	}()
	for hasher.running.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	_, err := login.Execute(t.Context(), "admin", "a guess", "192.0.2.2")
	var retry *application.RetryAfterError
	if !errors.Is(err, application.ErrLoginBusy) || !errors.As(err, &retry) || retry.After <= 0 {
		t.Fatalf("login while the slot is held = %v, want ErrLoginBusy with a retry-after", err)
	}
	if n := hasher.compared.Load(); n != 1 {
		t.Fatalf("%d comparisons, want only the one holding the slot", n)
	}
	close(hasher.gate)
	if err := <-held; err != nil {
		t.Fatal(err)
	}

	// With a long enough wait every one of 8 concurrent logins is served, one at a time. Each
	// comparison takes 5 ms, so that unbounded ones would overlap.
	open := make(chan struct{})
	close(open)
	busy := &gatedHasher{gate: open, hold: 5 * time.Millisecond}
	slow := newLogin(t, busy, throttle, application.NewPasswordChecks(1, time.Minute))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := slow.Execute(t.Context(), "admin", "right password", "192.0.2.3"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if most := busy.most.Load(); most != 1 {
		t.Fatalf("%d comparisons ran at once, want at most 1", most)
	}
	throttle.mu.Lock()
	defer throttle.mu.Unlock()
	counts := map[application.LoginOutcome]int{}
	for _, o := range throttle.outcomes {
		counts[o]++
	}
	if counts[application.LoginAbandoned] != 1 || counts[application.LoginFailed] != 0 || counts[application.LoginSucceeded] != 9 {
		t.Fatalf("outcomes %v: a busy refusal must be settled as abandoned, not failed", throttle.outcomes)
	}
}
