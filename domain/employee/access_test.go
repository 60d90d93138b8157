package employee_test

import (
	"errors"
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/employee"
)

func TestLockPasswordAndUnlockMoveTheTokenVersion(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	e, err := employee.New("管理员", "admin", "long enough", plain, now)
	if err != nil {
		t.Fatal(err)
	}
	issued := e.TokenVersion // a token of the account as created
	if !e.Access().Admits(issued) || e.Access().Revoked(issued) {
		t.Fatalf("a new account refuses its own token: %+v", e.Access())
	}

	e.Lock(now.Add(time.Minute))
	if e.Status != employee.StatusLocked || e.Access().Admits(issued) || !e.Access().Revoked(issued) || !e.UpdateTime.Equal(now.Add(time.Minute)) {
		t.Fatalf("after Lock: %+v; the earlier token must be revoked", e)
	}
	e.Unlock(now.Add(2 * time.Minute))
	if e.CanLogIn() != nil || !e.Access().Revoked(issued) {
		t.Fatalf("after Unlock: %+v; the employee may log in, the token from before the lock stays dead", e)
	}
	afterUnlock := e.TokenVersion
	if !e.Access().Admits(afterUnlock) {
		t.Fatalf("a token issued after Unlock is refused: %+v", e.Access())
	}

	if err := e.SetPassword("short", plain, now); !errors.Is(err, employee.ErrInvalid) || e.TokenVersion != afterUnlock {
		t.Fatalf("a short password = %v, version %d; want ErrInvalid and nothing changed", err, e.TokenVersion)
	}
	if err := e.SetPassword("another long one", plain, now); err != nil || e.PasswordHash != "hashed:another long one" || !e.Access().Revoked(afterUnlock) {
		t.Fatalf("SetPassword = %v, %+v; the earlier token must be revoked", err, e)
	}
}

func TestAccessOfADeletedOrNewerAccount(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name            string
		access          employee.Access
		token           int64
		admits, revoked bool
	}{
		{"current and enabled", employee.Access{Status: employee.StatusEnabled, TokenVersion: 3}, 3, true, false},
		{"deleted", employee.Access{Status: employee.StatusEnabled, TokenVersion: 3, Deleted: true}, 3, false, true},
		{"older token", employee.Access{Status: employee.StatusEnabled, TokenVersion: 3}, 2, false, true},
		// The copy is behind: the account was unlocked, or its version moved, after the copy.
		{"locked at the token's version", employee.Access{Status: employee.StatusLocked, TokenVersion: 3}, 3, false, false},
		{"token newer than the copy", employee.Access{Status: employee.StatusEnabled, TokenVersion: 3}, 4, false, false},
	}
	for _, c := range cases {
		if got := c.access.Admits(c.token); got != c.admits {
			t.Errorf("%s: Admits = %v, want %v", c.name, got, c.admits)
		}
		if got := c.access.Revoked(c.token); got != c.revoked {
			t.Errorf("%s: Revoked = %v, want %v", c.name, got, c.revoked)
		}
	}
}
