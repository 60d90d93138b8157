package employee_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/employee"
)

func plain(p string) (string, error) { return "hashed:" + p, nil }

func TestNewValidates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	cases := []struct{ name, username, password string }{
		{"管理员", "ad", "long enough"},
		{"管理员", "admin user", "long enough"},
		{"管理员", "admin;drop", "long enough"},
		{"", "admin", "long enough"},
		{strings.Repeat("名", 33), "admin", "long enough"},
		{"管理员", "admin", "short"},
		{"管理员", "admin", strings.Repeat("x", 73)},
	}
	for _, c := range cases {
		if _, err := employee.New(c.name, c.username, c.password, plain, now); !errors.Is(err, employee.ErrInvalid) {
			t.Errorf("New(%q, %q, %q) = %v, want ErrInvalid", c.name, c.username, c.password, err)
		}
	}
	e, err := employee.New("管理员", "admin", "long enough", plain, now)
	if err != nil || e.PasswordHash != "hashed:long enough" || e.Status != employee.StatusEnabled || e.CanLogIn() != nil {
		t.Fatalf("New(valid) = %+v, %v", e, err)
	}
	e.Status = employee.StatusLocked
	if !errors.Is(e.CanLogIn(), employee.ErrLocked) {
		t.Fatal("a locked account can log in")
	}
}
