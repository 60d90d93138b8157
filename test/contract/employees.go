package contract

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/orderalert/orderalert/domain/employee"
)

// Employees is the suite of application.EmployeeRepository.
func Employees(t *testing.T, backend Backend) {
	t.Run("an added account reads back whole by username", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		want := newEmployee("alice")
		got, err := s.Employees.Add(t.Context(), want)
		if err != nil || got.ID <= 0 {
			t.Fatalf("Add = %+v, %v", got, err)
		}
		want.ID = got.ID
		read, err := s.Employees.ByUsername(t.Context(), "alice")
		if err != nil || read != want {
			t.Fatalf("ByUsername:\n got %+v, %v\nwant %+v", read, err, want)
		}
		if _, err := s.Employees.ByUsername(t.Context(), "bob"); !errors.Is(err, employee.ErrNotFound) {
			t.Fatalf("ByUsername(unknown) = %v, want ErrNotFound", err)
		}
	})

	t.Run("a username already taken is refused", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		if _, err := s.Employees.Add(t.Context(), newEmployee("alice")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Employees.Add(t.Context(), newEmployee("alice")); !errors.Is(err, employee.ErrUsernameTaken) {
			t.Fatalf("Add(duplicate) = %v, want ErrUsernameTaken", err)
		}
	})

	t.Run("the first account is added only to an empty table", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		if added, err := s.Employees.AddFirst(t.Context(), newEmployee("admin")); err != nil || !added {
			t.Fatalf("AddFirst on an empty table = %v, %v", added, err)
		}
		if added, err := s.Employees.AddFirst(t.Context(), newEmployee("root")); err != nil || added {
			t.Fatalf("AddFirst on a table with an account = %v, %v", added, err)
		}
		if _, err := s.Employees.ByUsername(t.Context(), "root"); !errors.Is(err, employee.ErrNotFound) {
			t.Fatalf("the refused first account exists: %v", err)
		}
		if n, err := s.Employees.Count(t.Context()); err != nil || n != 1 {
			t.Fatalf("Count = %d, %v; want 1", n, err)
		}
	})

	t.Run("race: instances starting at once create one first account", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		stores := []Store{open(), open()}
		var (
			wg      sync.WaitGroup
			created atomic.Int32
			errs    = make(chan error, 20)
		)
		for i := range 20 {
			wg.Go(func() {
				added, err := stores[i%2].Employees.AddFirst(t.Context(), newEmployee("admin"))
				if err != nil {
					errs <- err
				}
				if added {
					created.Add(1)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n, err := stores[0].Employees.Count(t.Context()); created.Load() != 1 || n != 1 || err != nil {
			t.Fatalf("%d first accounts reported created, %d stored (%v); want 1", created.Load(), n, err)
		}
	})
}

func newEmployee(username string) employee.Employee {
	return employee.Employee{
		Name: fmt.Sprintf("员工 %s", username), Username: username, PasswordHash: "$2a$10$notarealhashnotarealhashnotarealhashnotarealhashnotar",
		Phone: "13800000000", Status: employee.StatusEnabled, CreateTime: baseTime, UpdateTime: baseTime,
	}
}
