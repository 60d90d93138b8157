package memory

import (
	"context"
	"fmt"
	"sync"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

var _ application.EmployeeRepository = (*Employees)(nil)

// Employees keeps admin accounts in memory, with what the access check reads of them
// (access.go). One mutex serialises every change.
type Employees struct {
	mu      sync.Mutex
	byName  map[string]employee.Employee
	lastID  int64
	deleted map[int64]struct{}
	denied  map[string]deniedToken
	changes int64 // the change counter
}

// ByUsername implements application.EmployeeRepository.
func (s *Employees) ByUsername(_ context.Context, username string) (employee.Employee, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byName[username]
	if !ok {
		return employee.Employee{}, fmt.Errorf("employee %s: %w", username, employee.ErrNotFound)
	}
	return e, nil
}

// ByID implements application.EmployeeRepository.
func (s *Employees) ByID(_ context.Context, id int64) (employee.Employee, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.byName {
		if e.ID == id {
			return e, nil
		}
	}
	return employee.Employee{}, fmt.Errorf("employee %d: %w", id, employee.ErrNotFound)
}

// Add implements application.EmployeeRepository.
func (s *Employees) Add(_ context.Context, e employee.Employee) (employee.Employee, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(e)
}

// AddFirst implements application.EmployeeRepository.
func (s *Employees) AddFirst(_ context.Context, e employee.Employee) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.byName) > 0 {
		return false, nil
	}
	_, err := s.add(e)
	return err == nil, err
}

func (s *Employees) add(e employee.Employee) (employee.Employee, error) {
	if _, taken := s.byName[e.Username]; taken {
		return employee.Employee{}, fmt.Errorf("add employee %s: %w", e.Username, employee.ErrUsernameTaken)
	}
	if s.byName == nil {
		s.byName = map[string]employee.Employee{}
	}
	s.lastID++
	e.ID = s.lastID
	s.byName[e.Username] = e
	s.changes++
	return e, nil
}

// Update implements application.EmployeeRepository. change runs under the store's lock, so it
// must not call back into the store.
func (s *Employees) Update(_ context.Context, username string, change func(*employee.Employee) error) (employee.Employee, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	before, ok := s.byName[username]
	if !ok {
		return employee.Employee{}, fmt.Errorf("employee %s: %w", username, employee.ErrNotFound)
	}
	e := before
	if err := change(&e); err != nil {
		return employee.Employee{}, err
	}
	e.ID, e.Username, e.CreateTime = before.ID, before.Username, before.CreateTime
	s.byName[username] = e
	s.changes++
	return e, nil
}

// Delete implements application.EmployeeRepository.
func (s *Employees) Delete(_ context.Context, username string) (employee.Employee, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byName[username]
	if !ok {
		return employee.Employee{}, fmt.Errorf("employee %s: %w", username, employee.ErrNotFound)
	}
	delete(s.byName, username)
	if s.deleted == nil {
		s.deleted = map[int64]struct{}{}
	}
	s.deleted[e.ID] = struct{}{}
	s.changes++
	return e, nil
}

// Count implements application.EmployeeRepository.
func (s *Employees) Count(context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byName), nil
}
