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
	Shops     ShopRepository
	Hasher    PasswordHasher
	Clock     Clock
}

// Workplace is where a new account works: one shop, or the platform, whose staff see every shop.
// The zero Workplace names neither.
type Workplace struct {
	ShopID   int64
	Platform bool
}

// ErrWorkplaceRequired is an account created without --shop or --platform once the deployment
// has more than one shop: an old script must not create an account that sees every shop.
var ErrWorkplaceRequired = fmt.Errorf("%w: more than one shop exists: name the account's shop (--shop N) or make it platform staff (--platform)", ErrInvalidInput)

// Execute validates and stores the account. Naming neither a shop nor the platform makes platform
// staff while the deployment has one shop (nothing changes for a single shop) and is
// ErrWorkplaceRequired after; a shop that does not exist is shop.ErrNotFound.
func (uc CreateEmployee) Execute(ctx context.Context, name, username, password string, where Workplace) (employee.Employee, error) {
	if err := uc.check(ctx, where); err != nil {
		return employee.Employee{}, fmt.Errorf("create employee %s: %w", username, err)
	}
	e, err := employee.New(name, username, password, uc.Hasher.Hash, uc.Clock.Now())
	if err != nil {
		return employee.Employee{}, err
	}
	e.ShopID = where.ShopID
	saved, err := uc.Employees.Add(ctx, e)
	if err != nil {
		return employee.Employee{}, fmt.Errorf("create employee %s: %w", username, err)
	}
	return saved, nil
}

func (uc CreateEmployee) check(ctx context.Context, where Workplace) error {
	switch {
	case where.Platform && where.ShopID != 0:
		return fmt.Errorf("%w: an account works for one shop or for the platform, not both", ErrInvalidInput)
	case where.ShopID != 0:
		_, err := uc.Shops.Get(ctx, where.ShopID)
		return err
	case where.Platform:
		return nil
	}
	shops, err := uc.Shops.List(ctx)
	if err == nil && len(shops) > 1 {
		err = ErrWorkplaceRequired
	}
	return err
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
