package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/employee"
)

// LockEmployee disables an account (`orderalert admin lock`): its logins are refused with 403,
// and every token issued before — REST calls, tickets, open sockets — stops working on every
// instance within seconds. The tokens stay dead after an unlock.
type LockEmployee struct {
	Employees EmployeeRepository
	Clock     Clock
	Sync      ChangeSync
}

// Execute locks the account with username.
func (uc LockEmployee) Execute(ctx context.Context, username string) (employee.Employee, error) {
	return changeEmployee(ctx, uc.Employees, uc.Sync, "lock", username, func(e *employee.Employee) error {
		e.Lock(uc.Clock.Now())
		return nil
	})
}

// UnlockEmployee enables a locked account again (`orderalert admin unlock`); the employee logs in
// anew.
type UnlockEmployee struct {
	Employees EmployeeRepository
	Clock     Clock
	Sync      ChangeSync
}

// Execute unlocks the account with username.
func (uc UnlockEmployee) Execute(ctx context.Context, username string) (employee.Employee, error) {
	return changeEmployee(ctx, uc.Employees, uc.Sync, "unlock", username, func(e *employee.Employee) error {
		e.Unlock(uc.Clock.Now())
		return nil
	})
}

// ChangePassword gives an account a new password (`orderalert admin passwd`) and ends every
// token issued with the old one.
type ChangePassword struct {
	Employees EmployeeRepository
	Hasher    PasswordHasher
	Clock     Clock
	Sync      ChangeSync
}

// Execute sets the password of the account with username.
func (uc ChangePassword) Execute(ctx context.Context, username, password string) (employee.Employee, error) {
	return changeEmployee(ctx, uc.Employees, uc.Sync, "change the password of", username, func(e *employee.Employee) error {
		return e.SetPassword(password, uc.Hasher.Hash, uc.Clock.Now())
	})
}

// DeleteEmployee removes an account (`orderalert admin delete`) and ends every token of it.
type DeleteEmployee struct {
	Employees EmployeeRepository
	Sync      ChangeSync
}

// Execute deletes the account with username and returns it as it was.
func (uc DeleteEmployee) Execute(ctx context.Context, username string) (employee.Employee, error) {
	e, err := uc.Employees.Delete(ctx, username)
	if err != nil {
		return employee.Employee{}, fmt.Errorf("delete employee %s: %w", username, err)
	}
	return e, uc.Sync.Sync(ctx)
}

func changeEmployee(ctx context.Context, employees EmployeeRepository, sync ChangeSync, what, username string, change func(*employee.Employee) error) (employee.Employee, error) {
	e, err := employees.Update(ctx, username, change)
	if err != nil {
		return employee.Employee{}, fmt.Errorf("%s employee %s: %w", what, username, err)
	}
	return e, sync.Sync(ctx)
}
