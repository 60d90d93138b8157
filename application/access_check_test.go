package application_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

// fakeAccessStore serves fixed records and counts what it is asked; fail makes every read fail.
type fakeAccessStore struct {
	mu                     sync.Mutex
	changes                int64
	records                application.AccessRecords
	current                map[int64]employee.Access // what the database says now
	loads, currents, reads int
	fail                   error
}

func (s *fakeAccessStore) Changes(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	return s.changes, s.fail
}

func (s *fakeAccessStore) LoadAccess(context.Context, time.Time) (application.AccessRecords, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	return s.records, s.fail
}

func (s *fakeAccessStore) CurrentAccess(_ context.Context, empID int64, tokenID string) (employee.Access, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.currents++
	if s.fail != nil {
		return employee.Access{}, false, s.fail
	}
	a, ok := s.current[empID]
	if !ok {
		return employee.Access{}, false, fmt.Errorf("employee %d: %w", empID, employee.ErrNotFound)
	}
	return a, tokenID == "denied-token", nil
}

func (s *fakeAccessStore) asked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.currents
}

var (
	enabled = func(v int64) employee.Access { return employee.Access{Status: employee.StatusEnabled, TokenVersion: v} }
	locked  = func(v int64) employee.Access { return employee.Access{Status: employee.StatusLocked, TokenVersion: v} }
)

// newAccessFixture is a check whose copy holds: employee 1 enabled at version 2, 2 locked at
// version 3, 3 deleted, and the denied token "denied-token". The database knows more: employee 4,
// created since, and employee 2, unlocked since.
func newAccessFixture(t *testing.T) (*application.AccessCheck, *fakeAccessStore, *fixedClock) {
	t.Helper()
	store := &fakeAccessStore{
		changes: 7,
		records: application.AccessRecords{
			Employees: map[int64]employee.Access{1: enabled(2), 2: locked(3), 3: {Deleted: true}},
			Denied:    map[string]struct{}{"denied-token": {}},
		},
		current: map[int64]employee.Access{1: enabled(2), 2: enabled(3), 4: enabled(0)},
	}
	clock := &fixedClock{now: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
	check := application.NewAccessCheck(store, clock, 10*time.Second)
	if changed, err := check.Refresh(t.Context()); err != nil || !changed {
		t.Fatalf("first Refresh = %v, %v", changed, err)
	}
	return check, store, clock
}

func TestAccessCheckAnswersFromItsCopyAndAsksOnlyWhenUnsure(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		cred    application.Credential
		revoked bool
		asks    bool // the copy cannot tell: the database is asked
		holds   bool // an open socket stays
	}{
		{"the current token", application.Credential{EmpID: 1, TokenID: "t", Version: 2}, false, false, true},
		{"a logged-out token", application.Credential{EmpID: 1, TokenID: "denied-token", Version: 2}, true, false, false},
		{"a token from before a lock or passwd", application.Credential{EmpID: 1, TokenID: "t", Version: 1}, true, false, false},
		{"a deleted account", application.Credential{EmpID: 3, TokenID: "t", Version: 0}, true, false, false},
		{"an account created since", application.Credential{EmpID: 4, TokenID: "t", Version: 0}, false, true, true},
		{"an account unlocked since", application.Credential{EmpID: 2, TokenID: "t", Version: 3}, false, true, true},
		{"a token newer than the copy", application.Credential{EmpID: 1, TokenID: "t", Version: 3}, true, true, true},
		{"an account that never was", application.Credential{EmpID: 9, TokenID: "t", Version: 0}, true, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			check, store, _ := newAccessFixture(t)
			_, err := check.Check(t.Context(), c.cred)
			if revoked := errors.Is(err, application.ErrRevoked); revoked != c.revoked || (!revoked && err != nil) {
				t.Errorf("Check = %v, want revoked %v", err, c.revoked)
			}
			if revoked := errors.Is(err, application.ErrRevoked); revoked && !errors.Is(err, application.ErrUnauthenticated) {
				t.Errorf("ErrRevoked is not an ErrUnauthenticated: %v", err)
			}
			if asked := store.asked() > 0; asked != c.asks {
				t.Errorf("the database was asked: %v, want %v", asked, c.asks)
			}
			if got := check.Holds(c.cred); got != c.holds {
				t.Errorf("Holds = %v, want %v", got, c.holds)
			}
		})
	}
}

