package memory

import (
	"context"
	"fmt"
	"sync"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

var _ application.EmployeeRepository = (*Employees)(nil)

// Employees keeps admin accounts in memory.
type Employees struct {
	mu     sync.Mutex
	byName map[string]employee.Employee
	lastID int64
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
	return e, nil
}

// Count implements application.EmployeeRepository.
func (s *Employees) Count(context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byName), nil
}
