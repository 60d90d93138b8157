package contract

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

// Access is the suite of what revocation stores: account changes (EmployeeRepository.Update,
// Delete, ByID), the change counter they move, and the access records and denied tokens
// (application.AccessStore, application.TokenDenylist) that every instance keeps a copy of.
func Access(t *testing.T, backend Backend) {
	t.Run("an update is saved whole and moves the change counter", func(t *testing.T) { testUpdate(t, backend) })
	t.Run("rollback: a failed change writes nothing", func(t *testing.T) { testFailedUpdate(t, backend) })
	t.Run("a deleted account is gone for good", func(t *testing.T) { testDelete(t, backend) })
	t.Run("a denied token is refused until it expires", func(t *testing.T) { testDeny(t, backend) })
	t.Run("race: concurrent changes on two instances are none of them lost", func(t *testing.T) { testConcurrentChanges(t, backend) })
}

// changes reads the change counter.
func changes(t *testing.T, s Store) int64 {
	t.Helper()
	n, err := s.Access.Changes(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func addEmployee(t *testing.T, s Store, username string) employee.Employee {
	t.Helper()
	e, err := s.Employees.Add(t.Context(), newEmployee(username))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func loadAccess(t *testing.T, s Store, now time.Time) application.AccessRecords {
	t.Helper()
	r, err := s.Access.LoadAccess(t.Context(), now)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func testUpdate(t *testing.T, backend Backend) {
	t.Parallel()
	s := backend(t)()
	before := changes(t, s)
	alice := addEmployee(t, s, "alice")
	if after := changes(t, s); after <= before {
		t.Fatalf("adding an account left the change counter at %d (was %d)", after, before)
	}
	before = changes(t, s)
	later := baseTime.Add(time.Hour)
	got, err := s.Employees.Update(t.Context(), "alice", func(e *employee.Employee) error {
		e.Lock(later)
		e.Name, e.PasswordHash = "Alice L.", "$2a$10$another"
		e.ID, e.Username, e.CreateTime = 999, "mallory", later // not the change's to alter
		return nil
	})
	want := alice
	want.Name, want.PasswordHash, want.Status, want.TokenVersion, want.UpdateTime = "Alice L.", "$2a$10$another", employee.StatusLocked, 1, later
	if err != nil || got != want {
		t.Fatalf("Update:\n got %+v, %v\nwant %+v", got, err, want)
	}
	for name, read := range map[string]func() (employee.Employee, error){
		"ByUsername": func() (employee.Employee, error) { return s.Employees.ByUsername(t.Context(), "alice") },
		"ByID":       func() (employee.Employee, error) { return s.Employees.ByID(t.Context(), alice.ID) },
	} {
		if e, err := read(); err != nil || e != want {
			t.Errorf("%s after Update:\n got %+v, %v\nwant %+v", name, e, err, want)
		}
	}
	if after := changes(t, s); after <= before {
		t.Fatalf("Update left the change counter at %d (was %d)", after, before)
	}
	if a := loadAccess(t, s, baseTime).Employees[alice.ID]; a != want.Access() {
		t.Fatalf("LoadAccess has %+v for alice, want %+v", a, want.Access())
	}
	if a, denied, err := s.Access.CurrentAccess(t.Context(), alice.ID, "some-token"); err != nil || denied || a != want.Access() {
		t.Fatalf("CurrentAccess = %+v, %v, %v; want %+v, not denied", a, denied, err, want.Access())
	}
	if _, err := s.Employees.ByID(t.Context(), alice.ID+1000); !errors.Is(err, employee.ErrNotFound) {
		t.Fatalf("ByID(unknown) = %v, want ErrNotFound", err)
	}
}

func testFailedUpdate(t *testing.T, backend Backend) {
	t.Parallel()
	s := backend(t)()
	alice := addEmployee(t, s, "alice")
	before := changes(t, s)
	refused := errors.New("refused")
	_, err := s.Employees.Update(t.Context(), "alice", func(e *employee.Employee) error {
		e.Lock(baseTime.Add(time.Hour))
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Update with a failing change = %v, want its error", err)
	}
	if _, err := s.Employees.Update(t.Context(), "nobody", func(*employee.Employee) error { return nil }); !errors.Is(err, employee.ErrNotFound) {
		t.Fatalf("Update(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.Employees.Delete(t.Context(), "nobody"); !errors.Is(err, employee.ErrNotFound) {
		t.Fatalf("Delete(unknown) = %v, want ErrNotFound", err)
	}
	if e, err := s.Employees.ByUsername(t.Context(), "alice"); err != nil || e != alice {
		t.Fatalf("after the failed changes: %+v, %v; want %+v unchanged", e, err, alice)
	}
	if after := changes(t, s); after != before {
		t.Fatalf("failed changes moved the change counter from %d to %d", before, after)
	}
}

func testDelete(t *testing.T, backend Backend) {
	t.Parallel()
	s := backend(t)()
	alice, bob := addEmployee(t, s, "alice"), addEmployee(t, s, "bob")
	before := changes(t, s)
	if got, err := s.Employees.Delete(t.Context(), "bob"); err != nil || got != bob {
		t.Fatalf("Delete = %+v, %v; want %+v", got, err, bob)
	}
	if after := changes(t, s); after <= before {
		t.Fatalf("Delete left the change counter at %d (was %d)", after, before)
	}
	if _, err := s.Employees.ByUsername(t.Context(), "bob"); !errors.Is(err, employee.ErrNotFound) {
		t.Fatalf("ByUsername(deleted) = %v", err)
	}
	if _, err := s.Employees.ByID(t.Context(), bob.ID); !errors.Is(err, employee.ErrNotFound) {
		t.Fatalf("ByID(deleted) = %v", err)
	}
	if _, _, err := s.Access.CurrentAccess(t.Context(), bob.ID, "t"); !errors.Is(err, employee.ErrNotFound) {
		t.Fatalf("CurrentAccess(deleted) = %v, want ErrNotFound", err)
	}
	r := loadAccess(t, s, baseTime)
	if a := r.Employees[bob.ID]; !a.Deleted || r.Employees[alice.ID] != alice.Access() {
		t.Fatalf("LoadAccess: bob %+v (want deleted), alice %+v", a, r.Employees[alice.ID])
	}
	again := addEmployee(t, s, "bob")
	if again.ID == bob.ID {
		t.Fatalf("a new account took the deleted account's id %d", bob.ID)
	}
	if a := loadAccess(t, s, baseTime).Employees; !a[bob.ID].Deleted || a[again.ID] != again.Access() {
		t.Fatalf("after re-adding bob: old id %+v, new id %+v", a[bob.ID], a[again.ID])
	}
}

func testDeny(t *testing.T, backend Backend) {
	t.Parallel()
	s := backend(t)()
	alice := addEmployee(t, s, "alice")
	now := time.Now()
	before := changes(t, s)
	for range 2 { // denying twice is harmless
		if err := s.Denylist.Deny(t.Context(), "token-1", alice.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if after := changes(t, s); after <= before {
		t.Fatalf("Deny left the change counter at %d (was %d)", after, before)
	}
	if _, denied := loadAccess(t, s, now).Denied["token-1"]; !denied {
		t.Fatal("LoadAccess does not list the denied token")
	}
	if _, denied, err := s.Access.CurrentAccess(t.Context(), alice.ID, "token-1"); err != nil || !denied {
		t.Fatalf("CurrentAccess(denied token) = %v, %v", denied, err)
	}
	if _, denied, err := s.Access.CurrentAccess(t.Context(), alice.ID, "token-2"); err != nil || denied {
		t.Fatalf("CurrentAccess(another token) = %v, %v", denied, err)
	}
	if r := loadAccess(t, s, now.Add(2*time.Hour)); len(r.Denied) != 0 {
		t.Fatalf("LoadAccess after the token expired lists %v", r.Denied)
	}
	// A denial whose token has expired is forgotten by the next Deny.
	if err := s.Denylist.Deny(t.Context(), "token-old", alice.ID, now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Denylist.Deny(t.Context(), "token-3", alice.ID, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, kept := loadAccess(t, s, now.Add(-time.Hour)).Denied["token-old"]; kept {
		t.Fatal("an expired denial was not pruned")
	}
}

func testConcurrentChanges(t *testing.T, backend Backend) {
	t.Parallel()
	open := backend(t)
	stores := []Store{open(), open()}
	addEmployee(t, stores[0], "alice")
	before := changes(t, stores[0])
	var (
		wg   sync.WaitGroup
		errs = make(chan error, 40)
	)
	for i := range 20 {
		s := stores[i%2]
		wg.Go(func() {
			if _, err := s.Employees.Update(t.Context(), "alice", func(e *employee.Employee) error {
				e.Lock(baseTime)
				return nil
			}); err != nil {
				errs <- fmt.Errorf("update %d: %w", i, err)
			}
		})
		wg.Go(func() {
			if err := s.Denylist.Deny(t.Context(), "shared-token", 1, time.Now().Add(time.Hour)); err != nil {
				errs <- fmt.Errorf("deny %d: %w", i, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	e, err := stores[1].Employees.ByUsername(t.Context(), "alice")
	if err != nil || e.TokenVersion != 20 {
		t.Fatalf("after 20 concurrent locks the token version is %d (%v), want 20: an update was lost", e.TokenVersion, err)
	}
	if after := changes(t, stores[1]); after != before+40 {
		t.Fatalf("40 changes moved the counter from %d to %d", before, after)
	}
	if r := loadAccess(t, stores[1], time.Now()); len(r.Denied) != 1 {
		t.Fatalf("20 denials of one token left %v", r.Denied)
	}
}
