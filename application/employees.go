package application

import (
	"context"
	"errors"
	"fmt"

	"github.com/orderalert/orderalert/domain/employee"
)

// CreateEmployee adds an admin account (`orderalert admin create`).
type CreateEmployee struct {
	Employees EmployeeRepository
	Hasher    PasswordHasher
	Clock     Clock
}

// Execute validates and stores the account.
func (uc CreateEmployee) Execute(ctx context.Context, name, username, password string) (employee.Employee, error) {
	e, err := employee.New(name, username, password, uc.Hasher.Hash, uc.Clock.Now())
	if err != nil {
		return employee.Employee{}, err
	}
	saved, err := uc.Employees.Add(ctx, e)
	if err != nil {
		return employee.Employee{}, fmt.Errorf("create employee %s: %w", username, err)
	}
	return saved, nil
}

// FirstAdminUsername is the account created on first start.
const FirstAdminUsername = "admin"

// ErrNoAdmin is a production start with no account and no initial password configured.
var ErrNoAdmin = errors.New("no admin account exists and no initial password is configured")

// EnsureFirstAdmin creates the "admin" account when there is no account at all, so that a fresh
// installation can be logged into.
type EnsureFirstAdmin struct {
	Employees EmployeeRepository
	Hasher    PasswordHasher
	Clock     Clock
}

// Execute creates the account if the table is empty, with password, or when password is empty
// with one from generate (nil generate: ErrNoAdmin). It returns the generated password when it
// created the account with one, so that the caller can hand it to a person exactly once.
func (uc EnsureFirstAdmin) Execute(ctx context.Context, password string, generate func() (string, error)) (created bool, generated string, err error) {
	n, err := uc.Employees.Count(ctx)
	if err != nil || n > 0 {
		return false, "", err
	}
	if password == "" {
		if generate == nil {
			return false, "", ErrNoAdmin
		}
		if generated, err = generate(); err != nil {
			return false, "", fmt.Errorf("first admin account: %w", err)
		}
		password = generated
	}
	created, err = uc.create(ctx, password)
	if !created {
		generated = ""
	}
	return created, generated, err
}

func (uc EnsureFirstAdmin) create(ctx context.Context, password string) (bool, error) {
	e, err := employee.New("管理员", FirstAdminUsername, password, uc.Hasher.Hash, uc.Clock.Now())
	if err != nil {
		return false, fmt.Errorf("first admin account: %w", err)
	}
	created, err := uc.Employees.AddFirst(ctx, e)
	if err != nil {
		return false, fmt.Errorf("first admin account: %w", err)
	}
	return created, nil
}