func TestAccessCheckReloadsOnlyWhenTheCounterMoves(t *testing.T) {
	t.Parallel()
	check, store, _ := newAccessFixture(t)
	if changed, err := check.Refresh(t.Context()); err != nil || changed || store.loads != 1 {
		t.Fatalf("Refresh with the counter unmoved = %v, %v, %d loads; want no reload", changed, err, store.loads)
	}
	store.mu.Lock()
	store.changes++
	store.records.Denied = map[string]struct{}{"denied-token": {}, "t": {}}
	store.mu.Unlock()
	if changed, err := check.Refresh(t.Context()); err != nil || !changed || store.loads != 2 {
		t.Fatalf("Refresh after the counter moved = %v, %v, %d loads; want a reload", changed, err, store.loads)
	}
	cred := application.Credential{EmpID: 1, TokenID: "t", Version: 2}
	if _, err := check.Check(t.Context(), cred); !errors.Is(err, application.ErrRevoked) || check.Holds(cred) {
		t.Fatalf("the token denied since is still admitted: %v", err)
	}
}

// TestAStaleCopyIsNotTrusted: a copy refreshed more than 10 s ago is not used; every check reads
// the database, and fails with it, until a refresh succeeds again.
func TestAStaleCopyIsNotTrusted(t *testing.T) {
	t.Parallel()
	check, store, clock := newAccessFixture(t)
	current := application.Credential{EmpID: 1, TokenID: "t", Version: 2}
	clock.now = clock.now.Add(10 * time.Second)
	if _, err := check.Check(t.Context(), current); err != nil || store.asked() != 0 {
		t.Fatalf("a copy 10 s old: Check = %v, %d database reads; want the copy's answer", err, store.asked())
	}
	clock.now = clock.now.Add(time.Second)
	for i := range 3 {
		if _, err := check.Check(t.Context(), current); err != nil || store.asked() != i+1 {
			t.Fatalf("a copy 11 s old, check %d: %v, %d database reads; want one per check", i, err, store.asked())
		}
	}
	down := fmt.Errorf("connection refused: %w", application.ErrDatabaseUnavailable)
	store.mu.Lock()
	store.fail = down
	store.mu.Unlock()
	if _, err := check.Refresh(t.Context()); !errors.Is(err, down) {
		t.Fatalf("Refresh with the database down = %v", err)
	}
	if _, err := check.Check(t.Context(), current); !errors.Is(err, application.ErrDatabaseUnavailable) || errors.Is(err, application.ErrUnauthenticated) {
		t.Fatalf("Check with a stale copy and the database down = %v, want the database's error, not a refusal", err)
	}
	// What the copy knows for sure still holds for open sockets, which never wait on the database.
	if check.Holds(application.Credential{EmpID: 1, TokenID: "denied-token", Version: 2}) || !check.Holds(current) {
		t.Fatal("Holds with a stale copy does not answer from the copy")
	}
	store.mu.Lock()
	store.fail = nil
	store.mu.Unlock()
	if changed, err := check.Refresh(t.Context()); err != nil || changed {
		t.Fatalf("Refresh after the database came back = %v, %v", changed, err)
	}
	before := store.asked()
	if _, err := check.Check(t.Context(), current); err != nil || store.asked() != before {
		t.Fatalf("after a successful refresh: %v, %d more database reads; want the copy trusted again", err, store.asked()-before)
	}
}

func TestWithoutACopyEveryCheckAsksTheDatabase(t *testing.T) {
	t.Parallel()
	store := &fakeAccessStore{current: map[int64]employee.Access{1: enabled(0)}}
	check := application.NewAccessCheck(store, &fixedClock{now: time.Now()}, 10*time.Second)
	if _, err := check.Check(t.Context(), application.Credential{EmpID: 1, TokenID: "t"}); err != nil || store.asked() != 1 {
		t.Fatalf("Check before any refresh = %v, %d database reads", err, store.asked())
	}
	if _, err := check.Check(t.Context(), application.Credential{EmpID: 1, TokenID: "denied-token"}); !errors.Is(err, application.ErrRevoked) {
		t.Fatalf("a denied token before any refresh = %v", err)
	}
	if !check.Holds(application.Credential{EmpID: 1, TokenID: "denied-token"}) {
		t.Fatal("Holds without a copy closed a socket it cannot judge")
	}
}
